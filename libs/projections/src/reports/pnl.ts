import { SATS_PER_BTC, divRoundHalfEven } from '@treasury/domain';
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
 * - fair-value remeasurement: the roll-forward's change in unrealized gain less the opening lots'
 *   revaluation (their gain from before the book, opening-revaluation.ts: opening equity, shown apart as
 *   openingBalancesRevaluationUsd); null without a price;
 * - interest expense: accrued from the terms over the month (term loans) plus what accrue-interest charged;
 * - expenses paid in BTC (fair value) and in cash by category, and cash received by category (other income),
 *   except the categories the account mapping marks as balance sheet (capital spending, equity, transfers
 *   between accounts): those are listed apart, notInPnl, and count in no P&L line nor in cost per BTC;
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
  /** The opening lots' fair value at their effectiveAt − their cost: opening equity, not P&L. */
  readonly openingBalancesRevaluationUsd: bigint;
  readonly interestExpenseUsd: bigint;
  readonly interestByLoan: ReadonlyMap<string, bigint>;
  readonly btcExpenses: ReadonlyMap<string, bigint>;
  readonly cashExpenses: ReadonlyMap<string, bigint>;
  readonly otherIncome: ReadonlyMap<string, bigint>;
  /** BTC payments and cash movements (out, in) of the balance-sheet categories: not P&L. */
  readonly notInPnlPaidInBtc: ReadonlyMap<string, bigint>;
  readonly notInPnlCashOut: ReadonlyMap<string, bigint>;
  readonly notInPnlCashIn: ReadonlyMap<string, bigint>;
  readonly netIncomeUsd: bigint | null;
  readonly minedBtc: bigint;
  readonly productionCostUsd: bigint;
  readonly costPerBtcMinedUsd: bigint | null;
}

/** The sum of a by-category (or by-pool, by-loan) map: its total line. */
export const categoryTotal = (map: ReadonlyMap<string, bigint>): bigint => {
  let sum = 0n;
  for (const value of map.values()) sum += value;
  return sum;
};

const nonZero = (map: ReadonlyMap<string, bigint>): Map<string, bigint> => new Map([...map].filter(([, value]) => value !== 0n));

/** A category map split in two: the P&L's categories and the balance-sheet ones. */
const splitBy = (map: ReadonlyMap<string, bigint>, balanceSheet: ReadonlySet<string>): [Map<string, bigint>, Map<string, bigint>] => {
  const pnl = new Map<string, bigint>();
  const apart = new Map<string, bigint>();
  for (const [category, value] of nonZero(map)) (balanceSheet.has(category) ? apart : pnl).set(category, value);
  return [pnl, apart];
};

const addInto = (into: Map<string, bigint>, from: ReadonlyMap<string, bigint>) => {
  for (const [key, value] of from) into.set(key, (into.get(key) ?? 0n) + value);
};

