import { formatBtc, formatInstant, formatRatio, formatUsd } from '@treasury/domain';
import type { MonthEndFound } from '@treasury/application';
import type { MonthEndRow, UsdRollforward } from '@treasury/projections';
import { orNull } from '../positions/position.view';
import { monthlyHeaderView } from './monthly-header.view';

/** The USD roll-forward's JSON: USD at 2 decimals; the fair-value terms and the check null where a boundary has no price. */
export const usdRollforwardView = (row: UsdRollforward) => ({
  openingFairValueUsd: orNull(row.openingFairValueUsd, formatUsd),
  minedUsd: formatUsd(row.minedUsd),
  purchasedUsd: formatUsd(row.purchasedUsd),
  openingBalancesUsd: formatUsd(row.openingBalancesUsd),
  additionsUsd: formatUsd(row.additionsUsd),
  salesUsd: formatUsd(row.salesUsd),
  paymentsUsd: formatUsd(row.paymentsUsd),
  liquidationsUsd: formatUsd(row.liquidationsUsd),
  proceedsUsd: formatUsd(row.proceedsUsd),
  realizedGainUsd: formatUsd(row.realizedGainUsd),
  openingUnrealizedGainUsd: orNull(row.openingUnrealizedGainUsd, formatUsd),
  closingUnrealizedGainUsd: orNull(row.closingUnrealizedGainUsd, formatUsd),
  unrealizedChangeUsd: orNull(row.unrealizedChangeUsd, formatUsd),
  openingBalancesRevaluationUsd: formatUsd(row.openingBalancesRevaluationUsd),
  closingFairValueUsd: orNull(row.closingFairValueUsd, formatUsd),
  rollforwardCheckUsd: orNull(row.rollforwardCheckUsd, formatUsd),
});

/** One month: the BTC roll-forward (BTC at 8 decimals), the month-end position, then the USD roll-forward. */
export const monthEndRowView = (row: MonthEndRow) => ({
  month: row.month,
  asOf: formatInstant(row.asOf),
  openingBtc: formatBtc(row.openingBtc),
  openingBalancesBtc: formatBtc(row.openingBalancesBtc),
  minedBtc: formatBtc(row.minedBtc),
  purchasedBtc: formatBtc(row.purchasedBtc),
  soldBtc: formatBtc(row.soldBtc),
  paidBtc: formatBtc(row.paidBtc),
  liquidatedBtc: formatBtc(row.liquidatedBtc),
  transferredOutBtc: formatBtc(row.transferredOutBtc),
  transferredInBtc: formatBtc(row.transferredInBtc),
  closingBtc: formatBtc(row.closingBtc),
  rollforwardCheckBtc: formatBtc(row.rollforwardCheckBtc),
  pledgedBtc: formatBtc(row.pledgedBtc),
  usdPerBtc: orNull(row.usdPerBtc, formatUsd),
  cashUsd: formatUsd(row.cashUsd),
  totalDebtUsd: formatUsd(row.totalDebtUsd),
  debtToAssets: orNull(row.debtToAssets, formatRatio),
  availableLiquidityUsd: orNull(row.availableLiquidityUsd, formatUsd),
  usd: usdRollforwardView(row.usd),
});

/** GET /reports/month-end: the report's header, then a row per month. */
export const monthEndAnswer = (found: MonthEndFound) => ({ ...monthlyHeaderView(found), months: found.months.map(monthEndRowView) });
