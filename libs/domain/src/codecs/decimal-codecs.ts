import * as t from 'io-ts';
import { BTC_SCALE, RATIO_SCALE, USD_SCALE, formatDecimal, parseDecimal } from '../money/decimal';
import { MAX_BTC_SATS, MAX_RATIO_MICROS, MAX_USD_CENTS, MAX_USD_PER_BTC_CENTS } from './bounds';
import { withSchema } from './schema-registry';

type Sign = 'positive' | 'non-negative' | 'non-zero';

const signRule: Record<Sign, { accepts: (v: bigint) => boolean; words: string; pattern: string }> = {
  positive: { accepts: (v) => v > 0n, words: 'greater than zero', pattern: '' },
  'non-negative': { accepts: (v) => v >= 0n, words: 'zero or more', pattern: '' },
  'non-zero': { accepts: (v) => v !== 0n, words: 'not zero (a leading minus sign marks an outflow)', pattern: '-?' },
};

interface DecimalSpec {
  readonly name: string;
  readonly scale: number;
  readonly sign: Sign;
  readonly unit: string;
  readonly example: string;
}

/** A magnitude bound: |value| <= max, and why (said in the error and in the OpenAPI description). */
interface Bound {
  readonly max: bigint;
  readonly why: string;
}

/** Digits before the decimal point, sign excluded. */
const wholeDigitCount = (text: string): number => {
  const point = text.indexOf('.');
  return (point === -1 ? text.length : point) - (text.startsWith('-') ? 1 : 0);
};

/**
 * A decimal-string codec decoding to bigint minor units. JSON numbers are refused on purpose: a
 * float has already lost the exact amount before we could see it. With a bound, the string's length
 * is checked before any parsing (no 10,000-digit string reaches BigInt) and the value's magnitude
 * after.
 */
const decimalCodec = ({ name, scale, sign, unit, example }: DecimalSpec, bound?: Bound) => {
  const rule = signRule[sign];
  const expectation = `must be a decimal string in ${unit} with at most ${scale} decimals, ${rule.words}, e.g. "${example}"`;
  const largest = bound === undefined ? undefined : formatDecimal(bound.max, scale);
  const wholeDigits = largest === undefined ? undefined : largest.length - scale - 1;
  // The longest string a bounded value needs: sign, whole digits, point, decimals.
  const maxLength = wholeDigits === undefined ? undefined : (sign === 'non-zero' ? 1 : 0) + wholeDigits + 1 + scale;
  const range = largest === undefined ? '' : sign === 'non-zero' ? `from -${largest} to ${largest}` : `at most ${largest}`;
  const tooLarge = bound === undefined ? '' : `must be ${range} ${unit} (${bound.why})`;
  const inRange = (units: bigint) => bound === undefined || (units <= bound.max && units >= -bound.max);
  const codec = new t.Type<bigint, string, unknown>(
    name,
    (u): u is bigint => typeof u === 'bigint' && rule.accepts(u) && inRange(u),
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, expectation);
      if (maxLength !== undefined && u.length > maxLength)
        return t.failure(u, c, `must be at most ${maxLength} characters long; ${expectation}`);
      const units = parseDecimal(u, scale);
      if (units === undefined || !rule.accepts(units)) return t.failure(u, c, expectation);
      if (!inRange(units)) return t.failure(u, c, tooLarge);
      // In range and short enough, it can still carry leading zeros the OpenAPI pattern does not allow.
      return wholeDigits === undefined || wholeDigitCount(u) <= wholeDigits
        ? t.success(units)
        : t.failure(u, c, `must have at most ${wholeDigits} digits before the decimal point`);
    },
    (units) => formatDecimal(units, scale),
  );
  return withSchema(codec, {
    type: 'string',
    pattern: `^${rule.pattern}\\d${wholeDigits === undefined ? '+' : `{1,${wholeDigits}}`}(\\.\\d{1,${scale}})?$`,
    ...(maxLength === undefined ? {} : { maxLength }),
    description: bound === undefined ? expectation : `${expectation}; ${range} ${unit} (${bound.why})`,
    example,
  });
};

const btc = (name: string, sign: Sign, example: string): DecimalSpec => ({ name, scale: BTC_SCALE, sign, unit: 'BTC', example });
const usd = (name: string, sign: Sign, example: string): DecimalSpec => ({ name, scale: USD_SCALE, sign, unit: 'USD', example });
const ratio = (name: string, sign: Sign, example: string): DecimalSpec => ({
  name,
  scale: RATIO_SCALE,
  sign,
  unit: 'ratio units',
  example,
});

const BTC_BOUND: Bound = { max: MAX_BTC_SATS, why: 'no more BTC than can ever exist' };
const USD_BOUND: Bound = { max: MAX_USD_CENTS, why: 'so that a million amounts still sum within a signed 64-bit integer of cents' };
const PRICE_BOUND: Bound = { max: MAX_USD_PER_BTC_CENTS, why: 'a BTC price beyond it is a typo' };
const RATIO_BOUND: Bound = { max: MAX_RATIO_MICROS, why: '1,000%' };

// Command inputs: bounded.

/** BTC as satoshis, at most 21,000,000 BTC. */
export const PositiveBtc = decimalCodec(btc('PositiveBtc', 'positive', '6.25'), BTC_BOUND);
export const NonNegativeBtc = decimalCodec(btc('NonNegativeBtc', 'non-negative', '0.0001'), BTC_BOUND);
/** USD as cents, at most $10,000,000,000.00 either way. */
export const PositiveUsd = decimalCodec(usd('PositiveUsd', 'positive', '68524.00'), USD_BOUND);
export const NonNegativeUsd = decimalCodec(usd('NonNegativeUsd', 'non-negative', '0.00'), USD_BOUND);
export const NonZeroSignedUsd = decimalCodec(usd('NonZeroSignedUsd', 'non-zero', '-125000.00'), USD_BOUND);
/** A BTC price in USD cents per BTC, at most $10,000,000.00. */
export const UsdPerBtc = decimalCodec(usd('UsdPerBtc', 'positive', '107135.33'), PRICE_BOUND);
/** Rates and LTVs as micros (1 = 1,000,000), at most 10 (1,000%). */
export const NonNegativeRatio = decimalCodec(ratio('NonNegativeRatio', 'non-negative', '0.085'), RATIO_BOUND);
export const PositiveRatio = decimalCodec(ratio('PositiveRatio', 'positive', '0.70'), RATIO_BOUND);

// Stored events: the same formats without the bounds, so every event ever appended still decodes.

export const StoredPositiveBtc = decimalCodec(btc('StoredPositiveBtc', 'positive', '6.25'));
export const StoredNonNegativeBtc = decimalCodec(btc('StoredNonNegativeBtc', 'non-negative', '0.0001'));
export const StoredPositiveUsd = decimalCodec(usd('StoredPositiveUsd', 'positive', '68524.00'));
export const StoredNonNegativeUsd = decimalCodec(usd('StoredNonNegativeUsd', 'non-negative', '0.00'));
export const StoredNonZeroSignedUsd = decimalCodec(usd('StoredNonZeroSignedUsd', 'non-zero', '-125000.00'));
export const StoredNonNegativeRatio = decimalCodec(ratio('StoredNonNegativeRatio', 'non-negative', '0.085'));
export const StoredPositiveRatio = decimalCodec(ratio('StoredPositiveRatio', 'positive', '0.70'));
