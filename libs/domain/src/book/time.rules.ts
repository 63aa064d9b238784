import { formatInstant } from '../codecs/instant';
import { DomainError, invalidCommand } from '../errors';

/** Rules on a command's instants that need the server clock or another field: the decider applies them. */

/** How far ahead of the server clock an effectiveAt may be: client clocks drift, bookings are not forecasts. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * A mining period must start before it ends, and have started (and ended) by the time it is recorded:
 * a pool statement covers the past. "By then" allows the same clock skew as effectiveAt, so a client
 * whose clock runs a minute fast can send its own "now" for both.
 */
export const miningPeriodRefusal = (
  periodStart: number | undefined,
  periodEnd: number | undefined,
  now: number,
): DomainError | undefined => {
  const latest = now + FUTURE_TOLERANCE_MS;
  const serverTime = `server time is ${formatInstant(now)}`;
  if (periodStart !== undefined && periodEnd !== undefined && periodEnd <= periodStart)
    return invalidCommand('periodEnd', 'must be after periodStart');
  if (periodEnd !== undefined && periodEnd > latest)
    return invalidCommand('periodEnd', `must not be after the time it is recorded (${serverTime})`);
  if (periodStart !== undefined && periodStart > latest)
    return invalidCommand('periodStart', `must not be after the time it is recorded (${serverTime})`);
  return undefined;
};

/** The same instant a hundred calendar years later (29 February becomes 1 March when that year has none). */
export const centuryAfter = (millis: number): number => {
  const date = new Date(millis);
  date.setUTCFullYear(date.getUTCFullYear() + 100);
  return date.getTime();
};
