import * as t from 'io-ts';
import { asComponent, bookEventCodecs, withSchema } from '@treasury/domain';
import { LOT_METHODS, SERIES_STEPS } from '@treasury/projections';
import { ExplainView } from './explanation.view';
import { disposalsAnswer, openLotsAnswer } from './lots.view';
import { positionAnswer } from './position.view';
import { seriesAnswer } from './series.view';
import type { reconciliationAnswer } from '../reports/reconciliation.view';
import {
  BtcText,
  Integer,
  InstantText,
  PercentText,
  RatioText,
  SameShape,
  UsdText,
  closed,
  mapOf,
  nullable,
  oneOf,
} from '../docs/answer-codecs';

/**
 * What GET /position answers, as an io-ts codec: the OpenAPI document is generated from it, and the
 * check at the bottom makes `tsc` fail when the view (position.view.ts, beside the controller) and this
 * codec disagree.
 */

/** Every answer read from the projection says which book, what was known (knownAt) and at which revision. */
export const answerHeader = { bookId: t.string, knownAt: InstantText, revision: Integer } as const;

export const LotMethodText = oneOf(LOT_METHODS);

/** An event type's name. */
export const EventTypeText = t.keyof(
  Object.fromEntries(Object.keys(bookEventCodecs).map((type) => [type, null])) as Record<keyof typeof bookEventCodecs, null>,
);

