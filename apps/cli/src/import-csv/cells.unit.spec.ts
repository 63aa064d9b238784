import * as E from 'fp-ts/Either';
import { parseAmount, parseDate, parseInstant, parseSats } from './cells';

const dot = { decimalMark: '.' } as const;
const utc = { dateFormat: 'YYYY-MM-DD', timeZone: 'UTC', dateOnlyAt: 'end-of-day' } as const;

describe('cells', () => {
  it('reads amounts exactly, in minor units, never through a float', () => {
    expect(parseAmount('0.1', 8, dot)).toEqual(E.right(10_000_000n));
    // 16 significant digits: a double would already round the last one.
    expect(parseAmount(' 20999999.99999999 ', 8, dot)).toEqual(E.right(2_099_999_999_999_999n));
    expect(parseAmount('-12.5', 2, dot)).toEqual(E.right(-1250n));
    expect(parseAmount('1.000000001', 8, dot)).toEqual(E.left('not a decimal amount with at most 8 decimals (got "1.000000001")'));
    expect(E.isLeft(parseAmount('1e3', 2, dot))).toBe(true);
    expect(E.isLeft(parseAmount('$1.00', 2, dot))).toBe(true);
    expect(E.isLeft(parseAmount('9'.repeat(41), 2, dot))).toBe(true);
  });

  it('strips thousands separators only when the profile says so, and reads a decimal comma', () => {
    expect(E.isLeft(parseAmount('1,250.5', 8, dot))).toBe(true);
    expect(parseAmount('1,250.5', 8, { decimalMark: '.', thousandsSeparator: ',' })).toEqual(E.right(125_050_000_000n));
    expect(parseAmount('95.123,45', 2, { decimalMark: ',', thousandsSeparator: '.' })).toEqual(E.right(9_512_345n));
    expect(parseAmount("1'000,5", 2, { decimalMark: ',', thousandsSeparator: "'" })).toEqual(E.right(100_050n));
    expect(E.isLeft(parseAmount('1.5', 2, { decimalMark: ',' }))).toBe(true);
  });

  it('reads satoshis as whole numbers', () => {
    expect(parseSats('15000000', dot)).toEqual(E.right('0.15000000'));
    expect(parseSats('15.000.000', { decimalMark: ',', thousandsSeparator: '.' })).toEqual(E.right('0.15000000'));
    expect(E.isLeft(parseSats('1.5', dot))).toBe(true);
  });

  it('reads a date as the end (or start) of that day in the zone, across daylight saving', () => {
    expect(parseDate('2026-01-31', utc)).toEqual(E.right('2026-01-31T23:59:59.999Z'));
    expect(parseDate('2026-01-31', { ...utc, dateOnlyAt: 'start-of-day' })).toEqual(E.right('2026-01-31T00:00:00.000Z'));
    expect(parseDate('07/15/2026', { ...utc, dateFormat: 'MM/DD/YYYY', timeZone: 'America/New_York' })).toEqual(
      E.right('2026-07-16T03:59:59.999Z'),
    );
    expect(parseDate('15/07/2026', { ...utc, dateFormat: 'DD/MM/YYYY', timeZone: 'Europe/Zurich' })).toEqual(
      E.right('2026-07-15T21:59:59.999Z'),
    );
    // 29 March 2026 is 23 hours long in Zurich.
    expect(parseDate('29.03.2026', { ...utc, dateFormat: 'DD.MM.YYYY', timeZone: 'Europe/Zurich', dateOnlyAt: 'start-of-day' })).toEqual(
      E.right('2026-03-28T23:00:00.000Z'),
    );
    expect(parseDate('2026-02-30', utc)).toEqual(E.left('not a date in the form YYYY-MM-DD (got "2026-02-30")'));
    expect(E.isLeft(parseDate('2026-01-31T10:00:00Z', utc))).toBe(true);
  });

  it('reads a date and time with an offset as given, without one as wall-clock time in the zone', () => {
    expect(parseInstant('2026-01-06T14:32:10Z', utc)).toEqual(E.right('2026-01-06T14:32:10.000Z'));
    expect(parseInstant('2026-01-06 14:32:10.5+0200', utc)).toEqual(E.right('2026-01-06T12:32:10.500Z'));
    expect(parseInstant('2026-01-06 14:32 UTC', utc)).toEqual(E.right('2026-01-06T14:32:00.000Z'));
    expect(parseInstant('01/06/2026 09:32', { ...utc, dateFormat: 'MM/DD/YYYY', timeZone: 'America/New_York' })).toEqual(
      E.right('2026-01-06T14:32:00.000Z'),
    );
    expect(parseInstant('2026-01-06', utc)).toEqual(E.right('2026-01-06T23:59:59.999Z'));
    expect(E.isLeft(parseInstant('2026-01-06T24:00:00Z', utc))).toBe(true);
    expect(E.isLeft(parseInstant('2026-01-06T10:00:00+19:00', utc))).toBe(true);
    expect(E.isLeft(parseInstant('yesterday', utc))).toBe(true);
  });
});
