import type { Relief } from '../lots/lot-method';

/**
 * The disposals of a range (each with the lot slices it relieved), in effective order, stopping at the
 * first beyond `max`: `undefined` when there are more than `max` (the answer would be too long).
 */
export const disposalsUpTo = (reliefs: Iterable<Relief>, max: number): ReadonlyArray<Relief> | undefined => {
  const disposals: Relief[] = [];
  for (const relief of reliefs) {
    if (disposals.length === max) return undefined;
    disposals.push(relief);
  }
  return disposals;
};
