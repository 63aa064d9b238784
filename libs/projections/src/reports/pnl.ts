import { SATS_PER_BTC, divRoundHalfEven, formatBtc, formatUsd } from '@treasury/domain';
import type { BookProjection } from '../book/book-projection';
import { CASH_IN_PREFIX, CASH_OUT_PREFIX, INTEREST_CHARGED_PREFIX, MINING_USD_PREFIX } from '../book/fifo-plan';
import type { LotBook } from '../lots/lot-method';
import { usdRollforward } from './usd-rollforward';

/**
 * The period P&L, per month and in total, under a lot method. Every line is in cents:
 * - mining revenue: fair value on receipt, by pool (a payout without a pool under the empty name);
 * - realized gain on sales (gross of the sale fees: proceeds are recorded net of them), on BTC payments
 *   (fair value − cost) and on liquidations, from the method's disposals;
 * - trading fees (sale fees; purchase fees are in the lot's cost) and network fees (the cost a transfer
 *   fee relieved: an expense, not a realized loss), both expenses;
 * - fair-value remeasurement: the change in unrealized gain, the roll-forward's own figure (null without a price);
 * - interest expense: accrued from the terms over the month (term loans) plus what accrue-interest charged;
 * - expenses paid in BTC (fair value) and in cash by category, and cash received by category (other income);
 * - cost per BTC mined: the BTC and cash expenses of the production-cost categories ÷ BTC mined.
 * Realized on sales + payments + liquidations − trading fees − network fees is the roll-forward's realized gain.
 */
export interface PnlFigures {
  readonly miningRevenueUsd: bigint;
  readonly miningByPool: ReadonlyMap<string, bigint>;
  readonly realizedOnSalesUsd: bigint;
  readonly realizedOnPaymentsUsd: bigint;
  readonly realizedOnLiquidationsUsd: bigint;
  readonly tradingFeesUsd: bigint;
  readonly networkFeesUsd: bigint;
  readonly remeasurementUsd: bigint | null;
  readonly interestExpenseUsd: bigint;
  readonly interestByLoan: ReadonlyMap<string, bigint>;
  readonly btcExpenses: ReadonlyMap<string, bigint>;
  readonly cashExpenses: ReadonlyMap<string, bigint>;
  readonly otherIncome: ReadonlyMap<string, bigint>;
  readonly netIncomeUsd: bigint | null;
  readonly minedBtc: bigint;
  readonly productionCostUsd: bigint;
  readonly costPerBtcMinedUsd: bigint | null;
}

const total = (map: ReadonlyMap<string, bigint>): bigint => {
  let sum = 0n;
  for (const value of map.values()) sum += value;
  return sum;
};

const nonZero = (map: ReadonlyMap<string, bigint>): Map<string, bigint> => new Map([...map].filter(([, value]) => value !== 0n));

const addInto = (into: Map<string, bigint>, from: ReadonlyMap<string, bigint>) => {
  for (const [key, value] of from) into.set(key, (into.get(key) ?? 0n) + value);
};

/** The lines that follow from the others: net income, production cost and cost per BTC mined. */
const derived = (
  lines: Omit<PnlFigures, 'miningRevenueUsd' | 'interestExpenseUsd' | 'netIncomeUsd' | 'productionCostUsd' | 'costPerBtcMinedUsd'>,
  productionCostCategories: ReadonlySet<string>,
): PnlFigures => {
  const miningRevenueUsd = total(lines.miningByPool);
  const interestExpenseUsd = total(lines.interestByLoan);
  let productionCostUsd = 0n;
  for (const category of productionCostCategories) productionCostUsd += (lines.btcExpenses.get(category) ?? 0n) + (lines.cashExpenses.get(category) ?? 0n);
  const netIncomeUsd =
    lines.remeasurementUsd === null
      ? null
      : miningRevenueUsd +
        lines.realizedOnSalesUsd +
        lines.realizedOnPaymentsUsd +
        lines.realizedOnLiquidationsUsd -
        lines.tradingFeesUsd -
        lines.networkFeesUsd +
        lines.remeasurementUsd -
        interestExpenseUsd -
        total(lines.btcExpenses) -
        total(lines.cashExpenses) +
        total(lines.otherIncome);
  return {
    ...lines,
    miningRevenueUsd,
    interestExpenseUsd,
    netIncomeUsd,
    productionCostUsd,
    costPerBtcMinedUsd: lines.minedBtc > 0n ? divRoundHalfEven(productionCostUsd * SATS_PER_BTC, lines.minedBtc) : null,
  };
};

/** Interest expense over (after, through] by loan: the terms' accrual between the two cuts plus the charges. */
const interestByLoan = (projection: BookProjection, after: number, through: number, v: number): Map<string, bigint> => {
  const byLoan = nonZero(projection.flowsByPrefix(INTEREST_CHARGED_PREFIX, after, through, v));
  for (const loanId of projection.loanIdsAt(v)) {
    const accrued = (at: number) => projection.termLoanFigures(loanId, at, v)?.accruedUsd ?? 0n;
    // The accrual from the terms is cumulative (payments never reduce it), so a period's is a difference.
    const accruedInPeriod = accrued(through) - accrued(after);
    if (accruedInPeriod !== 0n) byLoan.set(loanId, (byLoan.get(loanId) ?? 0n) + accruedInPeriod);
  }
  return byLoan;
};

export interface PnlReport {
  readonly months: ReadonlyArray<{ readonly label: string; readonly figures: PnlFigures }>;
  readonly total: PnlFigures;
}

/**
 * The P&L of consecutive months at version v under `lots`; `productionCostCategories` are the expense
 * categories whose costs make up the cost per BTC mined (the book's account mapping).
 */
