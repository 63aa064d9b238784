import fc from 'fast-check';
import { MAX_SEARCH_LENGTH, upperBound } from './upper-bound';

/** The reference: the first index at which the predicate is false, by walking. */
const linear = (length: number, before: (index: number) => boolean): number => {
  let index = 0;
  while (index < length && before(index)) index++;
  return index;
};

describe('upperBound', () => {
  it('equals a linear scan for <= x and < x over sorted arrays with duplicates', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 40 }), fc.integer({ min: -25, max: 25 }), (values, x) => {
        const sorted = [...values].sort((a, b) => a - b);
        for (const before of [(i: number) => sorted[i]! <= x, (i: number) => sorted[i]! < x]) {
          expect(upperBound(sorted.length, before)).toBe(linear(sorted.length, before));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('handles the empty range and every cut of the largest range it covers (2^31: no midpoint wraps)', () => {
    expect(upperBound(0, () => true)).toBe(0);
    for (const cut of [0, 1, 2 ** 30 + 7, MAX_SEARCH_LENGTH - 1, MAX_SEARCH_LENGTH]) {
      let asked = 0;
      // A wrapped midpoint would loop forever: fail after more questions than 31 halvings need.
      const before = (i: number) => {
        if (++asked > 40) throw new Error(`too many probes (last ${i})`);
        expect(i >= 0 && i < MAX_SEARCH_LENGTH).toBe(true);
        return i < cut;
      };
      expect(upperBound(MAX_SEARCH_LENGTH, before)).toBe(cut);
    }
  });

  it('asks the predicate only about O(log n) indexes, all inside the range', () => {
    const asked: number[] = [];
    expect(upperBound(1_000_000, (i) => (asked.push(i), i < 123_456))).toBe(123_456);
    expect(asked.length).toBeLessThanOrEqual(21);
    expect(asked.every((i) => i >= 0 && i < 1_000_000)).toBe(true);
  });
});
