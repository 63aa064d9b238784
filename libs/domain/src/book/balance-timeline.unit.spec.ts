import { BalanceTimeline } from './balance-timeline';

describe('BalanceTimeline', () => {
  const build = (...entries: Array<[number, number, bigint]>) => {
    const timeline = new BalanceTimeline();
    for (const [time, revision, delta] of entries) timeline.insert(time, revision, delta);
    return timeline;
  };

  it('orders by effective time, ties by revision, and sums through a point', () => {
    const timeline = build([10, 1, 5n], [30, 2, -3n], [20, 3, 2n], [10, 4, 1n]);
    expect(timeline.total).toBe(5n);
    expect(timeline.balanceThrough(10, 1)).toBe(5n);
    expect(timeline.balanceThrough(10, 99)).toBe(6n);
    expect(timeline.balanceThrough(25, 0)).toBe(8n);
    expect(timeline.balanceThrough(5, 0)).toBe(0n);
  });

  it('finds the first point a negative delta would overdraw, looking past the insertion point', () => {
    const timeline = build([10, 1, 10n], [30, 2, -8n]);
    expect(timeline.firstShortfall(40, 3, -2n)).toBeUndefined();
    expect(timeline.firstShortfall(40, 3, -3n)).toEqual({ at: 40, balance: -1n });
    expect(timeline.firstShortfall(20, 3, -5n)).toEqual({ at: 30, balance: -3n });
    expect(timeline.firstShortfall(5, 3, -1n)).toEqual({ at: 5, balance: -1n });
    expect(timeline.firstShortfall(5, 3, 4n)).toBeUndefined();
  });

  it('removes exactly the delta recorded at a point', () => {
    const timeline = build([10, 1, 10n], [10, 2, 3n]);
    timeline.remove(10, 1);
    expect(timeline.total).toBe(3n);
    expect(timeline.length).toBe(1);
    expect(() => timeline.remove(10, 1)).toThrow();
  });
});
