import { formatBtc, formatInstant, formatRatio, formatUsd } from '@treasury/domain';
import type { Position } from '../book/position';

const orNull = (value: bigint | null, format: (v: bigint) => string): string | null => (value === null ? null : format(value));

/** The core figures of a position, flat, for one point of a chart or a month-end row. */
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
  loans: Object.fromEntries(
    [...p.loans.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([loanId, loan]) => [loanId, { ltv: orNull(loan.ltv, formatRatio), marginCallLtv: formatRatio(loan.marginCallLtv), liquidationLtv: formatRatio(loan.liquidationLtv) }]),
  ),
});
export type SeriesPointView = ReturnType<typeof seriesPointView>;
