import * as t from 'io-ts';
import { BTC_SCALE, RATIO_SCALE, USD_SCALE, formatDecimal, parseDecimal } from '../money/decimal';
import { withSchema } from './schema-registry';

type Sign = 'positive' | 'non-negative' | 'non-zero';

const signRule: Record<Sign, { accepts: (v: bigint) => boolean; words: string; pattern: string }> = {
  positive: { accepts: (v) => v > 0n, words: 'greater than zero', pattern: '' },
  'non-negative': { accepts: (v) => v >= 0n, words: 'zero or more', pattern: '' },
  'non-zero': { accepts: (v) => v !== 0n, words: 'not zero (a leading minus sign marks an outflow)', pattern: '-?' },
};

/**
 * A decimal-string codec decoding to bigint minor units. JSON numbers are refused on purpose: a
 * float has already lost the exact amount before we could see it.
 */
const decimalCodec = (name: string, scale: number, sign: Sign, unit: string, example: string) => {
  const rule = signRule[sign];
  const expectation = `must be a decimal string in ${unit} with at most ${scale} decimals, ${rule.words}, e.g. "${example}"`;
  const codec = new t.Type<bigint, string, unknown>(
    name,
    (u): u is bigint => typeof u === 'bigint' && rule.accepts(u),
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, expectation);
      const units = parseDecimal(u, scale);
      return units !== undefined && rule.accepts(units) ? t.success(units) : t.failure(u, c, expectation);
    },
    (units) => formatDecimal(units, scale),
  );
  return withSchema(codec, {
    type: 'string',
    pattern: `^${rule.pattern}\\d+(\\.\\d{1,${scale}})?$`,
    description: expectation,
    example,
  });
};

/** BTC as satoshis. */
export const PositiveBtc = decimalCodec('PositiveBtc', BTC_SCALE, 'positive', 'BTC', '6.25');
export const NonNegativeBtc = decimalCodec('NonNegativeBtc', BTC_SCALE, 'non-negative', 'BTC', '0.0001');
/** USD as cents. */
export const PositiveUsd = decimalCodec('PositiveUsd', USD_SCALE, 'positive', 'USD', '68524.00');
export const NonNegativeUsd = decimalCodec('NonNegativeUsd', USD_SCALE, 'non-negative', 'USD', '0.00');
export const NonZeroSignedUsd = decimalCodec('NonZeroSignedUsd', USD_SCALE, 'non-zero', 'USD', '-125000.00');
/** Rates and LTVs as micros (1 = 1,000,000). */
export const NonNegativeRatio = decimalCodec('NonNegativeRatio', RATIO_SCALE, 'non-negative', 'ratio units', '0.085');
export const PositiveRatio = decimalCodec('PositiveRatio', RATIO_SCALE, 'positive', 'ratio units', '0.70');
