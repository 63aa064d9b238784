import { existsSync, rmSync } from 'node:fs';
import * as E from 'fp-ts/Either';
import { NoProjectionSnapshots, PositionProjector, PositionQueries, SystemClock } from '@treasury/application';
import { formatBtc, formatInstant, formatRatio, formatUsd } from '@treasury/domain';
import type { EventStore } from '@treasury/event-store';
import { Line, categoryTotal } from '@treasury/projections';
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
    print(
      'BTC roll-forward, seed-miner (as known now)',
      [
        ['month', 'month'],
        ['opening', 'openingBtc'],
        ['opening balances', 'openingBalancesBtc'],
        ['mined', 'minedBtc'],
        ['purchased', 'purchasedBtc'],
        ['sold', 'soldBtc'],
        ['paid', 'paidBtc'],
        ['fees', 'fees'],
        ['closing', 'closingBtc'],
        ['check', 'rollforwardCheckBtc'],
      ],
      months.map((m) => ({
        month: m.month,
        ...btcColumns(m, [
          'openingBtc',
          'openingBalancesBtc',
          'minedBtc',
          'purchasedBtc',
          'soldBtc',
          'paidBtc',
          'closingBtc',
          'rollforwardCheckBtc',
        ]),
        fees: formatBtc(m.transferredOutBtc - m.transferredInBtc),
      })),
    );
    print(
      'USD roll-forward at fair value (ASU 2023-08; company-wide FIFO)',
      [
        ['month', 'month'],
        ['opening FV', 'openingFairValueUsd'],
        ['additions', 'additionsUsd'],
        ['proceeds', 'proceedsUsd'],
        ['realized', 'realizedGainUsd'],
        ['unrealized change', 'unrealizedChangeUsd'],
        ['closing FV', 'closingFairValueUsd'],
        ['check', 'rollforwardCheckUsd'],
      ],
      months.map((m) => ({
        month: m.month,
        ...usdColumns(m.usd, [
          'openingFairValueUsd',
          'additionsUsd',
          'proceedsUsd',
          'realizedGainUsd',
          'unrealizedChangeUsd',
          'closingFairValueUsd',
          'rollforwardCheckUsd',
        ]),
      })),
    );
    const pnlRows = [...pnl.right.report.months, { label: 'total', figures: pnl.right.report.total }];
    print(
      `P&L (production costs: ${pnl.right.productionCostCategories.join(', ') || 'none set'})`,
      [
        ['month', 'month'],
        ['mining revenue', 'mining'],
        ['realized', 'realized'],
        ['remeasurement', 'remeasurement'],
        ['interest', 'interest'],
        ['cash expenses', 'cash'],
        ['net income', 'netIncome'],
        ['cost per BTC mined', 'costPerBtcMined'],
      ],
      pnlRows.map(({ label, figures: f }) => ({
        month: label,
        ...usdColumns(
          {
            mining: f.miningRevenueUsd,
            realized: f.realizedOnSalesUsd + f.realizedOnPaymentsUsd + f.realizedOnLiquidationsUsd,
            remeasurement: f.remeasurementUsd,
            interest: f.interestExpenseUsd,
            cash: categoryTotal(f.cashExpenses),
            netIncome: f.netIncomeUsd,
            costPerBtcMined: f.costPerBtcMinedUsd,
          },
          ['mining', 'realized', 'remeasurement', 'interest', 'cash', 'netIncome', 'costPerBtcMined'],
        ),
      })),
    );
    print(
      'Month-end position',
      [
        ['month', 'month'],
        ['closing', 'closingBtc'],
        ['pledged', 'pledgedBtc'],
        ['price', 'usdPerBtc'],
        ['cash', 'cashUsd'],
        ['debt', 'totalDebtUsd'],
        ['debt/assets', 'debtToAssets'],
        ['available liquidity', 'availableLiquidityUsd'],
      ],
      months.map((m) => ({
        month: m.month,
        ...btcColumns(m, ['closingBtc', 'pledgedBtc']),
        ...usdColumns(m, ['usdPerBtc', 'cashUsd', 'totalDebtUsd', 'availableLiquidityUsd']),
        debtToAssets: m.debtToAssets === null ? null : formatRatio(m.debtToAssets),
      })),
    );
    const { tolerance, reports } = reconciled.right.reconciliation;
    const btcDifference = (line: Line | null) => (line === null ? null : formatBtc(line.difference));
    print(
      `Reconciliation against the published month-end figures (tolerance ${formatBtc(tolerance.btc)} BTC)`,
      [
        ['as of', 'asOf'],
        ['source', 'source'],
        ['held (published)', 'reported'],
        ['held (ledger)', 'ledger'],
        ['difference', 'difference'],
        ['mined diff', 'mined'],
        ['sold diff', 'sold'],
        ['flagged', 'flagged'],
      ],
      reports.map(({ report, lines, flagged }) => ({
        asOf: formatInstant(report.effectiveAt).slice(0, 10),
        source: report.source,
        reported: lines.btc === null ? null : formatBtc(lines.btc.reported),
        ledger: lines.btc === null ? null : formatBtc(lines.btc.ledger),
        difference: btcDifference(lines.btc),
        mined: btcDifference(lines.minedBtc),
        sold: btcDifference(lines.soldBtc),
        flagged: flagged ? 'yes' : 'no',
      })),
    );
    console.log(
      `\nThe demo book is in ${DEMO_DB}: TREASURY_DB=${DEMO_DB} npm start, then e.g. GET /v1/books/${BOOK}/position?asOf=2026-02-28T23:59:59Z`,
    );
    return 0;
  } finally {
    await store.close();
  }
};

const print = (title: string, columns: ReadonlyArray<readonly [string, string]>, rows: ReadonlyArray<Record<string, unknown>>) => {
  console.log(`\n${title}\n`);
  console.log(textTable(columns, rows));
};

/**
 * The demo's own small view of the columns it prints (the API's views are apps/api's, which apps/cli
 * may not import): BTC at 8 decimals, USD at 2, `—` where a figure is null (no price).
 */
type AmountKey<R> = { [K in keyof R]: R[K] extends bigint | null ? K & string : never }[keyof R];
const columns =
  (format: (n: bigint) => string) =>
  <R>(row: R, keys: ReadonlyArray<AmountKey<R>>): Record<string, string | null> =>
    Object.fromEntries(
      keys.map((key) => {
        const amount = row[key] as bigint | null; // AmountKey<R> names only bigint | null fields
        return [key, amount === null ? null : format(amount)];
      }),
    );
const btcColumns = columns(formatBtc);
const usdColumns = columns(formatUsd);
