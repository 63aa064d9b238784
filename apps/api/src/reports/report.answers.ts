import * as t from 'io-ts';
import { asComponent } from '@treasury/domain';
import { BtcText, InstantText, MonthText, RatioText, SameShape, UsdText, closed, mapOf, nullable } from '../docs/answer-codecs';
import { LotMethodText, answerHeader } from '../positions/position.answers';
import type { monthEndAnswer } from './month-end.view';
import type { pnlAnswer } from './pnl.view';

/** What the month-end and P&L reports answer (the OpenAPI document is generated from these codecs). */

const UsdRollforwardAnswer = closed({
  openingFairValueUsd: nullable(UsdText),
  minedUsd: UsdText,
  purchasedUsd: UsdText,
  openingBalancesUsd: UsdText,
  additionsUsd: UsdText,
  salesUsd: UsdText,
  paymentsUsd: UsdText,
  liquidationsUsd: UsdText,
  proceedsUsd: UsdText,
  realizedGainUsd: UsdText,
  openingUnrealizedGainUsd: nullable(UsdText),
  closingUnrealizedGainUsd: nullable(UsdText),
  unrealizedChangeUsd: nullable(UsdText),
  openingBalancesRevaluationUsd: UsdText,
  closingFairValueUsd: nullable(UsdText),
  rollforwardCheckUsd: nullable(UsdText),
});

const MonthEndRowAnswer = closed({
  month: MonthText,
  asOf: InstantText,
  openingBtc: BtcText,
  openingBalancesBtc: BtcText,
  minedBtc: BtcText,
  purchasedBtc: BtcText,
  soldBtc: BtcText,
  paidBtc: BtcText,
  liquidatedBtc: BtcText,
  transferredOutBtc: BtcText,
  transferredInBtc: BtcText,
  closingBtc: BtcText,
  rollforwardCheckBtc: BtcText,
  pledgedBtc: BtcText,
  usdPerBtc: nullable(UsdText),
  cashUsd: UsdText,
  totalDebtUsd: UsdText,
  debtToAssets: nullable(RatioText),
  availableLiquidityUsd: nullable(UsdText),
  usd: UsdRollforwardAnswer,
});

const reportHeader = { ...answerHeader, timeZone: t.string, bookOpenedAt: InstantText, firstMonth: MonthText, method: LotMethodText };

export const MonthEndAnswer = asComponent(closed({ ...reportHeader, months: t.readonlyArray(MonthEndRowAnswer) }), 'MonthEndReport');

const byCategory = closed({ totalUsd: UsdText, byCategory: mapOf(UsdText) });
const pnlFigures = {
  miningRevenue: closed({ totalUsd: UsdText, byPool: mapOf(UsdText), withoutPoolUsd: UsdText }),
  realizedGain: closed({ onSalesUsd: UsdText, onPaymentsUsd: UsdText, onLiquidationsUsd: UsdText }),
  tradingFeesUsd: UsdText,
  networkFeesUsd: UsdText,
  fairValueRemeasurementUsd: nullable(UsdText),
  openingBalancesRevaluationUsd: UsdText,
  interestExpense: closed({ totalUsd: UsdText, byLoan: mapOf(UsdText) }),
  expensesPaidInBtc: byCategory,
  expensesPaidInCash: byCategory,
  otherIncome: byCategory,
  netIncomeUsd: nullable(UsdText),
  notInPnl: closed({ paidInBtc: byCategory, cashOut: byCategory, cashIn: byCategory }),
  minedBtc: BtcText,
  productionCostUsd: UsdText,
  costPerBtcMinedUsd: nullable(UsdText),
};

export const PnlAnswer = asComponent(
  closed({
    ...reportHeader,
    productionCostCategories: t.readonlyArray(t.string),
    balanceSheetCategories: t.readonlyArray(t.string),
    months: t.readonlyArray(closed({ month: MonthText, ...pnlFigures })),
    total: closed(pnlFigures),
  }),
  'PnlReport',
);

export const monthEndAnswerIsTheView: SameShape<ReturnType<typeof monthEndAnswer>, t.TypeOf<typeof MonthEndAnswer>> = [(v) => v, (a) => a];
export const pnlAnswerIsTheView: SameShape<ReturnType<typeof pnlAnswer>, t.TypeOf<typeof PnlAnswer>> = [(v) => v, (a) => a];
