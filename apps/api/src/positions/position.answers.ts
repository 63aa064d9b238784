import * as t from 'io-ts';
import { asComponent } from '@treasury/domain';
import type { PositionQueries } from '@treasury/application';
import { LOT_METHODS } from '@treasury/projections';
import { AnswerOf, BtcText, Integer, InstantText, PercentText, RatioText, SameShape, UsdText, closed, mapOf, nullable, oneOf } from '../docs/answer-codecs';

/**
 * What GET /position answers, as an io-ts codec: the OpenAPI document is generated from it, and the
 * check at the bottom makes `tsc` fail when the view (positionView and the query's header) and this
 * codec disagree.
 */

/** Every answer read from the projection says which book, what was known (knownAt) and at which revision. */
export const answerHeader = { bookId: t.string, knownAt: InstantText, revision: Integer } as const;

export const LotMethodText = oneOf(LOT_METHODS);

export const LoanStatusText = oneOf(['open', 'margin-call', 'liquidatable', 'matured', 'repaid']);

export const PriceAnswer = closed({ usdPerBtc: UsdText, effectiveAt: InstantText, ageSeconds: t.number, maxAgeSeconds: t.number, stale: t.boolean });

export const LoanAnswer = asComponent(
  closed({
    lender: t.string,
    drawnAt: InstantText,
    maturityAt: nullable(InstantText),
    annualRate: RatioText,
    principalUsd: UsdText,
    accruedInterestUsd: UsdText,
    outstandingUsd: UsdText,
    pledgedBtc: BtcText,
    pledgedCashUsd: UsdText,
    ltv: nullable(RatioText),
    marginCallLtv: RatioText,
    liquidationLtv: RatioText,
    marginCallPriceUsd: nullable(UsdText),
    liquidationPriceUsd: nullable(UsdText),
    status: LoanStatusText,
    daysToMaturity: nullable(t.number),
    priceDropToMarginCallPct: nullable(PercentText),
    btcToCureMarginCall: nullable(BtcText),
    usdToCureMarginCall: nullable(UsdText),
  }),
  'Loan',
);

export const PositionFigures = {
  asOf: InstantText,
  holdings: closed({ btc: BtcText, pledgedBtc: BtcText, unencumberedBtc: BtcText, wallets: mapOf(closed({ btc: BtcText, pledgedBtc: BtcText })) }),
  price: nullable(PriceAnswer),
  costBasis: closed({ totalUsd: UsdText, realizedGainUsd: UsdText, unrealizedGainUsd: nullable(UsdText) }),
  cash: closed({ totalUsd: UsdText, pledgedUsd: UsdText, accounts: mapOf(UsdText) }),
  loans: mapOf(LoanAnswer),
  leverage: closed({
    totalDebtUsd: UsdText,
    totalAssetsUsd: nullable(UsdText),
    netDebtUsd: UsdText,
    debtToAssets: nullable(RatioText),
    securedDebtUsd: UsdText,
    collateralValueUsd: nullable(UsdText),
    aggregateLtv: nullable(RatioText),
  }),
  liquidity: closed({ cashUsd: UsdText, unencumberedBtcValueUsd: nullable(UsdText), availableLiquidityUsd: nullable(UsdText) }),
};

export const PositionAnswer = asComponent(closed({ ...answerHeader, method: LotMethodText, ...PositionFigures }), 'Position');

export const positionAnswerIsTheView: SameShape<AnswerOf<PositionQueries['position']>, t.TypeOf<typeof PositionAnswer>> = [(v) => v, (a) => a];
