import * as t from 'io-ts';
import { withSchema } from './schema-registry';

/**
 * An instant: ISO-8601 with an explicit offset on the wire, epoch milliseconds inside. Requiring the
 * offset avoids a server-timezone-dependent reading of "2026-01-31T00:00".
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const expectation = 'must be an ISO-8601 instant with a time zone, e.g. "2026-01-31T23:59:59Z"';

export const Instant = withSchema(
  new t.Type<number, string, unknown>(
    'Instant',
    (u): u is number => typeof u === 'number' && Number.isInteger(u),
    (u, c) => {
      if (typeof u !== 'string' || !ISO_INSTANT.test(u)) return t.failure(u, c, expectation);
      const millis = Date.parse(u);
      return Number.isNaN(millis) ? t.failure(u, c, expectation) : t.success(millis);
    },
    (millis) => new Date(millis).toISOString(),
  ),
  { type: 'string', format: 'date-time', description: expectation, example: '2026-01-31T23:59:59Z' },
);

export const formatInstant = (millis: number): string => new Date(millis).toISOString();
