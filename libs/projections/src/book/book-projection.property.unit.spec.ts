import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { BookCommand, BookEventCodec, BookState, RecordedBookEvent, decide, evolve, initialState } from '@treasury/domain';
import { naiveRaw } from '../testing/naive-replay';
import { explainFigure } from '../explain/explain-figure';
import { BookProjection, BookProjectionSnapshot } from './book-projection';
import type { RawPosition } from './raw-position';
import { positionFrom } from './position';

/**
 * Property: for random books (decided by the real decider, so every book is one the engine could
 * hold, back-dated events and reversals included) and random asOf / knownAt, the indexed projection
 * equals the naive replay from zero.
 */
const DAY = 86_400_000;
const START = Date.parse('2025-01-01T00:00:00Z');

const wallet = fc.constantFrom('cold', 'hot', 'pool');
const loanId = fc.constantFrom('loan-a', 'loan-b');
// Mining brings whole coins; what leaves is smaller, so most generated disposals are accepted.
const mined = fc.bigInt({ min: 1n, max: 5_000_000_000n });
const sats = fc.bigInt({ min: 1n, max: 300_000_000n });
const cents = fc.bigInt({ min: 1n, max: 10_000_000_00n });

const step = fc.record({
  recordGapMs: fc.oneof(fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 0, max: 1500 })),
  // How far back the event is dated from its recording: mostly recent, sometimes weeks back.
  backdateMs: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: DAY }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 2000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 * DAY }) },
  ),
  action: fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('mine' as const), wallet, btc: mined, usdPerBtc: cents }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('sell' as const), wallet, btc: sats, proceedsUsd: cents }) },
    fc.record({ kind: fc.constant('transfer' as const), from: wallet, to: wallet, btc: sats, feeBtc: fc.bigInt({ min: 0n, max: 100_000n }) }),
    fc.record({ kind: fc.constant('price' as const), usdPerBtc: cents }),
    // Loans accrue from their terms under each day count; rates are repriced; interest is paid in amounts that often fit.
    fc.record({ kind: fc.constant('draw' as const), loanId, principalUsd: cents, dayCount: fc.constantFrom('act/365', 'act/360', '30/360'), annualRate: fc.bigInt({ min: 0n, max: 250_000n }) }),
    fc.record({ kind: fc.constant('reprice' as const), loanId, annualRate: fc.bigInt({ min: 0n, max: 250_000n }) }),
    fc.record({ kind: fc.constant('pledge' as const), loanId, wallet, btc: sats }),
    fc.record({ kind: fc.constant('release' as const), loanId, wallet, btc: sats }),
    fc.record({ kind: fc.constant('accrue' as const), loanId, interestUsd: cents }),
    fc.record({ kind: fc.constant('repay' as const), loanId, principalUsd: fc.bigInt({ min: 0n, max: 100_000_00n }), interestUsd: fc.oneof(fc.bigInt({ min: 0n, max: 1_000_00n }), fc.bigInt({ min: 0n, max: 10_000_000_00n })) }),
    fc.record({ kind: fc.constant('liquidate' as const), loanId, wallet, btc: sats, proceedsUsd: cents }),
    // Opening lots: held from their effectiveAt (or the book's opening), queued in FIFO by an earlier acquiredAt.
    fc.record({ kind: fc.constant('opening' as const), wallet, btc: mined, costBasisUsd: fc.bigInt({ min: 0n, max: 10_000_000_00n }), acquiredBeforeMs: fc.integer({ min: 0, max: 400 * DAY }), atOpening: fc.boolean() }),
    fc.record({ kind: fc.constant('opening-cash' as const), amountUsd: cents }),
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('buy' as const), wallet, btc: mined, costUsd: fc.bigInt({ min: 1n, max: 100_000_00n }), feesUsd: fc.bigInt({ min: 0n, max: 1_000_00n }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('pay' as const), wallet, btc: sats, usdPerBtc: cents, category: fc.constantFrom('hosting', 'power') }) },
    fc.record({ kind: fc.constant('cash' as const), amountUsd: fc.bigInt({ min: -1_000_000_00n, max: 10_000_000_00n }).filter((n) => n !== 0n) }),
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
    // Amendments: an earlier event again with one amount scaled and its effectiveAt moved (many are refused).
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('amend' as const), pick: fc.nat(), percent: fc.integer({ min: 1, max: 200 }), shiftMs: fc.integer({ min: -10 * DAY, max: 10 * DAY }) }) },
  ),
});
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const SCALED = ['btc', 'amountUsd', 'proceedsUsd', 'costUsd', 'costBasisUsd', 'usdPerBtc', 'principalUsd', 'interestUsd'] as const;
let amendmentsAccepted = 0;

