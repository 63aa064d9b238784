import { formatBtc, formatDecimal, formatInstant, formatRatio, formatUsd } from '@treasury/domain';
import type { PositionFound } from '@treasury/application';
import type { Position } from '@treasury/projections';

/** A nullable figure in its format. */
export const orNull = <A>(value: A | null, format: (a: A) => string): string | null => (value === null ? null : format(value));

/** A map as a JSON object, its keys sorted, so the same position always reads the same. */
export const sortedObject = <V, W>(map: ReadonlyMap<string, V>, format: (v: V) => W): Record<string, W> =>
  Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, format(v)]));

/** The JSON view of a position's figures: fixed decimals (BTC 8, USD 2, ratios 6), ISO instants, null where no price. */
export const positionView = (position: Position) => ({
  asOf: formatInstant(position.asOf),
  holdings: {
    btc: formatBtc(position.holdings.btc),
    pledgedBtc: formatBtc(position.holdings.pledgedBtc),
    unencumberedBtc: formatBtc(position.holdings.unencumberedBtc),
    wallets: sortedObject(position.holdings.wallets, (w) => ({ btc: formatBtc(w.btc), pledgedBtc: formatBtc(w.pledgedBtc) })),
  },
  price:
    position.price === null
      ? null
      : {
          usdPerBtc: formatUsd(position.price.usdPerBtc),
          effectiveAt: formatInstant(position.price.effectiveAt),
          ageSeconds: position.price.ageSeconds,
          maxAgeSeconds: position.price.maxAgeSeconds,
          stale: position.price.stale,
        },
  costBasis: {
    totalUsd: formatUsd(position.costBasis.totalUsd),
    realizedGainUsd: formatUsd(position.costBasis.realizedGainUsd),
    unrealizedGainUsd: orNull(position.costBasis.unrealizedGainUsd, formatUsd),
  },
  cash: {
    totalUsd: formatUsd(position.cash.totalUsd),
    pledgedUsd: formatUsd(position.cash.pledgedUsd),
    accounts: sortedObject(position.cash.accounts, formatUsd),
  },
  loans: sortedObject(position.loans, (loan) => ({
    lender: loan.lender,
    drawnAt: formatInstant(loan.drawnAt),
    maturityAt: orNull(loan.maturityAt, formatInstant),
    annualRate: formatRatio(loan.annualRate),
    principalUsd: formatUsd(loan.principalUsd),
    accruedInterestUsd: formatUsd(loan.accruedInterestUsd),
    outstandingUsd: formatUsd(loan.outstandingUsd),
    pledgedBtc: formatBtc(loan.pledgedBtc),
    pledgedCashUsd: formatUsd(loan.pledgedCashUsd),
    ltv: orNull(loan.ltv, formatRatio),
    marginCallLtv: formatRatio(loan.marginCallLtv),
    liquidationLtv: formatRatio(loan.liquidationLtv),
    marginCallPriceUsd: orNull(loan.marginCallPriceUsd, formatUsd),
    liquidationPriceUsd: orNull(loan.liquidationPriceUsd, formatUsd),
    status: loan.status,
    daysToMaturity: loan.daysToMaturity,
    // The same micros as a percentage with 4 decimals ("25.0000" is 25%), as the name says.
    priceDropToMarginCallPct: orNull(loan.priceDropToMarginCall, (micros) => formatDecimal(micros, 4)),
    btcToCureMarginCall: orNull(loan.btcToCureMarginCall, formatBtc),
    usdToCureMarginCall: orNull(loan.usdToCureMarginCall, formatUsd),
  })),
  leverage: {
    totalDebtUsd: formatUsd(position.leverage.totalDebtUsd),
    totalAssetsUsd: orNull(position.leverage.totalAssetsUsd, formatUsd),
    netDebtUsd: formatUsd(position.leverage.netDebtUsd),
    debtToAssets: orNull(position.leverage.debtToAssets, formatRatio),
    securedDebtUsd: formatUsd(position.leverage.securedDebtUsd),
    collateralValueUsd: orNull(position.leverage.collateralValueUsd, formatUsd),
    aggregateLtv: orNull(position.leverage.aggregateLtv, formatRatio),
  },
  liquidity: {
    cashUsd: formatUsd(position.liquidity.cashUsd),
    unencumberedBtcValueUsd: orNull(position.liquidity.unencumberedBtcValueUsd, formatUsd),
    availableLiquidityUsd: orNull(position.liquidity.availableLiquidityUsd, formatUsd),
  },
});

/** GET /position: which book, what was known, the lot method, then the figures. */
export const positionAnswer = ({ position, ...header }: PositionFound) => ({ ...header, ...positionView(position) });
