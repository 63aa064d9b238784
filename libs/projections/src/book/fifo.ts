import { SATS_PER_BTC, divRoundHalfEven } from '@treasury/domain';

/** A lot's cost in cents: its BTC at the fair value on receipt, rounded half-even once, per lot. */
export const lotCost = (sats: bigint, usdPerBtcCents: bigint): bigint => divRoundHalfEven(sats * usdPerBtcCents, SATS_PER_BTC);

/**
 * The cost of `take` satoshis out of a lot of `sats` costing `cost`, pro rata, rounded half-even.
 * FIFO relief is always computed on the cumulative amount (the first D units disposed of), so a
 * sale's relief is F(D after) - F(D before) and rounding never accumulates across sales.
 */
export const partialCost = (cost: bigint, sats: bigint, take: bigint): bigint =>
  take === sats ? cost : divRoundHalfEven(cost * take, sats);
