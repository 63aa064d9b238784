import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { BookCommand, BookEvent, RecordedBookEvent, decide, evolve, initialState } from '@treasury/domain';
import { naiveRaw } from '../testing/naive-replay';
import { BookProjection } from './book-projection';
import { positionFrom } from './position';

/**
 * Property (issue 11, "migrated knownAt answers as the old system knew"): a book loaded in migration
 * mode, long afterwards, with each command's knownAt the instant it was recorded in the old system,
 * accepts and refuses exactly what a book recorded live at those instants does, holds the same events,
 * and answers every position query (asOf, knownAt) the same. Commands are effective from weeks before
 * to minutes after their recording instant, so the clock-dependent rules (the future tolerance, a
 * mining period not yet over) are exercised: judged against the server clock of the migration instead
 * of knownAt, they would accept what the live book refused.
 */
const DAY = 86_400_000;
const MINUTE = 60_000;
const START = Date.parse('2023-01-01T00:00:00Z');
/** The server clock during the migration: after all the history it loads. */
const MIGRATION_CLOCK = Date.parse('2026-03-01T00:00:00Z');

const wallet = fc.constantFrom('cold', 'hot');
const step = fc.record({
  recordGapMs: fc.oneof(fc.integer({ min: 0, max: 3 * DAY }), fc.constant(0)),
  // Negative: effective after it was recorded (within or beyond the five-minute tolerance).
  backdateMs: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 30 * DAY }) },
    { weight: 1, arbitrary: fc.integer({ min: -20 * MINUTE, max: 0 }) },
  ),
  action: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('mine' as const),
        wallet,
        btc: fc.bigInt({ min: 1n, max: 5_000_000_000n }),
        periodEndAfterMs: fc.integer({ min: -2 * DAY, max: 20 * MINUTE }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('sell' as const), wallet, btc: fc.bigInt({ min: 1n, max: 300_000_000n }) }) },
    fc.record({ kind: fc.constant('transfer' as const), from: wallet, to: wallet, btc: fc.bigInt({ min: 1n, max: 300_000_000n }) }),
    fc.record({ kind: fc.constant('price' as const), usdPerBtc: fc.bigInt({ min: 1_000_000n, max: 10_000_000n }) }),
    fc.record({ kind: fc.constant('cash' as const), amountUsd: fc.bigInt({ min: -1_000_000n, max: 10_000_000n }).filter((n) => n !== 0n) }),
    fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }),
  ),
});
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const toCommand = ({ action: a }: Step, effectiveAt: number, eventIds: ReadonlyArray<string>): BookCommand | undefined => {
  switch (a.kind) {
    case 'mine':
      return {
        name: 'record-mining-output',
        body: {
          effectiveAt,
          wallet: a.wallet,
          btc: a.btc,
          usdPerBtc: 4_000_000n,
          periodStart: effectiveAt - 30 * DAY,
          periodEnd: effectiveAt + a.periodEndAfterMs,
        },
      };
    case 'sell':
      return { name: 'record-btc-sale', body: { effectiveAt, wallet: a.wallet, btc: a.btc, proceedsUsd: 1_000_00n } };
    case 'transfer':
      return { name: 'transfer-btc', body: { effectiveAt, fromWallet: a.from, toWallet: a.to, btc: a.btc } };
    case 'price':
      return { name: 'record-btc-price', body: { effectiveAt, usdPerBtc: a.usdPerBtc } };
    case 'cash':
      return { name: 'record-cash-movement', body: { effectiveAt, cashAccount: 'operating', amountUsd: a.amountUsd, category: 'power' } };
    case 'reverse':
      return eventIds.length < 2
        ? undefined
        : { name: 'reverse-event', body: { eventId: eventIds[1 + (a.pick % (eventIds.length - 1))]!, reason: 'test' } };
  }
};

interface Book {
  readonly recorded: RecordedBookEvent[];
  /** Per step: accepted, refused (with the refusal's tag), or no command. */
  readonly outcomes: string[];
}

