import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { balanceEffects } from './balance-effects';
import { BookCommand } from './book.commands';
import { BookState, RecordedBookEvent, decide, evolve, initialState } from './book.decider';
import { BookEvent, BookEventCodec } from './book.events';

/**
 * Property: amend-event's balance rule (the target out, the replacement in, checked as one change) is
 * exact. On random books an amendment is accepted only if a naive recomputation of every balance, over
 * the events as they would be after it, never goes below zero; and refused for a balance only if it would.
 */
const DAY = 86_400_000;
const START = Date.parse('2025-01-01T00:00:00Z');
const wallet = fc.constantFrom('hot', 'cold');
const amount = fc.bigInt({ min: 1n, max: 400_000_000n });

const step = fc.record({
  gapMs: fc.integer({ min: 0, max: 2 * DAY }),
  backdateMs: fc.oneof(fc.integer({ min: 0, max: DAY }), fc.integer({ min: 0, max: 20 * DAY })),
  action: fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('mine' as const), wallet, btc: amount }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('sell' as const), wallet, btc: amount }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('transfer' as const),
        from: wallet,
        btc: amount,
        feeBtc: fc.bigInt({ min: 0n, max: 1000n }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('cash' as const),
        amountUsd: fc.bigInt({ min: -5_000_000n, max: 5_000_000n }).filter((n) => n !== 0n),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
  ),
});
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const toCommand = (s: Step, effectiveAt: number, recorded: ReadonlyArray<RecordedBookEvent>): BookCommand | undefined => {
  const a = s.action;
  switch (a.kind) {
    case 'mine':
      return { name: 'record-mining-output', body: { effectiveAt, wallet: a.wallet, btc: a.btc, usdPerBtc: 5_000_000n } };
    case 'sell':
      return { name: 'record-btc-sale', body: { effectiveAt, wallet: a.wallet, btc: a.btc, proceedsUsd: 1_000_000n } };
    case 'transfer':
      return {
        name: 'transfer-btc',
        body: { effectiveAt, fromWallet: a.from, toWallet: a.from === 'hot' ? 'cold' : 'hot', btc: a.btc, feeBtc: a.feeBtc },
      };
    case 'cash':
      return { name: 'record-cash-movement', body: { effectiveAt, cashAccount: 'operating', amountUsd: a.amountUsd, category: 'opex' } };
    case 'reverse':
      return recorded.length < 2
        ? undefined
        : { name: 'reverse-event', body: { eventId: recorded[1 + (a.pick % (recorded.length - 1))]!.eventId, reason: 'test' } };
  }
};

const build = (steps: ReadonlyArray<Step>): { state: BookState; recorded: RecordedBookEvent[]; now: number } => {
  const state = initialState();
  const recorded: RecordedBookEvent[] = [];
  let now = START;
  const record = (cmd: BookCommand) => {
    const decision = decide(cmd, state, { now });
    if (E.isLeft(decision)) return;
    for (const event of decision.right) {
      const r: RecordedBookEvent = {
        eventId: `00000000-0000-4000-8000-${String(recorded.length).padStart(12, '0')}`,
        revision: recorded.length,
        recordedAt: now,
        event,
      };
      evolve(state, r);
      recorded.push(r);
    }
  };
  record({ name: 'open-book', body: { name: 'P', effectiveAt: START - 30 * DAY } });
  for (const s of steps) {
    now += s.gapMs;
    const cmd = toCommand(s, now - s.backdateMs, recorded);
    if (cmd !== undefined) record(cmd);
  }
  return { state, recorded, now };
};

/** Every balance, replayed from the live events in (effectiveAt, revision) order: does any go below zero? */
const naiveNeverNegative = (events: ReadonlyArray<{ readonly revision: number; readonly event: BookEvent }>): boolean => {
  const reversed = new Set(events.flatMap(({ event }) => (event.type === 'EventReversed' ? [event.eventId] : [])));
  const live = events.filter((e) => !reversed.has((e as { eventId?: string }).eventId ?? '') && e.event.type !== 'EventReversed');
  const ordered = [...live].sort((a, b) => a.event.effectiveAt - b.event.effectiveAt || a.revision - b.revision);
  const balances = new Map<string, bigint>();
  for (const { event } of ordered) {
    for (const { key, delta } of balanceEffects(event)) {
      const next = (balances.get(key) ?? 0n) + delta;
      if (next < 0n) return false;
      balances.set(key, next);
    }
  }
  return true;
};

const BALANCE_CODES = ['insufficient-unencumbered-btc', 'insufficient-cash'];

describe('amend-event checks the change as one against every balance (property)', () => {
  it('accepts exactly the amendments after which a naive replay never goes below zero', () => {
    let accepted = 0;
    let refusedForBalance = 0;
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 5, maxLength: 60 }),
        fc.record({ pick: fc.nat(), percent: fc.integer({ min: 1, max: 250 }), shiftMs: fc.integer({ min: -15 * DAY, max: 15 * DAY }) }),
        (steps, amendment) => {
          const { state, recorded, now } = build(steps);
          if (recorded.length < 2) return;
          const target = recorded[1 + (amendment.pick % (recorded.length - 1))]!;
          if (target.event.type === 'EventReversed') return;
          const changed: Record<string, unknown> = {
            ...target.event,
            effectiveAt: Math.min(target.event.effectiveAt + amendment.shiftMs, now),
          };
          const field = (['btc', 'amountUsd'] as const).find((name) => typeof changed[name] === 'bigint')!;
          const scaled = ((changed[field] as bigint) * BigInt(amendment.percent)) / 100n;
          changed[field] = scaled === 0n ? changed[field] : scaled;
          const replacementEvent = changed as BookEvent;
          const { type: _type, ...replacement } = BookEventCodec.encode(replacementEvent);
          const decision = decide({ name: 'amend-event', body: { eventId: target.eventId, replacement, reason: 'test' } }, state, { now });

          const after = [
            ...recorded.map((r) => ({ ...r, eventId: r.eventId })),
            {
              revision: recorded.length,
              eventId: 'reversal',
              event: { type: 'EventReversed', effectiveAt: now, eventId: target.eventId, reason: 'test' } as BookEvent,
            },
            { revision: recorded.length + 1, eventId: 'replacement', event: replacementEvent },
          ];
          const valid = naiveNeverNegative(after);
          if (E.isRight(decision)) {
            accepted += 1;
            expect(valid).toBe(true);
            expect(decision.right[1]).toEqual(replacementEvent);
          } else if (decision.left._tag === 'RuleViolated' && BALANCE_CODES.includes(decision.left.code)) {
            refusedForBalance += 1;
            expect(valid).toBe(false);
          } else {
            // Refused for another reason (e.g. effectiveAt before the book opened): nothing to compare.
            expect(decision.left._tag === 'RuleViolated' && BALANCE_CODES.includes(decision.left.code)).toBe(false);
          }
          if (!valid) expect(E.isLeft(decision)).toBe(true);
        },
      ),
      { numRuns: 800 },
    );
    expect(accepted).toBeGreaterThan(100);
    expect(refusedForBalance).toBeGreaterThan(50);
  });
});
