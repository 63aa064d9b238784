import type { BookProjection } from '../book/book-projection';
import type { FifoEntry, LotSlice } from '../book/book-projection.records';
import { walletFifoLotBook } from './wallet-fifo';

/**
 * How disposals relieve lots. `fifo` (the default): one queue for the whole company, oldest
 * acquisition first. `wallet-fifo`: one queue per wallet (the US rule for digital assets from 2025); a
 * transfer between the company's wallets moves lots with their acquisition date and cost.
 */
export const LOT_METHODS = ['fifo', 'wallet-fifo'] as const;
export type LotMethod = (typeof LOT_METHODS)[number];
export const DEFAULT_LOT_METHOD: LotMethod = 'fifo';

/** An open lot slice, and under wallet-fifo the wallet that holds it. */
export interface HeldSlice extends LotSlice {
  readonly wallet?: string;
}

/** One disposal with the cost it relieved under the method. */
export interface Relief {
  readonly disposal: FifoEntry;
  readonly relievedCostUsd: bigint;
  readonly lots: ReadonlyArray<LotSlice>;
  /** Under wallet-fifo: the wallet the disposal left from. */
  readonly wallet?: string;
}

/** One book's lots at version under one method: every accounting figure that depends on the method. */
export interface LotBook {
  readonly method: LotMethod;
  /** The cost relieved by every disposal effective at or before asOf (cents). */
  relievedCost(asOf: number): bigint;
  /** The open slices at asOf, oldest first (per wallet under wallet-fifo). */
  openLots(asOf: number): Iterable<HeldSlice>;
  /** Disposals with from <= effectiveAt <= to, in effective order (ties: revision). */
  disposals(from: number, to: number): Iterable<Relief>;
  /** The same disposals with the cost each relieved, without their lot slices: cheaper, for the P&L and the journal. */
  reliefs(from: number, to: number): Iterable<CostRelief>;
}

/** A disposal and the cost it relieved under the method. */
export interface CostRelief {
  readonly disposal: FifoEntry;
  readonly relievedCostUsd: bigint;
}

/**
 * The open lots held at asOf in total, without listing them: the satoshis acquired and not disposed of,
 * and the cost acquired less the cost the method relieved, both less the opening lots queued (acquiredAt
 * passed) but not held yet (effectiveAt not reached). Equal to the sum of `openLots(asOf)` (both methods
 * split a lot's cost cumulatively, so its parts add up to it: a property test checks it), and O(log n)
 * where the listing walks every open lot: the month-end report reads it at every boundary.
 */
export const openLotTotals = (
  projection: BookProjection,
  version: number,
  lots: LotBook,
  asOf: number,
): { readonly btc: bigint; readonly costUsd: bigint } => {
  const totals = projection.fifoTotals(asOf, version);
  const pendingBtc = projection.flow('openingPendingBtc', Number.NEGATIVE_INFINITY, asOf, version);
  const pendingUsd = projection.flow('openingPendingUsd', Number.NEGATIVE_INFINITY, asOf, version);
  return {
    btc: totals.acquiredBtc - totals.disposedBtc - pendingBtc,
    costUsd: totals.acquiredCostUsd - lots.relievedCost(asOf) - pendingUsd,
  };
};

/** Company-wide FIFO: the projection's own cumulative relief F(D(asOf)). */
export const fifoLotBook = (projection: BookProjection, version: number): LotBook => ({
  method: 'fifo',
  relievedCost: (asOf) => projection.relievedCostAt(asOf, version),
  openLots: (asOf) => projection.openLots(asOf, version),
  disposals: (from, to) => projection.disposals(from, to, version),
  reliefs: (from, to) => projection.reliefs(from, to, version),
});

/** The LotBook of a method: company-wide FIFO (no simulation, the projection's own index) or wallet-by-wallet. */
export const lotBook = (projection: BookProjection, version: number, method: LotMethod): LotBook =>
  method === 'wallet-fifo' ? walletFifoLotBook(projection, version) : fifoLotBook(projection, version);
