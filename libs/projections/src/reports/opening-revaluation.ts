import type { BookProjection } from '../book/book-projection';
import { lotCost } from '../book/fifo';

/**
 * ASU 2023-08 carries BTC at fair value. An opening lot brings in years of gain (or loss) earned before
 * the book began: that belongs in opening equity, not in the first month's P&L. So an opening lot is
 * revalued, once, at the instant it is held from (its effectiveAt): its fair value then, by the book's
 * price at that instant (the last price effective at or before it, known at the version, whatever its age), less
 * its cost basis. The roll-forward still adds it at cost (the "opening balances at cost"); the
 * P&L's remeasurement is the change in unrealized gain less these revaluations; the journal posts the
 * lot at fair value against opening balance equity.
 *
 * Without a price at or before effectiveAt the lot has no fair value to open at: it is carried at cost
 * (revaluation zero), and its gain reaches the P&L with the first remeasurement that has a price.
 */
export interface OpeningRevaluation {
  /** The lot's fair value at its effectiveAt, or its cost basis when there was no price. */
  readonly fairValueUsd: bigint;
  /** fairValueUsd − cost basis: zero without a price. */
  readonly revaluationUsd: bigint;
  readonly usdPerBtc: bigint | null;
}

/** The revaluation of the opening lot recorded at `revision` (its BTC and cost basis from its FIFO entry). */
export const openingLotRevaluation = (projection: BookProjection, version: number, revision: number): OpeningRevaluation => {
  const lot = projection.fifoEntry(revision);
  if (lot === undefined) throw new Error(`opening revaluation: revision ${revision} is not a lot`);
  const price = projection.priceAt(projection.effectiveAtOf(revision), version);
  if (price === undefined) return { fairValueUsd: lot.costUsd, revaluationUsd: 0n, usdPerBtc: null };
  const fairValueUsd = lotCost(lot.btc, price.usdPerBtc);
  return { fairValueUsd, revaluationUsd: fairValueUsd - lot.costUsd, usdPerBtc: price.usdPerBtc };
};

/** The revaluations of the live opening lots held from an instant in (after, through], known at the version. */
export const openingRevaluationUsd = (projection: BookProjection, version: number, after: number, through: number): bigint => {
  let total = 0n;
  for (const revision of projection.openingLotRevisions()) {
    if (revision >= version || !projection.isLive(revision, version)) continue;
    const heldFrom = projection.effectiveAtOf(revision);
    if (heldFrom > after && heldFrom <= through) total += openingLotRevaluation(projection, version, revision).revaluationUsd;
  }
  return total;
};
