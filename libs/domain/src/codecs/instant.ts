import * as t from 'io-ts';
import { GENESIS_MILLIS, INSTANT_END_MILLIS } from './bounds';
import { withSchema } from './schema-registry';

/**
 * An instant: ISO-8601 with an explicit offset on the wire, epoch milliseconds inside. Requiring the
 * offset avoids a server-timezone-dependent reading of "2026-01-31T00:00".
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,3}))?)?(?:Z|([+-])([01]\d|2[0-3]):([0-5]\d))$/;

/** Date.parse rolls 2026-02-30 over to 2 March; a ledger date that does not exist is a typo, not a date. */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const isCalendarDate = (year: number, month: number, day: number): boolean =>
  month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]! + (month === 2 && isLeapYear(year) ? 1 : 0);
const expectation = 'must be an ISO-8601 instant with a time zone, e.g. "2026-01-31T23:59:59Z"';
const GENESIS_ISO = '2009-01-03T18:15:05Z';
const END_ISO = '2200-01-01T00:00:00Z';

/**
 * Epoch milliseconds from the matched fields: the same as Date.parse for every string the pattern
 * accepts (a property test checks it), without re-parsing, as the log is decoded a million times.
 */
const toMillis = (m: RegExpExecArray): number => {
  const year = Number(m[1]);
  if (year < 100) return Date.parse(m[0]); // Date.UTC would read years 0-99 as 1900-1999
  const millis = Date.UTC(
    year,
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
    Number((m[7] ?? '').padEnd(3, '0')),
  );
  const offsetMinutes = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  return millis - offsetMinutes * 60_000;
};

/** Epoch milliseconds of an ISO-8601 instant with a zone; undefined when it is not one (or names a day that does not exist). */
const parseInstant = (u: unknown): number | undefined => {
  const match = typeof u === 'string' ? ISO_INSTANT.exec(u) : null;
  if (match === null || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) return undefined;
  const millis = toMillis(match);
  return Number.isNaN(millis) ? undefined : millis;
};

/** The longest string the pattern accepts: "2026-01-31T23:59:59.999+05:30". */
const MAX_INSTANT_LENGTH = 29;

/**
 * An instant in a command or a query: from the bitcoin genesis block (inclusive) to 2200-01-01
 * (exclusive). Years 0000-0099 are refused with the rest of what predates bitcoin, so nothing
 * downstream (Date.UTC reads years 0-99 as 1900-1999) can misread them.
 */
export const Instant = withSchema(
  new t.Type<number, string, unknown>(
    'Instant',
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= GENESIS_MILLIS && u < INSTANT_END_MILLIS,
    (u, c) => {
      const millis = typeof u === 'string' && u.length <= MAX_INSTANT_LENGTH ? parseInstant(u) : undefined;
      if (millis === undefined) return t.failure(u, c, expectation);
      if (millis < GENESIS_MILLIS) return t.failure(u, c, `must not be before the bitcoin genesis block (${GENESIS_ISO})`);
      if (millis >= INSTANT_END_MILLIS) return t.failure(u, c, `must be before ${END_ISO}`);
      return t.success(millis);
    },
    (millis) => new Date(millis).toISOString(),
  ),
  {
    type: 'string',
    format: 'date-time',
    maxLength: MAX_INSTANT_LENGTH,
    description: `${expectation}, from the bitcoin genesis block (${GENESIS_ISO}) to before ${END_ISO}`,
    example: '2026-01-31T23:59:59Z',
  },
);

/**
 * An instant read back from the log: the same format without the range, so an event stored before
 * the range existed still decodes.
 */
export const StoredInstant = withSchema(
  new t.Type<number, string, unknown>(
    'StoredInstant',
    (u): u is number => typeof u === 'number' && Number.isInteger(u),
    (u, c) => {
      const millis = parseInstant(u);
      return millis === undefined ? t.failure(u, c, expectation) : t.success(millis);
    },
    (millis) => new Date(millis).toISOString(),
  ),
  { type: 'string', format: 'date-time', description: expectation, example: '2026-01-31T23:59:59Z' },
);

export const formatInstant = (millis: number): string => new Date(millis).toISOString();
