import { formatBtc, formatInstant, formatRatio, formatUsd } from '@treasury/domain';
import type { SeriesFound } from '@treasury/application';
import type { Position } from '@treasury/projections';
import { orNull, sortedObject } from './position.view';

/** The core figures of a position, flat, for one point of a chart. */
export const seriesPointView = (p: Position) => ({
  asOf: formatInstant(p.asOf),
  btc: formatBtc(p.holdings.btc),
  pledgedBtc: formatBtc(p.holdings.pledgedBtc),
  unencumberedBtc: formatBtc(p.holdings.unencumberedBtc),
  usdPerBtc: p.price === null ? null : formatUsd(p.price.usdPerBtc),
  costBasisUsd: formatUsd(p.costBasis.totalUsd),
  realizedGainUsd: formatUsd(p.costBasis.realizedGainUsd),
  unrealizedGainUsd: orNull(p.costBasis.unrealizedGainUsd, formatUsd),
  cashUsd: formatUsd(p.cash.totalUsd),
  totalDebtUsd: formatUsd(p.leverage.totalDebtUsd),
  totalAssetsUsd: orNull(p.leverage.totalAssetsUsd, formatUsd),
  netDebtUsd: formatUsd(p.leverage.netDebtUsd),
  debtToAssets: orNull(p.leverage.debtToAssets, formatRatio),
  aggregateLtv: orNull(p.leverage.aggregateLtv, formatRatio),
  availableLiquidityUsd: orNull(p.liquidity.availableLiquidityUsd, formatUsd),
  /** Each open loan's LTV and its lines, so a chart draws every loan against its own thresholds. */
  loans: sortedObject(p.loans, (loan) => ({
    ltv: orNull(loan.ltv, formatRatio),
    marginCallLtv: formatRatio(loan.marginCallLtv),
    liquidationLtv: formatRatio(loan.liquidationLtv),
  })),
});

/** GET /position/series: the range asked for, then a point per step. */
export const seriesAnswer = ({ bookId, knownAt, revision, from, to, every, points }: SeriesFound) => ({
  bookId,
  knownAt,
  revision,
  from: formatInstant(from),
  to: formatInstant(to),
  every,
  points: points.map(seriesPointView),
});
