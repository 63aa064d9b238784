import { formatBtc, formatInstant, formatUsd } from '@treasury/domain';
import type { LotSlice } from '../book/book-projection';
import type { HeldSlice, LotMethod, Relief } from '../lots/lot-method';

/** Under wallet-fifo a slice or a disposal names its wallet; under fifo the field is absent. */
const walletField = (wallet: string | undefined) => (wallet === undefined ? {} : { wallet });

/** Open lots at a cut under one method, oldest first (by wallet under wallet-fifo): what is left of each lot and what that part cost. */
export const openLotsView = (method: LotMethod, slices: Iterable<HeldSlice>) => {
  const lots = [...slices];
  return {
    method,
    totalBtc: formatBtc(lots.reduce((sum, slice) => sum + slice.btc, 0n)),
    totalCostUsd: formatUsd(lots.reduce((sum, slice) => sum + slice.costUsd, 0n)),
    lots: lots.map((slice) => ({
      ...walletField(slice.wallet),
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
 * Disposals (each sale, payment, liquidation or network fee with the lot slices it relieved and its
 * realized gain), in effective order. `undefined` when there are more than `max`.
 */
export const disposalsView = (reliefs: Iterable<Relief>, max: number) => {
  const disposals = [];
  for (const { disposal, relievedCostUsd, lots, wallet } of reliefs) {
    if (disposals.length === max) return undefined;
    disposals.push({
      eventId: disposal.eventId,
      type: disposal.type,
      ...walletField(wallet),
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
