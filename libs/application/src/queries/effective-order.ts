/**
 * Sorting a long read in steps. A book's events come from the log in revision order, and most are in
 * effective order already (back-dated ones are few): the in-order run is kept as it is, the late ones
 * are sorted apart (in chunks merged pairwise) and the two merged. Every step does at most about
 * `chunk` items' work (a chunk's own sort: chunk·log chunk comparisons) before it yields, so a query
 * running the steps in event-loop slices never sorts a million events in one synchronous call.
 */

/** Items per step: a chunk sorted at once, or outputs of a merge between two yields. */
export const ORDER_CHUNK = 4096;

export type Compare<T> = (a: T, b: T) => number;

/** `items` in the order of `compare` (a total order: ties never happen between distinct items here). */
export function* sortedInSteps<T>(items: ReadonlyArray<T>, compare: Compare<T>, chunk = ORDER_CHUNK): Generator<void, T[]> {
  const run: T[] = [];
  const late: T[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i % chunk === 0 && i > 0) yield;
    const item = items[i]!;
    if (run.length === 0 || compare(run[run.length - 1]!, item) <= 0) run.push(item);
    else late.push(item);
  }
  if (late.length === 0) return run;
  return yield* mergedInSteps(run, yield* chunkSorted(late, compare, chunk), compare, chunk);
}

/** Bottom-up merge sort: chunks sorted one per step, then merged pairwise in steps. */
function* chunkSorted<T>(items: T[], compare: Compare<T>, chunk: number): Generator<void, T[]> {
  let runs: T[][] = [];
  for (let start = 0; start < items.length; start += chunk) {
    yield;
    runs.push(items.slice(start, start + chunk).sort(compare));
  }
  while (runs.length > 1) {
    const next: T[][] = [];
    for (let i = 0; i < runs.length; i += 2)
      next.push(i + 1 < runs.length ? yield* mergedInSteps(runs[i]!, runs[i + 1]!, compare, chunk) : runs[i]!);
    runs = next;
  }
  return runs[0] ?? [];
}

/** Two sorted arrays merged, yielding every `chunk` items written. */
function* mergedInSteps<T>(a: ReadonlyArray<T>, b: ReadonlyArray<T>, compare: Compare<T>, chunk: number): Generator<void, T[]> {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (merged.length % chunk === 0) yield;
    merged.push(j >= b.length || (i < a.length && compare(a[i]!, b[j]!) <= 0) ? a[i++]! : b[j++]!);
  }
  return merged;
}
