import * as E from 'fp-ts/Either';
import {
  StoredTimeZone,
  TimeZone,
  addLocalDays,
  addLocalMonths,
  endOfDay,
  instantOfLocal,
  localTimeAt,
  offsetAt,
  startOfDay,
  startOfMonth,
  startOfMonthHolding,
} from './time-zone';

const iso = (ms: number) => new Date(ms).toISOString();
const ZURICH = 'Europe/Zurich';
const local = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
  millisecond,
});

describe('time zones', () => {
  it('accepts IANA names Intl knows, in their canonical spelling, and refuses the rest', () => {
    expect(TimeZone.decode('Europe/Zurich')).toEqual(E.right('Europe/Zurich'));
    expect(TimeZone.decode('europe/zurich')).toEqual(E.right('Europe/Zurich'));
    expect(TimeZone.decode('UTC')).toEqual(E.right('UTC'));
    for (const bad of ['Mars/Olympus', '+01:00', '', 'Europe/Zurich\n', 42, 'x'.repeat(65)])
      expect(E.isLeft(TimeZone.decode(bad))).toBe(true);
    // The log reads the format only: a zone this runtime does not know still decodes.
    expect(StoredTimeZone.decode('Mars/Olympus')).toEqual(E.right('Mars/Olympus'));
  });

  it('knows Zurich is UTC+1 in winter and UTC+2 in summer', () => {
    expect(offsetAt(ZURICH, Date.parse('2025-01-15T12:00:00Z'))).toBe(3_600_000);
    expect(offsetAt(ZURICH, Date.parse('2025-07-15T12:00:00Z'))).toBe(7_200_000);
    expect(localTimeAt(ZURICH, Date.parse('2025-10-31T22:59:59.999Z'))).toEqual(local(2025, 10, 31, 23, 59, 59, 999));
  });

  it('ends a Zurich day at its last millisecond, across both DST changes', () => {
    expect(iso(endOfDay(ZURICH, { year: 2025, month: 10, day: 31 }))).toBe('2025-10-31T22:59:59.999Z');
    expect(iso(endOfDay(ZURICH, { year: 2025, month: 3, day: 30 }))).toBe('2025-03-30T21:59:59.999Z');
    // 26 October 2025 has 25 hours, 30 March 2025 has 23.
    expect(endOfDay(ZURICH, { year: 2025, month: 10, day: 26 }) + 1 - startOfDay(ZURICH, { year: 2025, month: 10, day: 26 })).toBe(
      25 * 3_600_000,
    );
    expect(endOfDay(ZURICH, { year: 2025, month: 3, day: 30 }) + 1 - startOfDay(ZURICH, { year: 2025, month: 3, day: 30 })).toBe(
      23 * 3_600_000,
    );
  });

  it('starts months at local midnight: October 2025 in Zurich runs from 22:00Z on 30 Sep to 22:59:59.999Z on 31 Oct', () => {
    expect(iso(startOfMonth(ZURICH, 2025, 10))).toBe('2025-09-30T22:00:00.000Z');
    expect(iso(startOfMonth(ZURICH, 2025, 11) - 1)).toBe('2025-10-31T22:59:59.999Z');
    expect(iso(startOfMonth(ZURICH, 2025, 13))).toBe('2025-12-31T23:00:00.000Z');
    expect(iso(startOfMonthHolding(ZURICH, Date.parse('2025-10-31T22:59:59.999Z')))).toBe('2025-09-30T22:00:00.000Z');
    expect(iso(startOfMonthHolding(ZURICH, Date.parse('2025-10-31T23:00:00.000Z')))).toBe('2025-10-31T23:00:00.000Z');
  });

  it('resolves skipped and repeated wall times as Temporal "compatible" does', () => {
    // 02:30 on 30 March 2025 does not exist in Zurich: it becomes 03:30 CEST.
    expect(iso(instantOfLocal(ZURICH, local(2025, 3, 30, 2, 30)))).toBe('2025-03-30T01:30:00.000Z');
    // 02:30 on 26 October 2025 happens twice: the earlier (CEST) one.
    expect(iso(instantOfLocal(ZURICH, local(2025, 10, 26, 2, 30)))).toBe('2025-10-26T00:30:00.000Z');
    // Chile skips midnight: 7 September 2025 starts at 01:00 local, the moment of the change.
    expect(iso(startOfDay('America/Santiago', { year: 2025, month: 9, day: 7 }))).toBe('2025-09-07T04:00:00.000Z');
  });

  it('steps by calendar days and months in the zone, keeping the wall time', () => {
    const start = local(2025, 10, 25, 23, 59, 59, 999);
    expect([0, 1, 2].map((n) => iso(addLocalDays(ZURICH, start, n)))).toEqual([
      '2025-10-25T21:59:59.999Z',
      '2025-10-26T22:59:59.999Z',
      '2025-10-27T22:59:59.999Z',
    ]);
    const monthEnd = local(2025, 1, 31, 23, 59, 59, 999);
    expect([0, 1, 2, 3].map((n) => iso(addLocalMonths(ZURICH, monthEnd, n)))).toEqual([
      '2025-01-31T22:59:59.999Z',
      '2025-02-28T22:59:59.999Z',
      '2025-03-31T21:59:59.999Z',
      '2025-04-30T21:59:59.999Z',
    ]);
  });

  it('is plain UTC arithmetic in UTC', () => {
    expect(iso(endOfDay('UTC', { year: 2024, month: 2, day: 29 }))).toBe('2024-02-29T23:59:59.999Z');
    expect(offsetAt('UTC', 0)).toBe(0);
  });
});
