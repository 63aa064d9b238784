import * as t from 'io-ts';
import { withSchema } from './schema-registry';

/**
 * An instant: ISO-8601 with an explicit offset on the wire, epoch milliseconds inside. Requiring the
 * offset avoids a server-timezone-dependent reading of "2026-01-31T00:00".
 */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** Date.parse rolls 2026-02-30 over to 2 March; a ledger date that does not exist is a typo, not a date. */
const isCalendarDate = (year: number, month: number, day: number): boolean =>
  month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
const expectation = 'must be an ISO-8601 instant with a time zone, e.g. "2026-01-31T23:59:59Z"';

export const Instant = withSchema(
  new t.Type<number, string, unknown>(
    'Instant',
    (u): u is number => typeof u === 'number' && Number.isInteger(u),
    (u, c) => {
      const match = typeof u === 'string' ? ISO_INSTANT.exec(u) : null;
      if (typeof u !== 'string' || match === null) return t.failure(u, c, expectation);
      if (!isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) return t.failure(u, c, expectation);
      const millis = Date.parse(u);
      return Number.isNaN(millis) ? t.failure(u, c, expectation) : t.success(millis);
    },
    (millis) => new Date(millis).toISOString(),
  ),
  { type: 'string', format: 'date-time', description: expectation, example: '2026-01-31T23:59:59Z' },
);

export const formatInstant = (millis: number): string => new Date(millis).toISOString();
