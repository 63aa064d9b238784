import { ProjectionLag } from './projection-lag';

describe('ProjectionLag', () => {
  it('is 0 when the projection holds every head seen', () => {
    const lag = new ProjectionLag();
    expect(lag.seconds(0n, 1_000)).toBe(0);
    lag.sawHead(5n, 1_000);
    expect(lag.seconds(5n, 9_000)).toBe(0);
  });

  it('counts from when the oldest head beyond the checkpoint was first seen', () => {
    const lag = new ProjectionLag();
    lag.sawHead(10n, 1_000);
    lag.sawHead(10n, 2_000); // the same head seen again: still first seen at 1 s
    lag.sawHead(20n, 3_000);
    expect(lag.seconds(5n, 4_000)).toBe(3);
    // Folded past the first head: the lag now runs from the second sighting.
    expect(lag.seconds(12n, 4_000)).toBe(1);
    expect(lag.seconds(20n, 4_000)).toBe(0);
  });
});
