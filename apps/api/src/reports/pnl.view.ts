import { formatBtc, formatUsd } from '@treasury/domain';
import type { PnlFound } from '@treasury/application';
import { PnlFigures, categoryTotal } from '@treasury/projections';
import { orNull, sortedObject } from '../positions/position.view';
import { monthlyHeaderView } from './monthly-header.view';

/** A total and its lines by category (keys sorted), USD at 2 decimals. */
const byCategory = (map: ReadonlyMap<string, bigint>) => ({
  totalUsd: formatUsd(categoryTotal(map)),
  byCategory: sortedObject(map, formatUsd),
});

/** One column of the P&L: USD at 2 decimals; a payout without a pool under `withoutPoolUsd`. */
export const pnlFiguresView = (figures: PnlFigures) => {
  const pools = new Map(figures.miningByPool);
  const withoutPool = pools.get('') ?? 0n;
  pools.delete('');
  return {
    miningRevenue: {
      totalUsd: formatUsd(figures.miningRevenueUsd),
      byPool: sortedObject(pools, formatUsd),
      withoutPoolUsd: formatUsd(withoutPool),
    },
    realizedGain: {
      onSalesUsd: formatUsd(figures.realizedOnSalesUsd),
      onPaymentsUsd: formatUsd(figures.realizedOnPaymentsUsd),
      onLiquidationsUsd: formatUsd(figures.realizedOnLiquidationsUsd),
    },
    tradingFeesUsd: formatUsd(figures.tradingFeesUsd),
    networkFeesUsd: formatUsd(figures.networkFeesUsd),
    fairValueRemeasurementUsd: orNull(figures.remeasurementUsd, formatUsd),
    openingBalancesRevaluationUsd: formatUsd(figures.openingBalancesRevaluationUsd),
    interestExpense: { totalUsd: formatUsd(figures.interestExpenseUsd), byLoan: sortedObject(figures.interestByLoan, formatUsd) },
    expensesPaidInBtc: byCategory(figures.btcExpenses),
    expensesPaidInCash: byCategory(figures.cashExpenses),
    otherIncome: byCategory(figures.otherIncome),
    netIncomeUsd: orNull(figures.netIncomeUsd, formatUsd),
    notInPnl: {
      paidInBtc: byCategory(figures.notInPnlPaidInBtc),
      cashOut: byCategory(figures.notInPnlCashOut),
      cashIn: byCategory(figures.notInPnlCashIn),
    },
    minedBtc: formatBtc(figures.minedBtc),
    productionCostUsd: formatUsd(figures.productionCostUsd),
    costPerBtcMinedUsd: orNull(figures.costPerBtcMinedUsd, formatUsd),
  };
};

/** GET /reports/pnl: the header, the account mapping's categories, a column per month and the total. */
export const pnlAnswer = (found: PnlFound) => ({
  ...monthlyHeaderView(found),
  productionCostCategories: found.productionCostCategories,
  balanceSheetCategories: found.balanceSheetCategories,
  months: found.report.months.map(({ label, figures }) => ({ month: label, ...pnlFiguresView(figures) })),
  total: pnlFiguresView(found.report.total),
});
