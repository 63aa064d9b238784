/** The most places one search may cover: midpoints are `(low + high) >>> 1`, exact below 2^32 (not checked here: see below). */
export const MAX_SEARCH_LENGTH = 2 ** 31;

/**
 * The one binary search of the domain and the projections (imported by its path, not through the
 * package index, whose re-exports are getters on the hot path): the first index in [0, length) at which `before` turns
 * false, or `length` if it never does. `before` must hold on a prefix of the range and not after it
 * (`i => sorted[i] <= x` gives the count of entries <= x: an upper bound). Kept this small on purpose:
 * V8 then inlines it with the caller's predicate into the hot sums (a bigger body measured 40-50%
 * slower position reads on the 1M-event book, and so did a length check). A wider range searches in two
 * steps (BitemporalSums.firstTimeReaching); arrays of a projection stay far below 2^31.
 */
export const upperBound = (length: number, before: (index: number) => boolean): number => {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (before(mid)) low = mid + 1;
    else high = mid;
  }
  return low;
};
