/**
 * Exact fixed-point decimals. Amounts live as bigint minor units (satoshis, cents, micros) and cross
 * every boundary as decimal strings, so no float ever touches money.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses "12.34" at `scale` places into minor units; undefined when it is not a plain decimal or has too many places. */
export const parseDecimal = (text: string, scale: number): bigint | undefined => {
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const [, sign, whole = '', fraction = ''] = match;
  if (fraction.length > scale) return undefined;
  const units = BigInt(whole + fraction.padEnd(scale, '0'));
  return sign === '-' ? -units : units;
};

/** Writes minor units as a fixed decimal with exactly `scale` places ("1.50000000"). */
export const formatDecimal = (units: bigint, scale: number): string => {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return (negative ? '-' : '') + (scale === 0 ? whole : `${whole}.${fraction}`);
};

/** Integer division rounded half to even: the single rounding step for every ratio and price. */
export const divRoundHalfEven = (numerator: bigint, denominator: bigint): bigint => {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twiceRemainder = (n % d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
};

export const SATS_PER_BTC = 100_000_000n;
export const BTC_SCALE = 8;
export const USD_SCALE = 2;
export const RATIO_SCALE = 6;
export const RATIO_ONE = 1_000_000n;

export const formatBtc = (sats: bigint): string => formatDecimal(sats, BTC_SCALE);
export const formatUsd = (cents: bigint): string => formatDecimal(cents, USD_SCALE);
export const formatRatio = (micros: bigint): string => formatDecimal(micros, RATIO_SCALE);

export const minBigint = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * The USD cents `sats` are worth at `usdPerBtcCents`, rounded half to even: a mining lot's cost, as the
 * FIFO projection computes it (libs/projections fifo.ts lotCost).
 */
export const valueInCents = (sats: bigint, usdPerBtcCents: bigint): bigint => divRoundHalfEven(sats * usdPerBtcCents, SATS_PER_BTC);
