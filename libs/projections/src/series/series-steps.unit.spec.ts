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