/** amend-event on an earlier event: its own fields as the replacement body, one amount scaled, moved in time. */
const amendment = (a: { pick: number; percent: number; shiftMs: number }, recorded: ReadonlyArray<RecordedBookEvent>): BookCommand | undefined => {
  if (recorded.length < 2) return undefined;
  const target = recorded[1 + (a.pick % (recorded.length - 1))]!;
  const changed: Record<string, unknown> = { ...target.event, effectiveAt: target.event.effectiveAt + a.shiftMs };
  const field = SCALED.find((name) => typeof changed[name] === 'bigint');
  if (field !== undefined) {
    const scaled = ((changed[field] as bigint) * BigInt(a.percent)) / 100n;
    changed[field] = scaled === 0n ? (changed[field] as bigint) : scaled;
  }
  const { type: _type, ...replacement } = BookEventCodec.encode(changed as RecordedBookEvent['event']);
  return { name: 'amend-event', body: { eventId: target.eventId, replacement, reason: 'test' } };
};

const toCommand = (s: Step, effectiveAt: number, eventIds: string[], recorded: ReadonlyArray<RecordedBookEvent> = []): BookCommand | undefined => {
  const a = s.action;
  switch (a.kind) {
    case 'mine':
      return { name: 'record-mining-output', body: { effectiveAt, wallet: a.wallet, btc: a.btc, usdPerBtc: a.usdPerBtc } };
    case 'sell':
      return { name: 'record-btc-sale', body: { effectiveAt, wallet: a.wallet, btc: a.btc, proceedsUsd: a.proceedsUsd } };
    case 'transfer':
      return { name: 'transfer-btc', body: { effectiveAt, fromWallet: a.from, toWallet: a.to, btc: a.btc, feeBtc: a.feeBtc } };
    case 'price':
      return { name: 'record-btc-price', body: { effectiveAt, usdPerBtc: a.usdPerBtc } };
    case 'draw':
      return { name: 'draw-loan', body: { effectiveAt, loanId: a.loanId, lender: 'L', principalUsd: a.principalUsd, annualRate: a.annualRate, marginCallLtv: 700_000n, liquidationLtv: 850_000n, dayCount: a.dayCount } };
    case 'reprice':
      return { name: 'reprice-loan', body: { effectiveAt, loanId: a.loanId, annualRate: a.annualRate } };
    case 'pledge':
      return { name: 'pledge-collateral', body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc } };
    case 'release':
      return { name: 'release-collateral', body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc } };
    case 'accrue':
      return { name: 'accrue-interest', body: { effectiveAt, loanId: a.loanId, interestUsd: a.interestUsd } };
    case 'repay':
      return { name: 'repay-loan', body: { effectiveAt, loanId: a.loanId, principalUsd: a.principalUsd, interestUsd: a.interestUsd } };
    case 'liquidate':
      return { name: 'liquidate-collateral', body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc, proceedsUsd: a.proceedsUsd } };
    case 'cash':
      return { name: 'record-cash-movement', body: { effectiveAt, cashAccount: 'operating', amountUsd: a.amountUsd, category: 'opex' } };
    case 'opening': {
      const heldFrom = a.atOpening ? START - 365 * DAY : effectiveAt;
      return {
        name: 'record-opening-balance',
        body: { wallet: a.wallet, btc: a.btc, costBasisUsd: a.costBasisUsd, acquiredAt: heldFrom - a.acquiredBeforeMs, ...(a.atOpening ? {} : { effectiveAt }) },
      };
    }
    case 'opening-cash':
      return { name: 'record-opening-cash', body: { effectiveAt, cashAccount: 'operating', amountUsd: a.amountUsd } };
    case 'buy':
      return { name: 'record-btc-purchase', body: { effectiveAt, wallet: a.wallet, btc: a.btc, costUsd: a.costUsd, feesUsd: a.feesUsd } };
    case 'pay':
      return { name: 'record-btc-payment', body: { effectiveAt, wallet: a.wallet, btc: a.btc, usdPerBtc: a.usdPerBtc, category: a.category } };
    case 'reverse':
      return eventIds.length < 2 ? undefined : { name: 'reverse-event', body: { eventId: eventIds[1 + (a.pick % (eventIds.length - 1))]!, reason: 'test' } };
    case 'amend':
      return amendment(a, recorded);
  }
};

/** Runs the steps through the decider, keeping what it accepts, as the engine would record them. */
const buildBook = (steps: ReadonlyArray<Step>): RecordedBookEvent[] => {
  const state: BookState = initialState();
  const recorded: RecordedBookEvent[] = [];
  const eventIds: string[] = [];
  let now = START;
  const record = (cmd: BookCommand) => {
    const decision = decide(cmd, state, { now });
    if (E.isLeft(decision)) return;
    if (cmd.name === 'amend-event') amendmentsAccepted += 1;
    for (const event of decision.right) {
      const eventId = `00000000-0000-4000-8000-${String(recorded.length).padStart(12, '0')}`;
      const r: RecordedBookEvent = { eventId, revision: recorded.length, recordedAt: now, event };
      evolve(state, r);
      recorded.push(r);
      eventIds.push(eventId);
    }
  };
  record({ name: 'open-book', body: { name: 'P', effectiveAt: START - 365 * DAY } });
  for (const s of steps) {
    now += s.recordGapMs;
    const cmd = toCommand(s, now - s.backdateMs, eventIds, recorded);
    if (cmd !== undefined) record(cmd);
  }
  return recorded;
};

