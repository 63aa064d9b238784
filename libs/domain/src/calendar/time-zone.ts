import * as t from 'io-ts';
import { withSchema } from '../codecs/schema-registry';

/**
 * The book's calendar: IANA time zones through the platform's Intl API (the ICU time zone data that
 * ships with Node), so no dependency carries its own copy of the tz database. Pure: no clock, no I/O.
 */
export const UTC = 'UTC';

/** A date on a book's calendar (month 1-12). */
export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Wall-clock fields in a zone (month 1-12). */
export interface LocalTime extends CalendarDay {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const DAY_MS = 86_400_000;
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+/-]{0,63}$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterOf = (zone: string): Intl.DateTimeFormat => {
  let found = formatters.get(zone);
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, found);
  }
  return found;
};

/** The zone's canonical name as Intl knows it (`europe/zurich` -> `Europe/Zurich`), or undefined when it names no zone. */
export const canonicalTimeZone = (name: string): string | undefined => {
  if (!ZONE_NAME.test(name)) return undefined;
  try {
    return formatterOf(name).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
};

const zoneRule = 'must be an IANA time zone name, e.g. "Europe/Zurich" or "UTC"';

/** A time zone in a command: an IANA name the platform knows, read as its canonical spelling. */
export const TimeZone = withSchema(
  new t.Type<string, string, unknown>(
    'TimeZone',
    (u): u is string => typeof u === 'string' && canonicalTimeZone(u) === u,
    (u, c) => {
      const zone = typeof u === 'string' ? canonicalTimeZone(u) : undefined;
      return zone === undefined ? t.failure(u, c, zoneRule) : t.success(zone);
    },
    (zone) => zone,
  ),
  { type: 'string', maxLength: 64, pattern: ZONE_NAME.source, description: `${zoneRule} (default UTC)`, example: 'Europe/Zurich' },
);

/** A time zone read back from the log: the name's format only, so a log stays readable on any runtime. */
export const StoredTimeZone = withSchema(
  new t.Type<string, string, unknown>(
    'StoredTimeZone',
    (u): u is string => typeof u === 'string' && ZONE_NAME.test(u),
    (u, c) => (typeof u === 'string' && ZONE_NAME.test(u) ? t.success(u) : t.failure(u, c, zoneRule)),
    (zone) => zone,
  ),
  { type: 'string', maxLength: 64, pattern: ZONE_NAME.source, description: zoneRule, example: 'Europe/Zurich' },
);

const wallMillis = (l: LocalTime): number => Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);

/** The offset at an instant, asked of Intl (a few microseconds). */
const exactOffsetAt = (zone: string, instant: number): number => {
  const millis = ((instant % 1000) + 1000) % 1000;
  const whole = instant - millis;
  const parts = formatterOf(zone).formatToParts(whole);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  return wall - whole;
};

/** Offsets at UTC midnights, per zone: most instants lie in a day whose offset does not change. */
const dayOffsets = new Map<string, Map<number, number>>();
const MAX_CACHED_DAYS = 200_000;

const offsetAtDay = (zone: string, dayIndex: number): number => {
  let days = dayOffsets.get(zone);
  if (days === undefined) dayOffsets.set(zone, (days = new Map()));
  let offset = days.get(dayIndex);
  if (offset === undefined) {
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    offset = exactOffsetAt(zone, dayIndex * DAY_MS);
    days.set(dayIndex, offset);
  }
  return offset;
};

/**
 * The zone's offset from UTC at an instant, in milliseconds (Zurich in summer: +7,200,000). When the
 * offset is the same at the UTC midnights either side, that is it (a zone changes its offset at most
 * twice a year, never twice back and forth within a day); otherwise Intl is asked for the instant itself.
 */
export const offsetAt = (zone: string, instant: number): number => {
  if (zone === UTC) return 0;
  const day = Math.floor(instant / DAY_MS);
  const before = offsetAtDay(zone, day);
  return before === offsetAtDay(zone, day + 1) ? before : exactOffsetAt(zone, instant);
};

/** The wall-clock time in the zone at an instant. */
export const localTimeAt = (zone: string, instant: number): LocalTime => {
  const d = new Date(instant + offsetAt(zone, instant));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
};

/**
 * The instant a wall-clock time names in the zone, disambiguated as Temporal's "compatible" does: a
 * time that occurs twice (clocks going back) is the earlier; a time skipped (clocks going forward) is
 * moved forward by the gap, so a skipped midnight is the first instant of that day. Normalises
 * overflowing fields the way Date.UTC does (day 32 is the 1st of the next month).
 */
export const instantOfLocal = (zone: string, local: LocalTime): number => {
  const wall = wallMillis(local);
  if (zone === UTC) return wall;
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter((instant) => instant + offsetAt(zone, instant) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before; // in a gap: the offset from before it carries the time past the gap
};

const midnight = (day: CalendarDay): LocalTime => ({ ...day, hour: 0, minute: 0, second: 0, millisecond: 0 });

/** The first instant of a day in the zone. */
export const startOfDay = (zone: string, day: CalendarDay): number => instantOfLocal(zone, midnight(day));

/** The last millisecond of a day in the zone: events effective at 23:59:59.999 local are in it. */
export const endOfDay = (zone: string, day: CalendarDay): number => startOfDay(zone, { ...day, day: day.day + 1 }) - 1;

/** The first instant of a calendar month in the zone (month 1-12; 13 is January of the next year). */
export const startOfMonth = (zone: string, year: number, month: number): number => startOfDay(zone, { year, month, day: 1 });

/** The first instant of the month that holds the instant, in the zone. */
export const startOfMonthHolding = (zone: string, instant: number): number => {
  const local = localTimeAt(zone, instant);
  return startOfMonth(zone, local.year, local.month);
};

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The same wall-clock time `days` calendar days later in the zone (24 hours, or 23 or 25 across a DST change). */
export const addLocalDays = (zone: string, local: LocalTime, days: number): number =>
  instantOfLocal(zone, { ...local, day: local.day + days });

/**
 * The same wall-clock time `months` calendar months later, the day clamped to the month's end
 * (Jan 31 -> Feb 28 -> Mar 31: always counted from `local`, never drifting).
 */
export const addLocalMonths = (zone: string, local: LocalTime, months: number): number => {
  const index = local.year * 12 + (local.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return instantOfLocal(zone, { ...local, year, month, day: Math.min(local.day, daysInMonth(year, month)) });
};

/** Whether the numbers name a day of the Gregorian calendar. */
export const isCalendarDay = (day: CalendarDay): boolean =>
  Number.isInteger(day.year) && day.month >= 1 && day.month <= 12 && day.day >= 1 && day.day <= daysInMonth(day.year, day.month);
