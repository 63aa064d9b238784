import fc from 'fast-check';
import { upperBound } from './upper-bound';

/** The reference: the first index from `from` at which the predicate is false, by walking. */
const linear = (length: number, before: (index: number) => boolean, from = 0): number => {
  let index = from;
  while (index < length && before(index)) index++;
  return index;
};

describe('upperBound', () => {
  it('equals a linear scan for <= x and < x over sorted arrays with duplicates, from any start', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 40 }), fc.integer({ min: -25, max: 25 }), fc.nat(45), (values, x, start) => {
        const sorted = [...values].sort((a, b) => a - b);
        const from = Math.min(start, sorted.length);
        for (const before of [(i: number) => sorted[i]! <= x, (i: number) => sorted[i]! < x]) {
          expect(upperBound(sorted.length, before, from)).toBe(linear(sorted.length, before, from));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('handles the empty range and ranges past 2^32 (midpoints of millisecond times)', () => {
    expect(upperBound(0, () => true)).toBe(0);
    expect(upperBound(5, () => true, 5)).toBe(5);
    const span = 2 ** 45;
    for (const cut of [0, 1, 2 ** 32 + 7, span - 1, span]) {
      let asked = 0;
      // A wrapped midpoint would loop forever: fail after more questions than 46 halvings need.
      const before = (i: number) => {
        if (++asked > 60) throw new Error(`too many probes (last ${i})`);
        return i < cut;
      };
      expect(upperBound(span, before)).toBe(cut);
    }
  });

  it('asks the predicate only about O(log n) indexes, all inside the range', () => {
    const asked: number[] = [];
    expect(upperBound(1_000_000, (i) => (asked.push(i), i < 123_456), 10)).toBe(123_456);
    expect(asked.length).toBeLessThanOrEqual(21);
    expect(asked.every((i) => i >= 10 && i < 1_000_000)).toBe(true);
  });
});
