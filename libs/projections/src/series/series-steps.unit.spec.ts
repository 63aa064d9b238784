import { seriesInstants } from './series-steps';

const iso = (instants: number[] | undefined) => instants?.map((ms) => new Date(ms).toISOString());

describe('seriesInstants', () => {
  it('steps by fixed durations, from and to inclusive', () => {
    expect(iso(seriesInstants(Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T03:00:00Z'), '1h'))).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
      '2026-01-01T03:00:00.000Z',
    ]);
    expect(seriesInstants(Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-21T23:59:59Z'), '1w')).toHaveLength(3);
  });

  it('steps by calendar months, clamping to the month end without drifting', () => {
    expect(iso(seriesInstants(Date.parse('2026-01-31T23:59:59Z'), Date.parse('2026-05-31T23:59:59Z'), '1mo'))).toEqual([
      '2026-01-31T23:59:59.000Z',
      '2026-02-28T23:59:59.000Z',
      '2026-03-31T23:59:59.000Z',
      '2026-04-30T23:59:59.000Z',
      '2026-05-31T23:59:59.000Z',
    ]);
    expect(iso(seriesInstants(Date.parse('2027-11-30T00:00:00Z'), Date.parse('2028-03-01T00:00:00Z'), '1mo'))).toEqual([
      '2027-11-30T00:00:00.000Z',
      '2027-12-30T00:00:00.000Z',
      '2028-01-30T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
    ]);
  });

  it('refuses more points than the limit, and gives none when to is before from', () => {
    const start = Date.parse('2020-01-01T00:00:00Z');
    expect(seriesInstants(start, start + 9_999 * 3_600_000, '1h')).toHaveLength(10_000);
    expect(seriesInstants(start, start + 10_000 * 3_600_000, '1h')).toBeUndefined();
    expect(seriesInstants(start, start - 1, '1d')).toEqual([]);
  });
});

describe('seriesInstants in a book time zone', () => {
  it('keeps a Zurich day end at 23:59:59.999 local across the October DST change', () => {
    expect(
      iso(seriesInstants(Date.parse('2025-10-24T21:59:59.999Z'), Date.parse('2025-10-28T00:00:00Z'), '1d', 100, 'Europe/Zurich')),
    ).toEqual(['2025-10-24T21:59:59.999Z', '2025-10-25T21:59:59.999Z', '2025-10-26T22:59:59.999Z', '2025-10-27T22:59:59.999Z']);
  });

  it('steps Zurich month ends, clamped and not drifting, and keeps 1h a fixed hour', () => {
    expect(
      iso(seriesInstants(Date.parse('2025-01-31T22:59:59.999Z'), Date.parse('2025-04-30T22:00:00Z'), '1mo', 100, 'Europe/Zurich')),
    ).toEqual(['2025-01-31T22:59:59.999Z', '2025-02-28T22:59:59.999Z', '2025-03-31T21:59:59.999Z', '2025-04-30T21:59:59.999Z']);
    expect(seriesInstants(Date.parse('2025-10-26T00:00:00Z'), Date.parse('2025-10-26T03:00:00Z'), '1h', 100, 'Europe/Zurich')).toHaveLength(
      4,
    );
  });
});
