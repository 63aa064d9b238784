import type { BookProjection } from '../book/book-projection';
import { lotCost } from '../book/fifo';
import { MINING_USD_PREFIX } from '../book/fifo-plan';
import { LotBook, openLotTotals } from '../lots/lot-method';
import { openingRevaluationUsd } from './opening-revaluation';

/**
 * The USD roll-forward of the BTC held (ASU 2023-08, fair value), per month:
 *
 *   closing fair value = opening fair value + additions − disposal proceeds + realized gain + change in unrealized gain
 *
 * Each term is computed on its own, from a different source, so the identity is a real check:
 * - fair values from the balances (holdings × price at the boundary, rounded half-even once);
 * - additions and proceeds from the events' own flows (mined at fair value on receipt, purchases at cost
 *   + fees, opening balances at their cost basis; sales and liquidations at net proceeds, BTC payments at
 *   fair value, network fees at zero);
 * - realized gain from the lot method: proceeds − the cost it relieved over the month;
 * - unrealized gain from the lot method's open lots: their BTC at the price − their cost (their totals:
 *   acquired less disposed of, and acquired cost less the cost the method relieved; see openLotTotals).
 *
 * Where the FIFO pool and the holdings differ: an opening lot sits in the queue from its acquiredAt
 * but is held only from its effectiveAt. At a boundary between the two it is in the pool and not in
 * the holdings, so the open lots are taken less those pending lots (BTC and cost). With that, the check
 * is zero exactly when the lot method's open lots hold the BTC the balances hold, its open cost plus the
 * cost it relieved is the cost the events brought in, and the flows agree with the lots.
 *
 * Opening balances are added at cost; the gain they carried in from before the book (fair value at
 * their effectiveAt − cost, opening-revaluation.ts) is part of the change in unrealized gain and is shown
 * on its own, openingBalancesRevaluationUsd: the P&L's remeasurement is the change less it.
 */
export interface UsdBoundary {
  readonly at: number;
  readonly usdPerBtc: bigint | null;
  /** Holdings (the balances) × price; null without a price (unless nothing is held). */
  readonly fairValueUsd: bigint | null;
  /** The cost the method relieved by every disposal at or before `at`. */
  readonly relievedCostUsd: bigint;
  /** Open lots held at `at` (less opening lots not yet held): their BTC and cost. */
  readonly openBtc: bigint;
  readonly openCostUsd: bigint;
  /** Open lots' BTC at the price − their cost; null without a price (unless no lot is open). */
  readonly unrealizedGainUsd: bigint | null;
}

/** A boundary's figures, given the holdings and the price the balances give at `at`. */
export const usdBoundary = (
  projection: BookProjection,
  lots: LotBook,
  version: number,
  at: number,
  holdingsBtc: bigint,
  usdPerBtc: bigint | null,
): UsdBoundary => {
  // The lots held: opening lots whose acquiredAt has passed but whose effectiveAt has not are left out.
  const { btc: openBtc, costUsd: openCostUsd } = openLotTotals(projection, version, lots, at);
  // Nothing held is worth 0.00 at any price: an empty book's first month needs no price at its opening.
  const valueOf = (sats: bigint) => (sats === 0n ? 0n : usdPerBtc === null ? null : lotCost(sats, usdPerBtc));
  const openValue = valueOf(openBtc);
  return {
    at,
    usdPerBtc,
    fairValueUsd: valueOf(holdingsBtc),
    relievedCostUsd: lots.relievedCost(at),
    openBtc,
    openCostUsd,
    unrealizedGainUsd: openValue === null ? null : openValue - openCostUsd,
  };
};

