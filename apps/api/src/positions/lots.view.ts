import { formatBtc, formatInstant, formatUsd } from '@treasury/domain';
import type { DisposalsFound, OpenLotsFound } from '@treasury/application';
import type { LotSlice } from '@treasury/projections';

/** Under wallet-fifo a slice or a disposal names its wallet; under fifo the field is absent. */
const walletField = (wallet: string | undefined) => (wallet === undefined ? {} : { wallet });

/** GET /lots: the open lots at a cut under one method, oldest first (by wallet under wallet-fifo), with what is left of each and what that part cost. */
export const openLotsAnswer = ({ bookId, asOf, knownAt, revision, method, slices }: OpenLotsFound) => ({
  bookId,
  asOf: formatInstant(asOf),
  knownAt,
  revision,
  method,
  totalBtc: formatBtc(slices.reduce((sum, slice) => sum + slice.btc, 0n)),
  totalCostUsd: formatUsd(slices.reduce((sum, slice) => sum + slice.costUsd, 0n)),
  lots: slices.map((slice) => ({
    ...walletField(slice.wallet),
    lotEventId: slice.lot.eventId,
    acquiredAt: formatInstant(slice.lot.effectiveAt),
    btc: formatBtc(slice.btc),
    costUsd: formatUsd(slice.costUsd),
    lotBtc: formatBtc(slice.lot.btc),
    lotCostUsd: formatUsd(slice.lot.costUsd),
  })),
});

const sliceView = (slice: LotSlice) => ({
  lotEventId: slice.lot.eventId,
  acquiredAt: formatInstant(slice.lot.effectiveAt),
  btc: formatBtc(slice.btc),
  costUsd: formatUsd(slice.costUsd),
});

/** GET /disposals: each sale, payment, liquidation or network fee with the lot slices it relieved and its realized gain, in effective order. */
export const disposalsAnswer = ({ bookId, from, to, knownAt, revision, method, reliefs }: DisposalsFound) => ({
  bookId,
  from: from === null ? null : formatInstant(from),
  to: formatInstant(to),
  knownAt,
  revision,
  method,
  disposals: reliefs.map(({ disposal, relievedCostUsd, lots, wallet }) => ({
    eventId: disposal.eventId,
    type: disposal.type,
    ...walletField(wallet),
    effectiveAt: formatInstant(disposal.effectiveAt),
    btc: formatBtc(disposal.btc),
    proceedsUsd: formatUsd(disposal.proceedsUsd),
    relievedCostUsd: formatUsd(relievedCostUsd),
    realizedGainUsd: formatUsd(disposal.proceedsUsd - relievedCostUsd),
    lots: lots.map(sliceView),
  })),
});
