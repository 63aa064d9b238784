import { RATIO_ONE, SATS_PER_BTC, divRoundHalfEven } from '@treasury/domain';

/**
 * A loan's risk figures from what it owes and what secures it. Every figure is exact integer
 * arithmetic on cents, satoshis and micros, rounded once, in the safe direction where it is a
 * threshold: trigger prices round down (at the displayed price the status applies), headroom rounds
 * down, amounts to cure round up (they are the least amounts that end the margin call).
 *
 * Units: debt and cash in cents, BTC in satoshis, the price in cents per BTC, LTVs in micros.
 * Collateral is valued at `sats × price / 1e8 + cash`; to stay exact, the functions below compare
 * `debt × 1e6 × 1e8` with `threshold × (sats × price + cash × 1e8)`.
 */

export type LoanStatus = 'open' | 'margin-call' | 'liquidatable' | 'matured' | 'repaid';

export interface Secured {
  /** What the loan owes (principal and interest), cents. */
  readonly debt: bigint;
  /** Pledged BTC, satoshis. */
  readonly sats: bigint;
  /** Pledged cash, cents. */
  readonly cash: bigint;
}

const DAY_MS = 86_400_000;
const SCALE = RATIO_ONE * SATS_PER_BTC;

/** The collateral's value × 1e8 (cents × 1e8); null when BTC is pledged and there is no price. */
export const scaledCollateral = ({ sats, cash }: Secured, price: bigint | null): bigint | null =>
  sats === 0n ? cash * SATS_PER_BTC : price === null ? null : sats * price + cash * SATS_PER_BTC;

/** outstanding / (pledged BTC × price + pledged cash), rounded half-even; null with nothing to value. */
export const ltvOf = (loan: Secured, price: bigint | null): bigint | null => {
  const value = scaledCollateral(loan, price);
  return value === null || value === 0n ? null : divRoundHalfEven(loan.debt * SCALE, value);
};

/** LTV >= threshold, from exact products (never flipped by a rounding). An unsecured loan never reaches one. */
export const reaches = (loan: Secured, price: bigint | null, threshold: bigint): boolean => {
  const value = scaledCollateral(loan, price);
  return value !== null && value > 0n && loan.debt * SCALE >= threshold * value;
};

/**
 * The price (cents) at or below which LTV >= threshold, rounded down to the cent: at the displayed
 * price the status applies, one cent above it does not. Null without pledged BTC (the price does not
 * move the LTV), with nothing owed, or when no positive price reaches the threshold (the cash alone
 * keeps it below).
 */
export const triggerPrice = (loan: Secured, threshold: bigint): bigint | null => {
  if (loan.sats === 0n || loan.debt === 0n) return null;
  const room = loan.debt * SCALE - threshold * loan.cash * SATS_PER_BTC;
  if (room <= 0n) return null;
  const price = room / (threshold * loan.sats);
  return price >= 1n ? price : null;
};

/**
 * How far the price may fall, as a fraction of today's price, before the loan reaches marginCallLtv:
 * (price − P*) / price, where P* is the exact (unrounded) margin-call price, in micros rounded DOWN
 * (it never overstates the room). 0 when it is already there; 1 (all the way) when the pledged cash
 * alone keeps it below. Null without a price, pledged BTC or anything owed.
 */
export const priceDropToMarginCall = (loan: Secured, price: bigint | null, marginCallLtv: bigint): bigint | null => {
  if (price === null || loan.sats === 0n || loan.debt === 0n) return null;
  const room = loan.debt * SCALE - marginCallLtv * loan.cash * SATS_PER_BTC;
  // P* = room / (m × sats); (price − P*) / price = (price × m × sats − room) / (price × m × sats).
  const denominator = price * marginCallLtv * loan.sats;
  const numerator = denominator - (room > 0n ? room : 0n);
  return numerator <= 0n ? 0n : (numerator * RATIO_ONE) / denominator;
};

/**
 * The least BTC (satoshis) that, pledged at today's price, takes the LTV below marginCallLtv (ends
 * the margin call: at exactly marginCallLtv the loan is still in it). 0 when below already. Null
 * without a price, anything owed or anything pledged.
 */
export const btcToCure = (loan: Secured, price: bigint | null, marginCallLtv: bigint): bigint | null => {
  if (price === null || loan.debt === 0n || (loan.sats === 0n && loan.cash === 0n)) return null;
  if (!reaches(loan, price, marginCallLtv)) return 0n;
  // Need (sats + x) × price × m > debt × 1e14 − m × cash × 1e8 = room (> 0 here).
  const room = loan.debt * SCALE - marginCallLtv * loan.cash * SATS_PER_BTC;
  return room / (marginCallLtv * price) + 1n - loan.sats;
};

/**
 * The least repayment (cents) that takes the LTV below marginCallLtv. 0 when below already. Null
 * without anything owed or pledged, or with BTC pledged and no price.
 */
export const usdToCure = (loan: Secured, price: bigint | null, marginCallLtv: bigint): bigint | null => {
  if (loan.debt === 0n || (loan.sats === 0n && loan.cash === 0n)) return null;
  const value = scaledCollateral(loan, price);
  if (value === null) return null;
  // Need (debt − y) × 1e14 < m × value.
  const excess = loan.debt * SCALE - marginCallLtv * value;
  return excess < 0n ? 0n : excess / SCALE + 1n;
};

/** Whole days from asOf to maturity, rounded down: 0 on the last day, negative once past. */
export const daysToMaturity = (maturityAt: number | null, asOf: number): number | null =>
  maturityAt === null ? null : Math.floor((maturityAt - asOf) / DAY_MS);

/**
 * One word for the most pressing fact: nothing owed is `repaid`; then `liquidatable` (the lender may
 * sell the collateral now), `matured` (from maturityAt on, everything is due: that cures any margin
 * call and outranks it), `margin-call`, `open`.
 */
export const loanStatus = (
  loan: Secured,
  price: bigint | null,
  terms: { readonly marginCallLtv: bigint; readonly liquidationLtv: bigint; readonly maturityAt: number | null },
  asOf: number,
): LoanStatus => {
  if (loan.debt === 0n) return 'repaid';
  if (reaches(loan, price, terms.liquidationLtv)) return 'liquidatable';
  if (terms.maturityAt !== null && asOf >= terms.maturityAt) return 'matured';
  if (reaches(loan, price, terms.marginCallLtv)) return 'margin-call';
  return 'open';
};

/**
 * The book's LTV: debt of the loans that owe something and hold collateral, over the value of that
 * collateral. Unsecured debt and the idle collateral of a repaid loan are left out (they would
 * inflate or dilute it). Null when no loan is secured, or when BTC is pledged and there is no price.
 */
export const aggregateLtvOf = (loans: Iterable<Secured>, price: bigint | null) => {
  let [debt, sats, cash, count] = [0n, 0n, 0n, 0];
  for (const loan of loans) {
    if (loan.debt === 0n || (loan.sats === 0n && loan.cash === 0n)) continue;
    [debt, sats, cash, count] = [debt + loan.debt, sats + loan.sats, cash + loan.cash, count + 1];
  }
  const secured: Secured = { debt, sats, cash };
  const scaled = scaledCollateral(secured, price);
  return {
    securedDebtUsd: secured.debt,
    collateralValueUsd: scaled === null ? null : divRoundHalfEven(scaled, SATS_PER_BTC),
    aggregateLtv: count === 0 ? null : ltvOf(secured, price),
  };
};
