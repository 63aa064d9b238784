import * as t from 'io-ts';
import { ClosedObjectType } from './closed-object';

/**
 * A replay decoder compiled from the io-ts codecs themselves: the log is read a million events at a
 * time, and io-ts's Either per field is most of what decoding costs. A compiled decoder answers the
 * decoded value or NOT_SURE; it never rejects on its own. On NOT_SURE the caller runs the io-ts codec,
 * which accepts (same value) or rejects with its usual message, so the fast path can only ever accept
 * what io-ts accepts (fast-decode.property.unit.spec.ts checks both directions on random events).
 */
export const NOT_SURE: unique symbol = Symbol('not-sure');
export type Fast<A> = (u: unknown) => A | typeof NOT_SURE;

/** Hand-written fast paths for leaf codecs, by identity; every other leaf runs its own validate. */
export type FastLeaves = ReadonlyMap<t.Mixed, Fast<unknown>>;

/** Compiles a codec: a closed object field by field, a literal by comparison, a known leaf by its fast path, anything else by its own validate. */
export const compileFast = <A>(codec: t.Type<A, unknown, unknown>, leaves: FastLeaves): Fast<A> => {
  const leaf = leaves.get(codec as t.Mixed);
  if (leaf !== undefined) return leaf as Fast<A>;
  if (codec instanceof ClosedObjectType) return compileClosedObject(codec, leaves) as Fast<A>;
  if (codec instanceof t.LiteralType) {
    const value: unknown = codec.value;
    return (u) => (u === value ? (u as A) : NOT_SURE);
  }
  if (codec === (t.string as t.Mixed)) return (u) => (typeof u === 'string' ? (u as A) : NOT_SURE);
  return (u) => {
    const decoded = codec.validate(u, []);
    return decoded._tag === 'Right' ? decoded.right : NOT_SURE;
  };
};

/**
 * A closed object's decoder is generated as source, one statement per field with the field's name as
 * a literal: each read is then a named property load that V8 caches per call site, where a loop over
 * the names is a keyed load on every field (about twice the cost on a million events). Names are
 * embedded with JSON.stringify and come from our own codecs, never from input.
 */
const compileClosedObject = (codec: ClosedObjectType<t.Props, t.Props>, leaves: FastLeaves): Fast<Record<string, unknown>> => {
  // The same field order as ClosedObjectType's validate (required, then optional), so the result is built alike.
  const fields = [
    ...Object.entries(codec.required).map(([key, field]) => [key, field, true] as const),
    ...Object.entries(codec.optional).map(([key, field]) => [key, field, false] as const),
  ];
  const decoders = fields.map(([, field]) => compileFast(field as t.Type<unknown, unknown, unknown>, leaves));
  const name = (key: string) => JSON.stringify(key);
  const source = [
    'return function (u) {',
    '  if (typeof u !== "object" || u === null || Array.isArray(u)) return NOT_SURE;',
    // An inherited key is read through u[key] by the codec too; an unknown one, own or not, is NOT_SURE.
    `  for (const key in u) switch (key) { ${fields.map(([key]) => `case ${name(key)}: `).join('')}break; default: return NOT_SURE; }`,
    '  const result = {};',
    '  let value, decoded;',
    ...fields.map(([key, , isRequired], i) =>
      [
        `  value = u[${name(key)}];`,
        isRequired ? '  if (value === undefined) return NOT_SURE;' : '  if (value !== undefined) {',
        `  decoded = decoders[${i}](value);`,
        '  if (decoded === NOT_SURE) return NOT_SURE;',
        `  result[${name(key)}] = decoded;`,
        isRequired ? '' : '  }',
      ].join('\n'),
    ),
    '  return result;',
    '};',
  ].join('\n');
  // The source is built above from our codecs' field names only.
  return new Function('NOT_SURE', 'decoders', source)(NOT_SURE, decoders) as Fast<Record<string, unknown>>;
};

const DIGIT_0 = 48;
const digit = (text: string, at: number): number => {
  const code = text.charCodeAt(at) - DIGIT_0;
  return code >= 0 && code <= 9 ? code : -1;
};
/** Two or four digits at `at`, or -1. */
const digits = (text: string, at: number, length: number): number => {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const d = digit(text, i);
    if (d < 0) return -1;
    value = value * 10 + d;
  }
  return value;
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The instant shapes the engine writes, "2026-01-31T23:59:59.123Z" (toISOString) and
 * "2026-01-31T23:59:59Z", read without the regex; every other shape is NOT_SURE (the codec decides).
 */
export const fastInstant: Fast<number> = (u) => {
  if (typeof u !== 'string' || (u.length !== 24 && u.length !== 20)) return NOT_SURE;
  if (u[4] !== '-' || u[7] !== '-' || u[10] !== 'T' || u[13] !== ':' || u[16] !== ':' || u[u.length - 1] !== 'Z') return NOT_SURE;
  const year = digits(u, 0, 4);
  const month = digits(u, 5, 2);
  const day = digits(u, 8, 2);
  const hour = digits(u, 11, 2);
  const minute = digits(u, 14, 2);
  const second = digits(u, 17, 2);
  let millis = 0;
  if (u.length === 24) {
    if (u[19] !== '.') return NOT_SURE;
    millis = digits(u, 20, 3);
  }
  // Years below 100 take the codec's Date.parse path; a -1 is a non-digit.
  if (
    year < 100 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    millis < 0
  )
    return NOT_SURE;
  if (day > DAYS_IN_MONTH[month - 1]! + (month === 2 && isLeapYear(year) ? 1 : 0)) return NOT_SURE;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
};

/** Below 2^53 a Number holds the integer exactly, and BigInt(number) is far cheaper than BigInt(string). */
const SAFE_DIGITS = 15;

/**
 * An unbounded decimal codec's fast path: "-?digits(.digits)?" with at most `scale` decimals, as
 * parseDecimal reads it, then the codec's sign rule.
 */
export const fastDecimal =
  (scale: number, accepts: (units: bigint) => boolean): Fast<bigint> =>
  (u) => {
    if (typeof u !== 'string' || u.length === 0) return NOT_SURE;
    const negative = u.charCodeAt(0) === 45;
    const start = negative ? 1 : 0;
    const point = u.indexOf('.', start);
    const wholeEnd = point === -1 ? u.length : point;
    const fractionLength = point === -1 ? 0 : u.length - point - 1;
    if (wholeEnd === start || (point !== -1 && fractionLength === 0) || fractionLength > scale) return NOT_SURE;
    let units: bigint;
    if (wholeEnd - start + scale <= SAFE_DIGITS) {
      let value = 0;
      for (let i = start; i < wholeEnd; i++) {
        const d = digit(u, i);
        if (d < 0) return NOT_SURE;
        value = value * 10 + d;
      }
      for (let i = 0; i < scale; i++) {
        const d = i < fractionLength ? digit(u, point + 1 + i) : 0;
        if (d < 0) return NOT_SURE;
        value = value * 10 + d;
      }
      units = BigInt(value);
    } else {
      for (let i = start; i < u.length; i++) if (i !== point && digit(u, i) < 0) return NOT_SURE;
      units = BigInt(u.slice(start, wholeEnd) + (point === -1 ? '' : u.slice(point + 1)).padEnd(scale, '0'));
    }
    if (negative) units = -units;
    return accepts(units) ? units : NOT_SURE;
  };