/** The lines that follow from the others: net income, production cost and cost per BTC mined. */
const derived = (
  lines: Omit<PnlFigures, 'miningRevenueUsd' | 'interestExpenseUsd' | 'netIncomeUsd' | 'productionCostUsd' | 'costPerBtcMinedUsd'>,
  productionCostCategories: ReadonlySet<string>,
  balanceSheetCategories: ReadonlySet<string>,
): PnlFigures => {
  const miningRevenueUsd = categoryTotal(lines.miningByPool);
  const interestExpenseUsd = categoryTotal(lines.interestByLoan);
  let productionCostUsd = 0n;
  // A balance-sheet category is no cost (its lines are not in btcExpenses / cashExpenses anyway).
  for (const category of productionCostCategories)
    if (!balanceSheetCategories.has(category))
      productionCostUsd += (lines.btcExpenses.get(category) ?? 0n) + (lines.cashExpenses.get(category) ?? 0n);
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
        categoryTotal(lines.btcExpenses) -
        categoryTotal(lines.cashExpenses) +
        categoryTotal(lines.otherIncome);
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
const interestByLoan = (projection: BookProjection, after: number, through: number, version: number): Map<string, bigint> => {
  const byLoan = nonZero(projection.flowsByPrefix(INTEREST_CHARGED_PREFIX, after, through, version));
  for (const loanId of projection.loanIdsAt(version)) {
    const accrued = (at: number) => projection.termLoanFigures(loanId, at, version)?.accruedUsd ?? 0n;
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
 * The P&L of consecutive months at version under `lots`; `productionCostCategories` are the expense
 * categories whose costs make up the cost per BTC mined, `balanceSheetCategories` those that are not P&L
 * at all (both from the book's account mapping; a category in both is balance sheet).
 */
export const pnlReport = (
  projection: BookProjection,
  lots: LotBook,
  months: ReadonlyArray<{ readonly label: string; readonly start: number; readonly end: number }>,
  version: number,
  productionCostCategories: ReadonlySet<string>,
  balanceSheetCategories: ReadonlySet<string> = new Set(),
): PnlReport => {
  const rollforward = usdRollforward(projection, lots, months, version);
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
    const tradingFeesUsd = projection.flow('saleFeesUsd', after, end, version);
    const [btcExpenses, notInPnlPaidInBtc] = splitBy(projection.btcExpenses(after, end, version), balanceSheetCategories);
    const [cashExpenses, notInPnlCashOut] = splitBy(projection.flowsByPrefix(CASH_OUT_PREFIX, after, end, version), balanceSheetCategories);
    const [otherIncome, notInPnlCashIn] = splitBy(projection.flowsByPrefix(CASH_IN_PREFIX, after, end, version), balanceSheetCategories);
    const { unrealizedChangeUsd, openingBalancesRevaluationUsd } = rollforward[index]!;
    const figures = derived(
      {
        miningByPool: nonZero(projection.flowsByPrefix(MINING_USD_PREFIX, after, end, version)),
        // Proceeds are net of the fees: the gain before them, the fees as their own expense.
        realizedOnSalesUsd: realizedOnSalesUsd + tradingFeesUsd,
        realizedOnPaymentsUsd,
        realizedOnLiquidationsUsd,
        tradingFeesUsd,
        networkFeesUsd,
        remeasurementUsd: unrealizedChangeUsd === null ? null : unrealizedChangeUsd - openingBalancesRevaluationUsd,
        openingBalancesRevaluationUsd,
        interestByLoan: interestByLoan(projection, after, end, version),
        btcExpenses,
        cashExpenses,
        otherIncome,
        notInPnlPaidInBtc,
        notInPnlCashOut,
        notInPnlCashIn,
        minedBtc: projection.flow('mined', after, end, version),
      },
      productionCostCategories,
      balanceSheetCategories,
    );
    return { label, figures };
  });
  return {
    months: rows,
    total: totalOf(
      rows.map((row) => row.figures),
      productionCostCategories,
      balanceSheetCategories,
    ),
  };
};

/** The total column: every line summed over the months; remeasurement null if any month's is. */
const totalOf = (
  months: ReadonlyArray<PnlFigures>,
  productionCostCategories: ReadonlySet<string>,
  balanceSheetCategories: ReadonlySet<string>,
): PnlFigures => {
  const map = () => new Map<string, bigint>();
  const maps = {
    miningByPool: map(),
    interestByLoan: map(),
    btcExpenses: map(),
    cashExpenses: map(),
    otherIncome: map(),
    notInPnlPaidInBtc: map(),
    notInPnlCashOut: map(),
    notInPnlCashIn: map(),
  };
  let remeasurementUsd: bigint | null = 0n;
  const sums = {
    realizedOnSalesUsd: 0n,
    realizedOnPaymentsUsd: 0n,
    realizedOnLiquidationsUsd: 0n,
    tradingFeesUsd: 0n,
    networkFeesUsd: 0n,
    minedBtc: 0n,
    openingBalancesRevaluationUsd: 0n,
  };
  for (const month of months) {
    for (const key of Object.keys(maps) as Array<keyof typeof maps>) addInto(maps[key], month[key]);
    for (const key of Object.keys(sums) as Array<keyof typeof sums>) sums[key] += month[key];
    remeasurementUsd = remeasurementUsd === null || month.remeasurementUsd === null ? null : remeasurementUsd + month.remeasurementUsd;
  }
  return derived({ ...sums, ...maps, remeasurementUsd }, productionCostCategories, balanceSheetCategories);
};
