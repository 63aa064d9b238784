import fc from 'fast-check';
import type { BookEvent } from '@treasury/domain';
import { lotCost } from '../book/fifo';
import { LOT_METHODS, lotBook } from '../lots/lot-method';
import { naiveCompanyFifo, naiveWalletFifo } from '../testing/naive-wallet-fifo';
import { ACCOUNTING_MIX, START, bookStep, buildBook } from '../testing/random-books';
import { monthEndReport, monthsBetween } from './month-end';
import { pnlReport } from './pnl';
import { usdBoundaryAt, usdRollforward } from './usd-rollforward';

/**
 * Properties of the USD roll-forward and the P&L on random books (back-dated events, reversals,
 * amendments, opening lots queued before they are held), under both lot methods and at random knownAt:
 * the roll-forward closes to the cent every month that has a price at both ends; at every boundary the
 * method's open lots hold exactly the BTC the balances hold; and the P&L ties to the roll-forward.
 *
 * The identity cannot see a wrong relieved cost (realized subtracts it, the change in unrealized adds it
 * back), so each disposal's relieved cost and each month's realized gain are also checked against a naive
 * queue simulation (testing/naive-wallet-fifo.ts) in which a lot is relievable only once it is held.
 */

/** Books over months: every action that moves a USD term. */
const accountingStep = bookStep(ACCOUNTING_MIX, { maxGapDays: 6, longGaps: 3 });

/** What a disposal brought in: net proceeds, a payment's fair value, nothing for a network fee. */
const proceedsOf = (event: BookEvent): bigint => {
  if (event.type === 'BtcSold' || event.type === 'CollateralLiquidated') return event.proceedsUsd;
  if (event.type === 'BtcPaid') return lotCost(event.btc, event.usdPerBtc);
  return 0n;
};
describe('USD roll-forward and P&L on random books', () => {
  it('closes to the cent and ties, under fifo and wallet-fifo', () => {
    let closedMonths = 0;
    fc.assert(
      fc.property(
        fc.array(accountingStep, { minLength: 20, maxLength: 150, size: 'max' }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (steps, knownAtFraction) => {
          const book = buildBook(steps, { openedAt: START, firstPriceUsd: 5_000_000n });
          const projection = book.projection();
          const events = book.events;
          // What the ledger knew part-way (reversals and amendments not yet known are not applied).
          const knownAt = events[Math.min(events.length - 1, 1 + Math.floor(knownAtFraction * (events.length - 1)))]!.recordedAt;
          const version = projection.versionAt(knownAt);
          const last = new Date(Math.max(...events.map((e) => e.event.effectiveAt)));
          const months = monthsBetween({ year: 2025, month: 1 }, { year: last.getUTCFullYear(), month: last.getUTCMonth() + 1 })!;
          for (const method of LOT_METHODS) {
            const lots = lotBook(projection, version, method);
            const rows = usdRollforward(projection, lots, months, version);
            for (const row of rows) {
              if (row.rollforwardCheckUsd === null) continue;
              expect(row.rollforwardCheckUsd).toBe(0n);
              closedMonths += 1;
            }
            for (const { end } of months) {
              const boundary = usdBoundaryAt(projection, lots, version, end);
              const holdings = [...projection.raw(end, version).balances]
                .filter(([key]) => key.includes('-btc|'))
                .reduce((sum, [, amount]) => sum + amount, 0n);
              expect([method, end, boundary.openBtc]).toEqual([method, end, holdings]);
            }
            // The month-end report's usd object is the same roll-forward.
            expect(monthEndReport(projection, months, version, lots).map((row) => row.usd)).toEqual(rows);

            // Each disposal's relieved cost and each month's realized gain, against the naive simulation.
            const lastEnd = months[months.length - 1]!.end;
            const naive = (method === 'fifo' ? naiveCompanyFifo : naiveWalletFifo)(events, lastEnd, knownAt);
            const reliefs = [...lots.reliefs(Number.MIN_SAFE_INTEGER, lastEnd)];
            expect([method, new Map(reliefs.map((r) => [r.disposal.eventId, r.relievedCostUsd]))]).toEqual([
              method,
              new Map([...naive.reliefs].map(([id, r]) => [id, r.relievedCostUsd])),
            ]);
            const byId = new Map(events.map((e) => [e.eventId, e.event]));
            months.forEach(({ start, end }, i) => {
              let naiveRealized = 0n;
              for (const [eventId, { relievedCostUsd }] of naive.reliefs) {
                const event = byId.get(eventId)!;
                if (event.effectiveAt >= start && event.effectiveAt <= end) naiveRealized += proceedsOf(event) - relievedCostUsd;
              }
              expect([method, i, rows[i]!.realizedGainUsd]).toEqual([method, i, naiveRealized]);
            });

            const pnl = pnlReport(projection, lots, months, version, new Set(['power']));
            pnl.months.forEach(({ figures }, i) => {
              const row = rows[i]!;
              // The P&L's remeasurement and the opening lots' revaluation (opening equity) make up the unrealized change.
              expect(figures.remeasurementUsd === null ? null : figures.remeasurementUsd + figures.openingBalancesRevaluationUsd).toBe(
                row.unrealizedChangeUsd,
              );
              expect(figures.openingBalancesRevaluationUsd).toBe(row.openingBalancesRevaluationUsd);
              expect(
                figures.realizedOnSalesUsd +
                  figures.realizedOnPaymentsUsd +
                  figures.realizedOnLiquidationsUsd -
                  figures.tradingFeesUsd -
                  figures.networkFeesUsd,
              ).toBe(row.realizedGainUsd);
              expect(figures.miningRevenueUsd).toBe(row.minedUsd);
            });
            expect(pnl.total.miningRevenueUsd).toBe(rows.reduce((sum, row) => sum + row.minedUsd, 0n));
          }
        },
      ),
      { numRuns: 100 },
    );
    // Most months had a price at both ends: the identity was checked, not skipped.
    expect(closedMonths).toBeGreaterThan(800);
  });
});
