import * as E from 'fp-ts/Either';
import type { QueryTime } from '@treasury/application';
import { BookId, FieldError, Instant, isCalendarDay, toFieldErrors } from '@treasury/domain';
import { ProblemException, invalidRequest } from './problem';

/** Header values are free text up to this length: ids and keys, not documents. */
const MAX_HEADER_TEXT = 200;
const PRINTABLE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

export const requireBookId = (bookId: string): string => {
  const decoded = BookId.decode(bookId);
  if (E.isLeft(decoded)) {
    throw new ProblemException(invalidRequest(toFieldErrors(decoded.left).map((e) => ({ ...e, path: 'bookId' }))));
  }
  return decoded.right;
};

/** Validates optional text headers together, so one 400 lists every bad header. */
export const textHeaders = <K extends string>(headers: Record<K, string | undefined>): Record<K, string | undefined> => {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(headers) as Array<[K, string | undefined]>) {
    if (value !== undefined && (value.length > MAX_HEADER_TEXT || !PRINTABLE.test(value))) {
      errors.push({ path: `headers.${name}`, message: `must be 1 to ${MAX_HEADER_TEXT} printable ASCII characters` });
    }
  }
  if (errors.length > 0) throw new ProblemException(invalidRequest(errors));
  return headers;
};

/** `If-Match: "<revision>"` (the ETag a 201 returned); a bare number is accepted too. */
export const parseIfMatch = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const match = /^(?:W\/)?"?(-1|0|[1-9]\d{0,15})"?$/.exec(value.trim());
  if (match?.[1] === undefined) {
    throw new ProblemException(invalidRequest([{ path: 'headers.if-match', message: 'must be a revision in quotes, as returned in ETag, e.g. "12"' }]));
  }
  return Number(match[1]);
};

/** Query parameters: refuse unknown names (a typo must not silently widen a query) and parse integers. */
export const checkQueryNames = (query: Record<string, unknown>, known: ReadonlyArray<string>): void => {
  const unknown = Object.keys(query).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ProblemException(
      invalidRequest(unknown.map((name) => ({ path: `query.${name}`, message: `is not a known parameter (known: ${known.join(', ')})` }))),
    );
  }
};

export const integerParam = (query: Record<string, unknown>, name: string, min: number, max: number): number | undefined => {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d{1,16}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ProblemException(invalidRequest([{ path: `query.${name}`, message: `must be an integer from ${min} to ${max}` }]));
  }
  return Number(value);
};

/** An ISO-8601 instant with an offset, decoded by the same codec as every effectiveAt. */
export const instantParam = (query: Record<string, unknown>, name: string): number | undefined => {
  const value = query[name];
  if (value === undefined) return undefined;
  const decoded = Instant.decode(value);
  if (E.isLeft(decoded)) throw new ProblemException(invalidRequest(toFieldErrors(decoded.left).map((e) => ({ ...e, path: `query.${name}` }))));
  return decoded.right;
};

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Dates a query may name: the day of the genesis block to the last day before the instant bound. */
const FIRST_DATE = '2009-01-03';
const LAST_DATE = '2199-12-31';

/**
 * An instant, or a date-only value (`2025-10-31`) that the query reads on the book's calendar: the end
 * of that day (its last millisecond) in the book's time zone, or its start where `at` is 'start' (the
 * lower bound of a range).
 */
export const timeParam = (query: Record<string, unknown>, name: string, at: 'start' | 'end' = 'end'): QueryTime | undefined => {
  const value = query[name];
  const match = typeof value === 'string' ? DATE_ONLY.exec(value) : null;
  if (match === null) {
    if (value === undefined) return undefined;
    const decoded = Instant.decode(value);
    if (E.isLeft(decoded)) {
      throw new ProblemException(invalidRequest(toFieldErrors(decoded.left).map((e) => ({ path: `query.${name}`, message: `${e.message}, or a date such as 2025-10-31 (the end of that day in the book's time zone)` }))));
    }
    return decoded.right;
  }
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (!isCalendarDay(date) || match[0] < FIRST_DATE || match[0] > LAST_DATE) {
    throw new ProblemException(invalidRequest([{ path: `query.${name}`, message: `must be a date from ${FIRST_DATE} to ${LAST_DATE} (YYYY-MM-DD, a day that exists) or an instant` }]));
  }
  return { date, at };
};

export const requiredTimeParam = (query: Record<string, unknown>, name: string): QueryTime => {
  const value = timeParam(query, name);
  if (value === undefined) throw new ProblemException(invalidRequest([{ path: `query.${name}`, message: 'is required' }]));
  return value;
};

export const requiredInstantParam = (query: Record<string, unknown>, name: string): number => {
  const value = instantParam(query, name);
  if (value === undefined) throw new ProblemException(invalidRequest([{ path: `query.${name}`, message: 'is required' }]));
  return value;
};

/** A global log position, as a command's response gives it (`position`), for read-your-writes. */
export const positionParam = (query: Record<string, unknown>, name: string): bigint | undefined => {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^(0|[1-9]\d{0,18})$/.test(value)) {
    throw new ProblemException(invalidRequest([{ path: `query.${name}`, message: 'must be a log position as returned in a command response, e.g. "42"' }]));
  }
  return BigInt(value);
};

export const oneOfParam = <A extends string>(query: Record<string, unknown>, name: string, allowed: ReadonlyArray<A>): A | undefined => {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as ReadonlyArray<string>).includes(value)) {
    throw new ProblemException(invalidRequest([{ path: `query.${name}`, message: `must be one of ${allowed.join(', ')}` }]));
  }
  return value as A;
};
