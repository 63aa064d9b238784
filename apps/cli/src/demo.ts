import { existsSync, rmSync } from 'node:fs';
import * as E from 'fp-ts/Either';
import { NoProjectionSnapshots, PositionProjector, PositionQueries, SystemClock } from '@treasury/application';
import type { EventStore } from '@treasury/event-store';
import { textTable } from './text-table';

/**
 * `npm run demo`: the example book (published monthly figures of a listed miner, with its 30 June 2025
 * holdings brought in as opening lots) loaded into a fresh ./data/demo.db, and the accountant's reports
 * for July 2025 to February 2026 printed from it: the BTC and USD roll-forwards, the P&L, the month-end
 * position and the reconciliation against the published holdings.
 */
export const DEMO_DB = './data/demo.db';
const BOOK = 'seed-miner';
const MONTHS = { from: { year: 2025, month: 7 }, to: { year: 2026, month: 2 } };

export const runDemo = async (openStore: (db: string) => EventStore, load: (store: EventStore) => Promise<boolean>): Promise<number> => {
  // A fresh demo database every run, so the output is always the same.
  for (const path of [DEMO_DB, `${DEMO_DB}-wal`, `${DEMO_DB}-shm`, `${DEMO_DB}.projection`]) if (existsSync(path)) rmSync(path);
  const store = openStore(DEMO_DB);
  try {
    if (!(await load(store))) return 1;
    const projector = new PositionProjector(store, new NoProjectionSnapshots());
    const started = await projector.start()();
    if (E.isLeft(started)) throw started.left;
    const queries = new PositionQueries(projector, new SystemClock(), () => started.right.checkpoint);
    const report = await queries.monthEnd(BOOK, MONTHS)();
    const pnl = await queries.pnl(BOOK, MONTHS)();
    const reconciled = await queries.reconciliation(BOOK, {})();
    await projector.stop();
    if (E.isLeft(report) || E.isLeft(pnl) || E.isLeft(reconciled)) throw new Error('the demo book could not be read back');
    const months = report.right.months;
    print('BTC roll-forward, seed-miner (as known now)', [['month', 'month'], ['opening', 'openingBtc'], ['opening balances', 'openingBalancesBtc'], ['mined', 'minedBtc'], ['purchased', 'purchasedBtc'], ['sold', 'soldBtc'], ['paid', 'paidBtc'], ['fees', 'fees'], ['closing', 'closingBtc'], ['check', 'rollforwardCheckBtc']],
      months.map((m) => ({ ...m, fees: difference(m.transferredOutBtc, m.transferredInBtc, 8) })));
    print('USD roll-forward at fair value (ASU 2023-08; company-wide FIFO)', [['month', 'month'], ['opening FV', 'openingFairValueUsd'], ['additions', 'additionsUsd'], ['proceeds', 'proceedsUsd'], ['realized', 'realizedGainUsd'], ['unrealized change', 'unrealizedChangeUsd'], ['closing FV', 'closingFairValueUsd'], ['check', 'rollforwardCheckUsd']],
      months.map((m) => ({ month: m.month, ...m.usd })));
    const pnlRows = [...pnl.right.months, { month: 'total', ...pnl.right.total }];
    print(`P&L (production costs: ${pnl.right.productionCostCategories.join(', ') || 'none set'})`, [['month', 'month'], ['mining revenue', 'mining'], ['realized', 'realized'], ['remeasurement', 'fairValueRemeasurementUsd'], ['interest', 'interest'], ['cash expenses', 'cash'], ['net income', 'netIncomeUsd'], ['cost per BTC mined', 'costPerBtcMinedUsd']],
      pnlRows.map((m) => ({ ...m, mining: m.miningRevenue.totalUsd, realized: sumUsd(m.realizedGain.onSalesUsd, m.realizedGain.onPaymentsUsd, m.realizedGain.onLiquidationsUsd), interest: m.interestExpense.totalUsd, cash: m.expensesPaidInCash.totalUsd })));
    print('Month-end position', [['month', 'month'], ['closing', 'closingBtc'], ['pledged', 'pledgedBtc'], ['price', 'usdPerBtc'], ['cash', 'cashUsd'], ['debt', 'totalDebtUsd'], ['debt/assets', 'debtToAssets'], ['available liquidity', 'availableLiquidityUsd']], months);
    print(`Reconciliation against the published month-end figures (tolerance ${reconciled.right.toleranceBtc} BTC)`,
      [['as of', 'asOf'], ['source', 'source'], ['held (published)', 'reported'], ['held (ledger)', 'ledger'], ['difference', 'difference'], ['mined diff', 'mined'], ['sold diff', 'sold'], ['flagged', 'flagged']],
      reconciled.right.reports.map((r) => ({
        asOf: r.asOf.slice(0, 10),
        source: r.source,
        reported: r.btc?.reported,
        ledger: r.btc?.ledger,
        difference: r.btc?.difference,
        mined: r.minedBtc?.difference ?? null,
        sold: r.soldBtc?.difference ?? null,
        flagged: r.flagged ? 'yes' : 'no',
      })));
    console.log(`\nThe demo book is in ${DEMO_DB}: TREASURY_DB=${DEMO_DB} npm start, then e.g. GET /v1/books/${BOOK}/position?asOf=2026-02-28T23:59:59Z`);
    return 0;
  } finally {
    await store.close();
  }
};

const print = (title: string, columns: ReadonlyArray<readonly [string, string]>, rows: ReadonlyArray<Record<string, unknown>>) => {
  console.log(`\n${title}\n`);
  console.log(textTable(columns, rows));
};

/** Fixed-scale decimal strings (as the API writes them) added exactly, in minor units: never through a float. */
const addDecimals = (scale: number, terms: ReadonlyArray<readonly [amount: string, sign: bigint]>): string => {
  const units = terms.reduce((total, [amount, sign]) => total + sign * BigInt(amount.replace('.', '')), 0n);
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  return `${units < 0n ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};
const sumUsd = (...amounts: string[]): string => addDecimals(2, amounts.map((amount) => [amount, 1n] as const));
const difference = (a: string, b: string, scale: number): string => addDecimals(scale, [[a, 1n], [b, -1n]]);
