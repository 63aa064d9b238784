import * as E from 'fp-ts/Either';
import type { QueryTime } from '@treasury/application';
import { Instant, JsonSchema, formatInstant, isCalendarDay, toFieldErrors } from '@treasury/domain';
import { ParamCodec, paramCodec } from './query.params';

/**
 * The value codecs query parameters are made of: each decodes the query's string into a typed value
 * (an instant, a date on the book's calendar, a log position, a bounded integer, one of a list) and
 * carries the JSON Schema of its string form for the OpenAPI document. Every one is bounded.
 */

const instantMessage = (text: string): string | number => {
  const decoded = Instant.decode(text);
  return E.isRight(decoded) ? decoded.right : (toFieldErrors(decoded.left)[0]?.message ?? 'must be an instant with an offset');
};

const INSTANT_SCHEMA = { type: 'string', format: 'date-time', maxLength: 40, example: '2026-01-31T23:59:59Z' };

/** An ISO-8601 instant with an offset, decoded by the same codec as every effectiveAt (epoch milliseconds). */
export const instantValue: ParamCodec<number> = paramCodec(
  'InstantParam',
  INSTANT_SCHEMA,
  (text) => {
    const decoded = instantMessage(text);
    return typeof decoded === 'number' ? E.right(decoded) : E.left(decoded);
  },
  formatInstant,
);

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Dates a query may name: the day of the genesis block to the last day before the instant bound. */
const FIRST_DATE = '2009-01-03';
const LAST_DATE = '2199-12-31';
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * An instant, or a date-only value (`2025-10-31`) that the query reads on the book's calendar: the end
 * of that day (its last millisecond) in the book's time zone, or its start where `at` is 'start' (the
 * lower bound of a range).
 */
export const queryTimeValue = (at: 'start' | 'end'): ParamCodec<QueryTime> =>
  paramCodec<QueryTime>(
    `QueryTime(${at})`,
    { oneOf: [INSTANT_SCHEMA, { type: 'string', format: 'date' }], example: '2026-01-31T23:59:59Z' },
    (text) => {
      const match = DATE_ONLY.exec(text);
      if (match === null) {
        const decoded = instantMessage(text);
        return typeof decoded === 'number'
          ? E.right(decoded)
          : E.left(`${decoded}, or a date such as 2025-10-31 (the end of that day in the book's time zone)`);
      }
      const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
      if (!isCalendarDay(date) || match[0] < FIRST_DATE || match[0] > LAST_DATE) {
        return E.left(`must be a date from ${FIRST_DATE} to ${LAST_DATE} (YYYY-MM-DD, a day that exists) or an instant`);
      }
      return E.right({ date, at });
    },
    (value) =>
      typeof value === 'number' ? formatInstant(value) : `${pad(value.date.year, 4)}-${pad(value.date.month)}-${pad(value.date.day)}`,
  );

const POSITION = /^(0|[1-9]\d{0,18})$/;
const MAX_POSITION = 2n ** 63n - 1n;

/** A global log position (a command's `logPosition`, an SSE message's `id:`), up to 2^63 - 1. */
export const logPositionValue = (message: string): ParamCodec<bigint> =>
  paramCodec(
    'LogPositionParam',
    { type: 'string', pattern: '^(0|[1-9][0-9]{0,18})$' },
    (text) => (POSITION.test(text) && BigInt(text) <= MAX_POSITION ? E.right(BigInt(text)) : E.left(message)),
    (value) => value.toString(),
    message,
  );

/** An integer from min to max (a cursor, a page size); `fallback` is documented as the default. */
export const integerValue = (min: number, max: number, fallback?: number): ParamCodec<number> => {
  const message = `must be an integer from ${min} to ${max}`;
  return paramCodec(
    'IntegerParam',
    { type: 'integer', minimum: min, maximum: max, ...(fallback === undefined ? {} : { default: fallback }) },
    (text) => (/^-?\d{1,16}$/.test(text) && Number(text) >= min && Number(text) <= max ? E.right(Number(text)) : E.left(message)),
    String,
    message,
  );
};

/** One of a fixed list (a lot method, a step, a format). */
export const oneOfValue = <A extends string>(allowed: ReadonlyArray<A>, fallback?: A): ParamCodec<A> => {
  const message = `must be one of ${allowed.join(', ')}`;
  return paramCodec(
    'OneOfParam',
    { type: 'string', enum: [...allowed], ...(fallback === undefined ? {} : { default: fallback }) },
    (text) => ((allowed as ReadonlyArray<string>).includes(text) ? E.right(text as A) : E.left(message)),
    (value) => value,
    message,
  );
};

const PRINTABLE = /^[\x20-\x7e]+$/;

/** Printable ASCII, 1 to max characters, given once; `message` for anything else. */
export const textValue = (
  max: number,
  message = `must be 1 to ${max} printable characters, given once`,
  schema: JsonSchema = {},
): ParamCodec<string> =>
  paramCodec(
    'TextParam',
    { type: 'string', minLength: 1, maxLength: max, ...schema },
    (text) => (text.length > 0 && text.length <= max && PRINTABLE.test(text) ? E.right(text) : E.left(message)),
    (value) => value,
    message,
  );
