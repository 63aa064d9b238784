import * as t from 'io-ts';
import { withSchema } from '../codecs/schema-registry';

/**
 * Day-count conventions: how a loan agreement measures the time interest accrues over. Each maps an
 * instant to a position τ on its own time line, in milliseconds, so that the interest accrued on a
 * principal P over [a, b] is  rate × P × (τ(b) − τ(a)) / (daysPerYear × 86,400,000).
 *
 * - `act/365`, `act/360`: τ is the instant itself (actual elapsed time); a year is 365 or 360 days.
 * - `30/360` (30E/360, "Eurobond basis"): every month has 30 days. τ = 360·Y + 30·M + d days, plus the
 *   time of day, where d is the day of month clamped to 30. To keep τ continuous and never decreasing,
 *   the 30th of a 31-day month has zero length (the 31st carries that day), and the last day of
 *   February ends with a jump to the 30th (so February counts 30 days). From midnight to midnight this
 *   gives exactly the 30E/360 day count of the two dates.
 */
export const DAY_COUNTS = ['act/365', 'act/360', '30/360'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];

export const DayCountCodec = withSchema(t.keyof({ 'act/365': null, 'act/360': null, '30/360': null }, 'DayCount'), {
  type: 'string',
  enum: [...DAY_COUNTS],
  description: 'day-count convention of the loan agreement (act/365 when omitted)',
});

export const DEFAULT_DAY_COUNT: DayCount = 'act/365';

export const DAY_MS = 86_400_000;

export const daysPerYear = (dayCount: DayCount): bigint => (dayCount === 'act/365' ? 365n : 360n);

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month + 1, 1) - DAY_MS).getUTCDate();

/** τ(t) in milliseconds of the convention's time line (see above). */
export const dayCountTime = (dayCount: DayCount, at: number): number => {
  if (dayCount !== '30/360') return at;
  const date = new Date(at);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  const msOfDay = at - Date.UTC(year, month, day);
  const monthStart = (360 * year + 30 * month) * DAY_MS;
  const last = daysInMonth(year, month);
  if (last === 31) {
    // The 30th has zero length; the 31st runs from day 30 to the next month's start.
    if (day === 30) return monthStart + 30 * DAY_MS;
    if (day === 31) return monthStart + 30 * DAY_MS + msOfDay;
  }
  // Days 1..29 (and the 30th of a 30-day month) run from d to d + 1; February ends by jumping to 31.
  return monthStart + day * DAY_MS + msOfDay;
};

/** The denominator of the exact accrued interest in cents: micros per unit rate × a year in ms. */
export const accrualDenominator = (dayCount: DayCount): bigint => 1_000_000n * daysPerYear(dayCount) * BigInt(DAY_MS);