/** Live: decided at each instant, recorded then. Migrated: decided during the migration with knownAt that instant. */
const buildBook = (steps: ReadonlyArray<Step>, mode: 'live' | 'migrated'): Book => {
  const state = initialState();
  const recorded: RecordedBookEvent[] = [];
  const outcomes: string[] = [];
  const record = (cmd: BookCommand, at: number) => {
    const context = mode === 'live' ? { now: at } : { now: MIGRATION_CLOCK, knownAt: at };
    const decision = decide(cmd, state, context);
    if (E.isLeft(decision))
      return outcomes.push(decision.left._tag === 'InvalidCommand' ? `invalid ${decision.left.errors[0]!.path}` : decision.left._tag);
    for (const event of decision.right) {
      const r: RecordedBookEvent = {
        eventId: `00000000-0000-4000-8000-${String(recorded.length).padStart(12, '0')}`,
        revision: recorded.length,
        recordedAt: at,
        event,
      };
      evolve(state, r);
      recorded.push(r);
    }
    return outcomes.push('accepted');
  };
  record(
    {
      name: 'open-book',
      body: { name: 'P', effectiveAt: START - 30 * DAY, ...(mode === 'migrated' ? { mode: 'migrating' as const } : {}) },
    },
    START,
  );
  let at = START;
  for (const s of steps) {
    at += s.recordGapMs;
    const cmd = toCommand(
      s,
      at - s.backdateMs,
      recorded.map((r) => r.eventId),
    );
    if (cmd === undefined) outcomes.push('none');
    else record(cmd, at);
  }
  return { recorded, outcomes };
};

const withoutFlag = (event: BookEvent): BookEvent => {
  if (event.type !== 'BookOpened') return event;
  const { migrating: _flag, ...rest } = event;
  return rest;
};

const project = (events: ReadonlyArray<RecordedBookEvent>): BookProjection => {
  const projection = new BookProjection();
  for (const e of events) projection.apply(e);
  return projection;
};

let futureRefusals = 0;

describe('a book migrated with knownAt answers as the old system knew', () => {
  afterAll(() => {
    // The rules that read the clock were exercised (and agreed): otherwise the property would be weak.
    expect(futureRefusals).toBeGreaterThan(0);
  });

  it('for random histories: the same decisions, the same events, the same positions at every (asOf, knownAt)', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 10, maxLength: 80 }),
        fc.array(fc.tuple(fc.double({ min: -0.05, max: 1.05, noNaN: true }), fc.nat()), { minLength: 1, maxLength: 8 }),
        (steps, cuts) => {
          const live = buildBook(steps, 'live');
          const migrated = buildBook(steps, 'migrated');
          expect(migrated.outcomes).toEqual(live.outcomes);
          futureRefusals += live.outcomes.filter((o) => o === 'invalid effectiveAt' || o === 'invalid periodEnd').length;
          expect(migrated.recorded.map((r) => ({ ...r, event: withoutFlag(r.event) }))).toEqual(live.recorded);
          expect(migrated.recorded[0]!.event).toMatchObject({ type: 'BookOpened', migrating: true });

          const liveProjection = project(live.recorded);
          const migratedProjection = project(migrated.recorded);
          const first = START - 40 * DAY;
          const last = live.recorded[live.recorded.length - 1]!.recordedAt + DAY;
          const recordedTimes = live.recorded.map((r) => r.recordedAt);
          for (const [fraction, pick] of cuts) {
            const asOf = Math.round(first + fraction * (last - first));
            // knownAt exactly at a recording instant (the boundary), or just before it.
            const knownAt = recordedTimes[pick % recordedTimes.length]! - (pick % 2);
            const version = migratedProjection.versionAt(knownAt);
            expect(version).toBe(liveProjection.versionAt(knownAt));
            const raw = migratedProjection.raw(asOf, version);
            expect(positionFrom(raw)).toEqual(positionFrom(liveProjection.raw(asOf, version)));
            // And what the old system knew then, replayed naively from its own dates.
            expect(positionFrom(raw)).toEqual(positionFrom(naiveRaw(migrated.recorded, asOf, knownAt)));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