export const pnlReport = (
  projection: BookProjection,
  lots: LotBook,
  months: ReadonlyArray<{ readonly label: string; readonly start: number; readonly end: number }>,
  v: number,
  productionCostCategories: ReadonlySet<string>,
): PnlReport => {
  const rollforward = usdRollforward(projection, lots, months, v);
  const rows = months.map(({ label, start, end }, index) => {
    const after = start - 1;
    let realizedOnSalesUsd = 0n;
    let realizedOnPaymentsUsd = 0n;
    let realizedOnLiquidationsUsd = 0n;
    let networkFeesUsd = 0n;
    for (const { disposal, relievedCostUsd } of lots.reliefs(start, end)) {
      const gain = disposal.proceedsUsd - relievedCostUsd;
      if (disposal.type === 'BtcSold') realizedOnSalesUsd += gain;
      else if (disposal.type === 'BtcPaid') realizedOnPaymentsUsd += gain;
      else if (disposal.type === 'CollateralLiquidated') realizedOnLiquidationsUsd += gain;
      else networkFeesUsd += relievedCostUsd;
    }
    const tradingFeesUsd = projection.flow('saleFeesUsd', after, end, v);
    const figures = derived(
      {
        miningByPool: nonZero(projection.flowsByPrefix(MINING_USD_PREFIX, after, end, v)),
        // Proceeds are net of the fees: the gain before them, the fees as their own expense.
        realizedOnSalesUsd: realizedOnSalesUsd + tradingFeesUsd,
        realizedOnPaymentsUsd,
        realizedOnLiquidationsUsd,
        tradingFeesUsd,
        networkFeesUsd,
        remeasurementUsd: rollforward[index]!.unrealizedChangeUsd,
        interestByLoan: interestByLoan(projection, after, end, v),
        btcExpenses: nonZero(projection.btcExpenses(after, end, v)),
        cashExpenses: nonZero(projection.flowsByPrefix(CASH_OUT_PREFIX, after, end, v)),
        otherIncome: nonZero(projection.flowsByPrefix(CASH_IN_PREFIX, after, end, v)),
        minedBtc: projection.flow('mined', after, end, v),
      },
      productionCostCategories,
    );
    return { label, figures };
  });
  return { months: rows, total: totalOf(rows.map((row) => row.figures), productionCostCategories) };
};

/** The total column: every line summed over the months; remeasurement null if any month's is. */
const totalOf = (months: ReadonlyArray<PnlFigures>, productionCostCategories: ReadonlySet<string>): PnlFigures => {
  const maps = { miningByPool: new Map<string, bigint>(), interestByLoan: new Map<string, bigint>(), btcExpenses: new Map<string, bigint>(), cashExpenses: new Map<string, bigint>(), otherIncome: new Map<string, bigint>() };
  let remeasurementUsd: bigint | null = 0n;
  const sums = { realizedOnSalesUsd: 0n, realizedOnPaymentsUsd: 0n, realizedOnLiquidationsUsd: 0n, tradingFeesUsd: 0n, networkFeesUsd: 0n, minedBtc: 0n };
  for (const month of months) {
    for (const key of Object.keys(maps) as Array<keyof typeof maps>) addInto(maps[key], month[key]);
    for (const key of Object.keys(sums) as Array<keyof typeof sums>) sums[key] += month[key];
    remeasurementUsd = remeasurementUsd === null || month.remeasurementUsd === null ? null : remeasurementUsd + month.remeasurementUsd;
  }
  return derived({ ...sums, ...maps, remeasurementUsd }, productionCostCategories);
};

const sortedObject = (map: ReadonlyMap<string, bigint>): Record<string, string> =>
  Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => [key, formatUsd(value)]));
const orNull = (value: bigint | null): string | null => (value === null ? null : formatUsd(value));

/** The JSON view of one column: USD at 2 decimals; a payout without a pool under `withoutPoolUsd`. */
export const pnlFiguresView = (figures: PnlFigures) => {
  const pools = new Map(figures.miningByPool);
  const withoutPool = pools.get('') ?? 0n;
  pools.delete('');
  return {
    miningRevenue: { totalUsd: formatUsd(figures.miningRevenueUsd), byPool: sortedObject(pools), withoutPoolUsd: formatUsd(withoutPool) },
    realizedGain: {
      onSalesUsd: formatUsd(figures.realizedOnSalesUsd),
      onPaymentsUsd: formatUsd(figures.realizedOnPaymentsUsd),
      onLiquidationsUsd: formatUsd(figures.realizedOnLiquidationsUsd),
    },
    tradingFeesUsd: formatUsd(figures.tradingFeesUsd),
    networkFeesUsd: formatUsd(figures.networkFeesUsd),
    fairValueRemeasurementUsd: orNull(figures.remeasurementUsd),
    interestExpense: { totalUsd: formatUsd(figures.interestExpenseUsd), byLoan: sortedObject(figures.interestByLoan) },
    expensesPaidInBtc: { totalUsd: formatUsd(total(figures.btcExpenses)), byCategory: sortedObject(figures.btcExpenses) },
    expensesPaidInCash: { totalUsd: formatUsd(total(figures.cashExpenses)), byCategory: sortedObject(figures.cashExpenses) },
    otherIncome: { totalUsd: formatUsd(total(figures.otherIncome)), byCategory: sortedObject(figures.otherIncome) },
    netIncomeUsd: orNull(figures.netIncomeUsd),
    minedBtc: formatBtc(figures.minedBtc),
    productionCostUsd: formatUsd(figures.productionCostUsd),
    costPerBtcMinedUsd: orNull(figures.costPerBtcMinedUsd),
  };
};
export type PnlFiguresView = ReturnType<typeof pnlFiguresView>;
