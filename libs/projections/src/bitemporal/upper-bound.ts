/**
 * The one binary search of the projections: the first index in [from, length) at which `before`
 * turns false, or `length` if it never does. `before` must hold on a prefix of the range and not
 * after it (e.g. `i => sorted[i] <= x` gives the count of entries <= x: an upper bound).
 * Midpoints: `>>> 1` (integer, fast: the hot path of every sum) while the range fits in 32 bits,
 * Math.floor beyond, so ranges of millisecond times (past 2^32) still work.
 */
const SMALL = 2 ** 31;

export const upperBound = (length: number, before: (index: number) => boolean, from = 0): number => {
  let low = from;
  let high = length;
  while (low < high) {
    const mid = high <= SMALL ? (low + high) >>> 1 : Math.floor((low + high) / 2);
    if (before(mid)) low = mid + 1;
    else high = mid;
  }
  return low;
};
