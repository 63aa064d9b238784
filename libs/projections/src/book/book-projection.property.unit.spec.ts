import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import type { BookCommand } from '@treasury/domain';
import { naiveRaw } from '../testing/naive-replay';
import { DAY, EVERYTHING_MIX, START, bookStep, buildBook } from '../testing/random-books';
import { explainFigure } from '../explain/explain-figure';
import { BookProjection, BookProjectionSnapshot } from './book-projection';
import type { RawPosition } from './raw-position';
import { positionFrom } from './position';

/**
 * Property: for random books (decided by the real decider, so every book is one the engine could
 * hold, back-dated events and reversals included) and random asOf / knownAt, the indexed projection
 * equals the naive replay from zero.
 */
const step = bookStep(EVERYTHING_MIX);
let amendmentsAccepted = 0;
const countAmendments = (command: BookCommand) => {
  if (command.name === 'amend-event') amendmentsAccepted += 1;
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
          const events = buildBook(steps, { accepted: countAmendments }).events;
          const split = Math.floor(snapshotAt * events.length);
          let projection = new BookProjection();
          events.forEach((e, index) => {
            if (index === split)
              projection = BookProjection.fromSnapshot(deserialize(serialize(projection.toSnapshot())) as BookProjectionSnapshot);
            projection.apply(e);
          });
          const first = START - 10 * DAY;
          const last = events[events.length - 1]!.recordedAt + DAY;
          const times = events.flatMap((e) => [e.recordedAt, e.event.effectiveAt]);
          const at = (c: Cut) => (c.kind === 'span' ? Math.round(first + c.fraction * (last - first)) : times[c.index % times.length]!);
          for (const [a, k] of cuts) {
            const asOf = at(a);
            const knownAt = at(k);
            const version = projection.versionAt(knownAt);
            const indexed = projection.raw(asOf, version);
            expect(normalise(indexed)).toEqual(normalise(naiveRaw(events, asOf, knownAt)));

            // The lot listings agree with the totals: the lots held are the holdings and the position's cost basis.
            const open = [...projection.openLots(asOf, version)];
            const position = positionFrom(indexed);
            expect(open.reduce((s, l) => s + l.btc, 0n)).toBe(position.holdings.btc);
            expect(open.reduce((s, l) => s + l.costUsd, 0n)).toBe(position.costBasis.totalUsd);
            expect(position.costBasis.totalUsd).toBe(indexed.acquiredCostUsd - indexed.relievedCostUsd - indexed.openingPendingUsd);
            const disposals = [...projection.disposals(Number.MIN_SAFE_INTEGER, asOf, version)];
            expect(disposals.reduce((s, d) => s + d.relievedCostUsd, 0n)).toBe(indexed.relievedCostUsd);
            for (const d of disposals) {
              expect(d.lots.reduce((s, l) => s + l.btc, 0n)).toBe(d.disposal.btc);
              expect(d.lots.reduce((s, l) => s + l.costUsd, 0n)).toBe(d.relievedCostUsd);
            }

            // The BTC roll-forward holds over any window: the flows explain every change in holdings.
            const btcAt = (t: number) =>
              [...projection.raw(t, version).balances].filter(([k]) => k.includes('-btc|')).reduce((sum, [, amount]) => sum + amount, 0n);
            const from = Math.min(asOf, at(k));
            const kinds = ['mined', 'sold', 'liquidated', 'transferredOut', 'transferredIn', 'opening', 'purchased', 'paid'] as const;
            const flows = kinds.map((kind) => projection.flow(kind, from, asOf, version));
            expect(btcAt(asOf) - btcAt(from)).toBe(
              flows[0]! - flows[1]! - flows[2]! - flows[3]! + flows[4]! + flows[5]! + flows[6]! - flows[7]!,
            );

            // Every additive figure is exactly the sum of the contributions explain lists.
            const figures = [
              'holdings.btc',
              'holdings.unencumberedBtc',
              'holdings.pledgedBtc',
              'cash.totalUsd',
              'liquidity.cashUsd',
              'costBasis.totalUsd',
              'costBasis.realizedGainUsd',
              'leverage.totalDebtUsd',
              'leverage.netDebtUsd',
              ...['cold', 'hot', 'pool'].flatMap((w) => [`holdings.wallets.${w}.btc`, `holdings.wallets.${w}.pledgedBtc`]),
              ...indexed.loans.flatMap((l) =>
                ['principalUsd', 'accruedInterestUsd', 'outstandingUsd', 'pledgedBtc'].map((f) => `loans.${l.loanId}.${f}`),
              ),
              'cash.accounts.operating',
            ];
            for (const figure of figures) {
              const explained = explainFigure(projection, figure, asOf, version);
              if (E.isLeft(explained) || explained.right.kind !== 'sum') throw new Error(`${figure}: ${JSON.stringify(explained)}`);
              expect([figure, explained.right.contributions.reduce((sum, c) => sum + c.amount, 0n)]).toEqual([
                figure,
                explained.right.value,
              ]);
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