export interface UsdRollforward {
  readonly openingFairValueUsd: bigint | null;
  readonly minedUsd: bigint;
  readonly purchasedUsd: bigint;
  readonly openingBalancesUsd: bigint;
  readonly additionsUsd: bigint;
  readonly salesUsd: bigint;
  readonly paymentsUsd: bigint;
  readonly liquidationsUsd: bigint;
  readonly proceedsUsd: bigint;
  readonly realizedGainUsd: bigint;
  readonly openingUnrealizedGainUsd: bigint | null;
  readonly closingUnrealizedGainUsd: bigint | null;
  readonly unrealizedChangeUsd: bigint | null;
  /** Of the change in unrealized gain, what the opening lots held from this month brought in (opening equity, not P&L). */
  readonly openingBalancesRevaluationUsd: bigint;
  readonly closingFairValueUsd: bigint | null;
  /** closing − (opening + additions − proceeds + realized + unrealized change): zero unless something is broken. */
  readonly rollforwardCheckUsd: bigint | null;
}

const sumOf = (values: Iterable<bigint>): bigint => {
  let total = 0n;
  for (const value of values) total += value;
  return total;
};

/** One month's USD roll-forward between two boundaries (opening: the instant before the month; closing: its last). */
export const usdRollforwardBetween = (
  projection: BookProjection,
  version: number,
  opening: UsdBoundary,
  closing: UsdBoundary,
): UsdRollforward => {
  const flow = (kind: Parameters<BookProjection['flow']>[0]) => projection.flow(kind, opening.at, closing.at, version);
  const minedUsd = sumOf(projection.flowsByPrefix(MINING_USD_PREFIX, opening.at, closing.at, version).values());
  const purchasedUsd = flow('purchasedUsd');
  const openingBalancesUsd = flow('openingUsd');
  const salesUsd = flow('soldUsd');
  const paymentsUsd = flow('paidUsd');
  const liquidationsUsd = flow('liquidatedUsd');
  const additionsUsd = minedUsd + purchasedUsd + openingBalancesUsd;
  const proceedsUsd = salesUsd + paymentsUsd + liquidationsUsd;
  const realizedGainUsd = proceedsUsd - (closing.relievedCostUsd - opening.relievedCostUsd);
  const priced =
    opening.fairValueUsd !== null &&
    closing.fairValueUsd !== null &&
    opening.unrealizedGainUsd !== null &&
    closing.unrealizedGainUsd !== null;
  const unrealizedChangeUsd = priced ? closing.unrealizedGainUsd! - opening.unrealizedGainUsd! : null;
  return {
    openingFairValueUsd: opening.fairValueUsd,
    minedUsd,
    purchasedUsd,
    openingBalancesUsd,
    additionsUsd,
    salesUsd,
    paymentsUsd,
    liquidationsUsd,
    proceedsUsd,
    realizedGainUsd,
    openingUnrealizedGainUsd: opening.unrealizedGainUsd,
    closingUnrealizedGainUsd: closing.unrealizedGainUsd,
    unrealizedChangeUsd,
    openingBalancesRevaluationUsd: openingRevaluationUsd(projection, version, opening.at, closing.at),
    closingFairValueUsd: closing.fairValueUsd,
    rollforwardCheckUsd: priced
      ? closing.fairValueUsd! - (opening.fairValueUsd! + additionsUsd - proceedsUsd + realizedGainUsd + unrealizedChangeUsd!)
      : null,
  };
};

/** The boundary at `at` with the holdings and price the projection's balances give there. */
export const usdBoundaryAt = (projection: BookProjection, lots: LotBook, version: number, at: number): UsdBoundary => {
  let holdings = 0n;
  for (const [key, amount] of projection.raw(at, version).balances)
    if (key.startsWith('unencumbered-btc|') || key.startsWith('pledged-btc|')) holdings += amount;
  return usdBoundary(projection, lots, version, at, holdings, projection.priceAt(at, version)?.usdPerBtc ?? null);
};

/** The roll-forward of consecutive months (each opens where the previous one closed). */
export const usdRollforward = (
  projection: BookProjection,
  lots: LotBook,
  months: ReadonlyArray<{ readonly start: number; readonly end: number }>,
  version: number,
): UsdRollforward[] => {
  let opening = months[0] === undefined ? undefined : usdBoundaryAt(projection, lots, version, months[0].start - 1);
  return months.map(({ end }) => {
    const closing = usdBoundaryAt(projection, lots, version, end);
    const row = usdRollforwardBetween(projection, version, opening!, closing);
    opening = closing;
    return row;
  });
};
