import { UTC, addLocalDays, addLocalMonths, localTimeAt } from '@treasury/domain';

/**
 * Step sizes a series can take. `1h` is a fixed hour; `1d`, `1w` and `1mo` are calendar days, weeks
 * and months in the book's time zone: the same wall-clock time each local day, so a daily point at
 * 23:59:59.999 Zurich stays at 23:59:59.999 Zurich across a DST change (23 or 25 hours apart).
 */
export const SERIES_STEPS = ['1h', '1d', '1w', '1mo'] as const;
export type SeriesStep = (typeof SERIES_STEPS)[number];
export const MAX_SERIES_POINTS = 10_000;

const HOUR_MS = 3_600_000;

/**
 * The instants from `from` to `to` inclusive, `every` apart, counted in the zone; `undefined` when there
 * would be more than `max` points (the caller names the limit in its error). Each point is counted from
 * `from` (n days or months after it), so a month-end clamped to Feb 28 goes back to Mar 31.
 */
export const seriesInstants = (
  from: number,
  to: number,
  every: SeriesStep,
  max = MAX_SERIES_POINTS,
  timeZone: string = UTC,
): number[] | undefined => {
  const start = localTimeAt(timeZone, from);
  const nth = (n: number): number => {
    switch (every) {
      case '1h':
        return from + n * HOUR_MS;
      case '1d':
        return addLocalDays(timeZone, start, n);
      case '1w':
        return addLocalDays(timeZone, start, 7 * n);
      case '1mo':
        return addLocalMonths(timeZone, start, n);
    }
  };
  const instants: number[] = [];
  for (let n = 0; ; n++) {
    const at = nth(n);
    if (at > to) return instants;
    if (instants.length === max) return undefined;
    instants.push(at);
  }
};
