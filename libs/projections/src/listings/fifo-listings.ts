import { formatBtc, formatInstant, formatUsd } from '@treasury/domain';
import type { BookProjection, LotSlice } from '../book/book-projection';

/** Open FIFO lots at (asOf, v), oldest first: what is left of each lot and what that part cost. */
export const openLotsView = (projection: BookProjection, asOf: number, v: number) => {
  const lots = [...projection.openLots(asOf, v)];
  return {
    totalBtc: formatBtc(lots.reduce((sum, slice) => sum + slice.btc, 0n)),
    totalCostUsd: formatUsd(lots.reduce((sum, slice) => sum + slice.costUsd, 0n)),
    lots: lots.map((slice) => ({
      lotEventId: slice.lot.eventId,
      acquiredAt: formatInstant(slice.lot.effectiveAt),
      btc: formatBtc(slice.btc),
      costUsd: formatUsd(slice.costUsd),
      lotBtc: formatBtc(slice.lot.btc),
      lotCostUsd: formatUsd(slice.lot.costUsd),
    })),
  };
};

const sliceView = (slice: LotSlice) => ({
  lotEventId: slice.lot.eventId,
  acquiredAt: formatInstant(slice.lot.effectiveAt),
  btc: formatBtc(slice.btc),
  costUsd: formatUsd(slice.costUsd),
});

/**
 * Disposals with from <= effectiveAt <= to at version v: each sale, liquidation or network fee with
 * the lot slices it relieved and its realized gain. `undefined` when there are more than `max`.
 */
export const disposalsView = (projection: BookProjection, from: number, to: number, v: number, max: number) => {
  const disposals = [];
  for (const { disposal, relievedCostUsd, lots } of projection.disposals(from, to, v)) {
    if (disposals.length === max) return undefined;
    disposals.push({
      eventId: disposal.eventId,
      type: disposal.type,
      effectiveAt: formatInstant(disposal.effectiveAt),
      btc: formatBtc(disposal.btc),
      proceedsUsd: formatUsd(disposal.proceedsUsd),
      relievedCostUsd: formatUsd(relievedCostUsd),
      realizedGainUsd: formatUsd(disposal.proceedsUsd - relievedCostUsd),
      lots: lots.map(sliceView),
    });
  }
  return disposals;
};
