import * as E from 'fp-ts/Either';
import {
  BTC_SCALE,
  CalendarDay,
  USD_SCALE,
  endOfDay,
  formatBtc,
  formatDecimal,
  instantOfLocal,
  isCalendarDay,
  parseDecimal,
  startOfDay,
} from '@treasury/domain';
import type { DateFormat } from './profile.codec';

/**
 * One cell to the text a command body takes: amounts to exact decimal strings (never through a
 * float), dates and times to ISO instants. Pure: the zone comes from the profile or the book.
 */

export interface NumberFormat {
  readonly decimalMark: '.' | ',';
  readonly thousandsSeparator?: string;
}

export interface TimeFormat {
  readonly dateFormat: DateFormat;
  readonly timeZone: string;
  readonly dateOnlyAt: 'end-of-day' | 'start-of-day';
}

/** Longer than any amount the codecs accept with separators; refused before any parsing. */
const MAX_AMOUNT_CHARS = 40;

/** A decimal amount in minor units at `scale` places; separators only as the profile says. */
export const parseAmount = (cell: string, scale: number, format: NumberFormat): E.Either<string, bigint> => {
  const expected = `not a decimal amount with at most ${scale} decimals${format.decimalMark === ',' ? ' (decimal mark ",")' : ''}`;
  const trimmed = cell.trim();
  if (trimmed.length > MAX_AMOUNT_CHARS) return E.left(`${expected} (longer than ${MAX_AMOUNT_CHARS} characters)`);
  let text = format.thousandsSeparator === undefined ? trimmed : trimmed.split(format.thousandsSeparator).join('');
  if (format.decimalMark === ',') {
    if (text.includes('.')) return E.left(`${expected} (got "${trimmed}")`);
    text = text.replace(',', '.');
  }
  const units = parseDecimal(text, scale);
  return units === undefined ? E.left(`${expected} (got "${trimmed}")`) : E.right(units);
};

/** Whole satoshis, as a BTC decimal string. */
export const parseSats = (cell: string, format: NumberFormat): E.Either<string, string> => {
  const trimmed = cell.trim();
  const text = format.thousandsSeparator === undefined ? trimmed : trimmed.split(format.thousandsSeparator).join('');
  return /^-?\d{1,17}$/.test(text)
    ? E.right(formatBtc(BigInt(text)))
    : E.left(`not a whole number of satoshis (got "${trimmed.slice(0, MAX_AMOUNT_CHARS)}")`);
};

export const formatAmount = (units: bigint, scale: number): string => formatDecimal(units, scale);
export const SCALE = { btc: BTC_SCALE, usd: USD_SCALE } as const;

const DATE_PATTERNS: Record<
  DateFormat,
  { readonly pattern: string; readonly order: readonly ['y' | 'm' | 'd', 'y' | 'm' | 'd', 'y' | 'm' | 'd'] }
> = {
  'YYYY-MM-DD': { pattern: '(\\d{4})-(\\d{1,2})-(\\d{1,2})', order: ['y', 'm', 'd'] },
  'MM/DD/YYYY': { pattern: '(\\d{1,2})/(\\d{1,2})/(\\d{4})', order: ['m', 'd', 'y'] },
  'DD/MM/YYYY': { pattern: '(\\d{1,2})/(\\d{1,2})/(\\d{4})', order: ['d', 'm', 'y'] },
  'DD.MM.YYYY': { pattern: '(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})', order: ['d', 'm', 'y'] },
};

const dayOf = (format: DateFormat, parts: ReadonlyArray<string>): CalendarDay => {
  const { order } = DATE_PATTERNS[format];
  const at = (field: 'y' | 'm' | 'd') => Number(parts[order.indexOf(field)]);
  return { year: at('y'), month: at('m'), day: at('d') };
};

/** Date, then optionally a time (after "T" or a space) and an offset ("Z", "+02:00", "+0200"). */
const instantPattern = (format: DateFormat) =>
  new RegExp(
    `^${DATE_PATTERNS[format].pattern}(?:[T ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,3}))?)?\\s*(Z|UTC|[+-]\\d{2}:?\\d{2})?)?$`,
  );

const iso = (millis: number): string => new Date(millis).toISOString();

/** A day with no time: the end (or start) of that day in the zone, as the profile says. */
export const parseDate = (cell: string, format: TimeFormat): E.Either<string, string> => {
  const match = new RegExp(`^${DATE_PATTERNS[format.dateFormat].pattern}$`).exec(cell.trim());
  const day = match === null ? undefined : dayOf(format.dateFormat, match.slice(1, 4));
  if (day === undefined || !isCalendarDay(day))
    return E.left(`not a date in the form ${format.dateFormat} (got "${cell.trim().slice(0, 40)}")`);
  return E.right(iso(format.dateOnlyAt === 'end-of-day' ? endOfDay(format.timeZone, day) : startOfDay(format.timeZone, day)));
};

/** A date and time; without an offset it is wall-clock time in the zone. A date alone is read as parseDate reads it. */
export const parseInstant = (cell: string, format: TimeFormat): E.Either<string, string> => {
  const trimmed = cell.trim();
  const match = instantPattern(format.dateFormat).exec(trimmed);
  const expected = `not a date and time in the form ${format.dateFormat} HH:mm[:ss][Z|±HH:MM] (got "${trimmed.slice(0, 40)}")`;
  if (match === null) return E.left(expected);
  const day = dayOf(format.dateFormat, match.slice(1, 4));
  if (!isCalendarDay(day)) return E.left(expected);
  if (match[4] === undefined) return parseDate(trimmed, format);
  const [hour, minute, second, fraction] = [
    Number(match[4]),
    Number(match[5]),
    Number(match[6] ?? 0),
    Number((match[7] ?? '').padEnd(3, '0')),
  ];
  if (hour > 23 || minute > 59 || second > 59) return E.left(expected);
  const local = { ...day, hour, minute, second, millisecond: fraction };
  const offset = match[8];
  if (offset === undefined) return E.right(iso(instantOfLocal(format.timeZone, local)));
  const wall = Date.UTC(day.year, day.month - 1, day.day, hour, minute, second, fraction);
  if (offset === 'Z' || offset === 'UTC') return E.right(iso(wall));
  const digits = offset.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  if (minutes > 18 * 60) return E.left(expected);
  return E.right(iso(wall - (digits[0] === '-' ? -1 : 1) * minutes * 60_000));
};

/** Free text, trimmed; the command's codec applies its own rules after. */
export const parseText = (cell: string): E.Either<string, string> => {
  const trimmed = cell.trim();
  return trimmed === '' ? E.left('is empty') : E.right(trimmed);
};
