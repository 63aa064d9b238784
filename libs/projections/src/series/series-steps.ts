/** Step sizes a series can take; months are calendar months in UTC, the others fixed durations. */
export const SERIES_STEPS = ['1h', '1d', '1w', '1mo'] as const;
export type SeriesStep = (typeof SERIES_STEPS)[number];
export const MAX_SERIES_POINTS = 10_000;

const FIXED_MS: Record<Exclude<SeriesStep, '1mo'>, number> = { '1h': 3_600_000, '1d': 86_400_000, '1w': 7 * 86_400_000 };

/**
 * The n-th month after `start`, keeping its day and time of day and clamping the day to the month's
 * end, always counted from the start so Jan 31 -> Feb 28 -> Mar 31 (never drifting to the 28th).
 */
const addMonths = (start: number, months: number): number => {
  const d = new Date(start);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
};

/**
 * The instants from `from` to `to` inclusive, `every` apart; `undefined` when there would be more
 * than `max` points (the caller names the limit in its error).
 */
export const seriesInstants = (from: number, to: number, every: SeriesStep, max = MAX_SERIES_POINTS): number[] | undefined => {
  const instants: number[] = [];
  for (let n = 0; ; n++) {
    const at = every === '1mo' ? addMonths(from, n) : from + n * FIXED_MS[every];
    if (at > to) return instants;
    if (instants.length === max) return undefined;
    instants.push(at);
  }
};