/** Who published a report: typed as the string the view writes, documented as its three values. */
const REPORT_SOURCES = ['operational-update', 'custodian-statement', 'lender-statement'] as const;
const ReportSourceText = withSchema(
  new t.Type<string, string, unknown>(
    'ReportSourceText',
    (u): u is string => typeof u === 'string',
    (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
  {
    type: 'string',
    enum: [...REPORT_SOURCES],
  },
);

export const LoanStatusText = oneOf(['open', 'margin-call', 'liquidatable', 'matured', 'repaid']);

export const PriceAnswer = closed({
  usdPerBtc: UsdText,
  effectiveAt: InstantText,
  ageSeconds: t.number,
  maxAgeSeconds: t.number,
  stale: t.boolean,
});

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
  holdings: closed({
    btc: BtcText,
    pledgedBtc: BtcText,
    unencumberedBtc: BtcText,
    wallets: mapOf(closed({ btc: BtcText, pledgedBtc: BtcText })),
  }),
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

export const positionAnswerIsTheView: SameShape<ReturnType<typeof positionAnswer>, t.TypeOf<typeof PositionAnswer>> = [(v) => v, (a) => a];

export const SeriesPointAnswer = closed({
  asOf: InstantText,
  btc: BtcText,
  pledgedBtc: BtcText,
  unencumberedBtc: BtcText,
  usdPerBtc: nullable(UsdText),
  costBasisUsd: UsdText,
  realizedGainUsd: UsdText,
  unrealizedGainUsd: nullable(UsdText),
  cashUsd: UsdText,
  totalDebtUsd: UsdText,
  totalAssetsUsd: nullable(UsdText),
  netDebtUsd: UsdText,
  debtToAssets: nullable(RatioText),
  aggregateLtv: nullable(RatioText),
  availableLiquidityUsd: nullable(UsdText),
  loans: mapOf(closed({ ltv: nullable(RatioText), marginCallLtv: RatioText, liquidationLtv: RatioText })),
});

export const SeriesAnswer = asComponent(
  closed({ ...answerHeader, from: InstantText, to: InstantText, every: oneOf(SERIES_STEPS), points: t.readonlyArray(SeriesPointAnswer) }),
  'PositionSeries',
);

const LotSliceAnswer = closed({ lotEventId: t.string, acquiredAt: InstantText, btc: BtcText, costUsd: UsdText });

export const OpenLotsAnswer = asComponent(
  closed({
    ...answerHeader,
    asOf: InstantText,
    method: LotMethodText,
    totalBtc: BtcText,
    totalCostUsd: UsdText,
    lots: t.readonlyArray(
      closed(
        { lotEventId: t.string, acquiredAt: InstantText, btc: BtcText, costUsd: UsdText, lotBtc: BtcText, lotCostUsd: UsdText },
        { wallet: t.string },
      ),
    ),
  }),
  'OpenLots',
);

export const DisposalsAnswer = asComponent(
  closed({
    ...answerHeader,
    from: nullable(InstantText),
    to: InstantText,
    method: LotMethodText,
    disposals: t.readonlyArray(
      closed(
        {
          eventId: t.string,
          type: EventTypeText,
          effectiveAt: InstantText,
          btc: BtcText,
          proceedsUsd: UsdText,
          relievedCostUsd: UsdText,
          realizedGainUsd: UsdText,
          lots: t.readonlyArray(LotSliceAnswer),
        },
        { wallet: t.string },
      ),
    ),
  }),
  'Disposals',
);

/** A figure in its unit: BTC with 8 decimals, USD with 2, a ratio with 6. */
const AmountText = t.union([BtcText, UsdText, RatioText]);
const FigureUnitText = oneOf(['BTC', 'USD', 'ratio']);
const ContributionAnswer = closed(
  { eventId: t.string, revision: Integer, type: EventTypeText, effectiveAt: InstantText, recordedAt: InstantText, amount: AmountText },
  { runningTotal: AmountText, formula: t.string, detail: mapOf(t.union([BtcText, UsdText])) },
);
const explained = { ...answerHeader, asOf: InstantText, figure: t.string, unit: FigureUnitText, value: nullable(AmountText) };

export const ExplainAnswer = asComponent(
  t.union([
    closed({
      ...explained,
      kind: t.literal('sum'),
      count: Integer,
      contributions: t.readonlyArray(ContributionAnswer),
      next: nullable(Integer),
    }),
    closed({ ...explained, kind: t.literal('observation'), source: nullable(ContributionAnswer) }),
    closed({
      ...explained,
      kind: t.literal('formula'),
      formula: t.string,
      inputs: t.readonlyArray(closed({ figure: t.string, unit: FigureUnitText, value: nullable(AmountText) })),
    }),
  ]),
  'Explanation',
);

const LineAnswer = (amount: t.Mixed) => nullable(closed({ reported: amount, ledger: amount, difference: amount, flagged: t.boolean }));

export const ReconciliationAnswer = asComponent(
  closed({
    ...answerHeader,
    toleranceBtc: BtcText,
    toleranceUsd: UsdText,
    flagged: Integer,
    reports: t.readonlyArray(
      closed({
        eventId: t.string,
        asOf: InstantText,
        periodStart: InstantText,
        source: ReportSourceText,
        scope: t.union([t.literal('company'), closed({ wallet: t.string }), closed({ loanId: t.string })]),
        flagged: t.boolean,
        tolerance: closed({ source: nullable(ReportSourceText), btc: BtcText, usd: UsdText, setBy: nullable(t.string) }),
        btc: LineAnswer(BtcText),
        pledgedBtc: LineAnswer(BtcText),
        minedBtc: LineAnswer(BtcText),
        soldBtc: LineAnswer(BtcText),
        outstandingUsd: LineAnswer(UsdText),
      }),
    ),
  }),
  'Reconciliation',
);

export const seriesAnswerIsTheView: SameShape<ReturnType<typeof seriesAnswer>, t.TypeOf<typeof SeriesAnswer>> = [(v) => v, (a) => a];
export const lotsAnswerIsTheView: SameShape<ReturnType<typeof openLotsAnswer>, t.TypeOf<typeof OpenLotsAnswer>> = [(v) => v, (a) => a];
export const disposalsAnswerIsTheView: SameShape<ReturnType<typeof disposalsAnswer>, t.TypeOf<typeof DisposalsAnswer>> = [
  (v) => v,
  (a) => a,
];
export const explainAnswerIsTheView: SameShape<ExplainView, t.TypeOf<typeof ExplainAnswer>> = [(v) => v, (a) => a];
export const reconciliationAnswerIsTheView: SameShape<ReturnType<typeof reconciliationAnswer>, t.TypeOf<typeof ReconciliationAnswer>> = [
  (v) => v,
  (a) => a,
];