const cut = fc.oneof(
  fc.record({ kind: fc.constant('span' as const), fraction: fc.double({ min: -0.05, max: 1.05, noNaN: true }) }),
  fc.record({ kind: fc.constant('event' as const), index: fc.nat() }),
);
type Cut = typeof cut extends fc.Arbitrary<infer C> ? C : never;

const normalise = (raw: RawPosition) => ({
  ...raw,
  balances: [...raw.balances.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  loans: [...raw.loans].sort((a, b) => (a.loanId < b.loanId ? -1 : 1)),
});

describe('BookProjection equals a naive replay from zero', () => {
  it('for random books and random asOf / knownAt', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 20, maxLength: 150 }),
        // A cut is either a point in the book's span or exactly an event's time (boundaries matter).
        fc.array(fc.tuple(cut, cut), { minLength: 1, maxLength: 8 }),
        // Part-way through, the projection goes through a snapshot (serialised as the file adapter does) and carries on.
        fc.double({ min: 0, max: 1, noNaN: true }),
        (steps, cuts, snapshotAt) => {
          const events = buildBook(steps);
          const split = Math.floor(snapshotAt * events.length);
          let projection = new BookProjection();
          events.forEach((e, index) => {
            if (index === split) projection = BookProjection.fromSnapshot(deserialize(serialize(projection.toSnapshot())) as BookProjectionSnapshot);
            projection.apply(e);
          });
          const first = START - 10 * DAY;
          const last = events[events.length - 1]!.recordedAt + DAY;
          const times = events.flatMap((e) => [e.recordedAt, e.event.effectiveAt]);
          const at = (c: Cut) => (c.kind === 'span' ? Math.round(first + c.fraction * (last - first)) : times[c.index % times.length]!);
          for (const [a, k] of cuts) {
            const asOf = at(a);
            const knownAt = at(k);
            const v = projection.versionAt(knownAt);
            const indexed = projection.raw(asOf, v);
            expect(normalise(indexed)).toEqual(normalise(naiveRaw(events, asOf, knownAt)));

            // The lot listings agree with the totals: the lots held are the holdings and the position's cost basis.
            const open = [...projection.openLots(asOf, v)];
            const position = positionFrom(indexed);
            expect(open.reduce((s, l) => s + l.btc, 0n)).toBe(position.holdings.btc);
            expect(open.reduce((s, l) => s + l.costUsd, 0n)).toBe(position.costBasis.totalUsd);
            expect(position.costBasis.totalUsd).toBe(indexed.acquiredCostUsd - indexed.relievedCostUsd - indexed.openingPendingUsd);
            const disposals = [...projection.disposals(Number.MIN_SAFE_INTEGER, asOf, v)];
            expect(disposals.reduce((s, d) => s + d.relievedCostUsd, 0n)).toBe(indexed.relievedCostUsd);
            for (const d of disposals) {
              expect(d.lots.reduce((s, l) => s + l.btc, 0n)).toBe(d.disposal.btc);
              expect(d.lots.reduce((s, l) => s + l.costUsd, 0n)).toBe(d.relievedCostUsd);
            }

            // The BTC roll-forward holds over any window: the flows explain every change in holdings.
            const btcAt = (t: number) => [...projection.raw(t, v).balances].filter(([k]) => k.includes('-btc|')).reduce((sum, [, amount]) => sum + amount, 0n);
            const from = Math.min(asOf, at(k));
            const kinds = ['mined', 'sold', 'liquidated', 'transferredOut', 'transferredIn', 'opening', 'purchased', 'paid'] as const;
            const flows = kinds.map((kind) => projection.flow(kind, from, asOf, v));
            expect(btcAt(asOf) - btcAt(from)).toBe(flows[0]! - flows[1]! - flows[2]! - flows[3]! + flows[4]! + flows[5]! + flows[6]! - flows[7]!);

            // Every additive figure is exactly the sum of the contributions explain lists.
            const figures = [
              'holdings.btc', 'holdings.unencumberedBtc', 'holdings.pledgedBtc', 'cash.totalUsd', 'liquidity.cashUsd',
              'costBasis.totalUsd', 'costBasis.realizedGainUsd', 'leverage.totalDebtUsd', 'leverage.netDebtUsd',
              ...['cold', 'hot', 'pool'].flatMap((w) => [`holdings.wallets.${w}.btc`, `holdings.wallets.${w}.pledgedBtc`]),
              ...indexed.loans.flatMap((l) => ['principalUsd', 'accruedInterestUsd', 'outstandingUsd', 'pledgedBtc'].map((f) => `loans.${l.loanId}.${f}`)),
              'cash.accounts.operating',
            ];
            for (const figure of figures) {
              const explained = explainFigure(projection, figure, asOf, v);
              if (E.isLeft(explained) || explained.right.kind !== 'sum') throw new Error(`${figure}: ${JSON.stringify(explained)}`);
              expect([figure, explained.right.contributions.reduce((sum, c) => sum + c.amount, 0n)]).toEqual([figure, explained.right.value]);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    // Amendments (reversal + replacement in one commit) must have been among the books, not all refused.
    expect(amendmentsAccepted).toBeGreaterThan(50);
  });
});
