import type { EventContribution } from './book-projection.records';
import { BookColumns, liveAt } from './book-columns';

/**
 * Which events make up a sum of balances (what `explain` lists): a walk over the columns of the book's
 * projection, kept apart from the fold (book-projection.ts).
 */

/** Who an event is, for explanations and listings. */
export const eventAt = (c: BookColumns, revision: number, amount: bigint): EventContribution => ({
  revision,
  eventId: c.eventIds[revision]!,
  type: c.types[revision]!,
  effectiveAt: c.effectiveAt[revision]!,
  recordedAt: c.recordedAt[revision]!,
  amount,
});

/**
 * Every live event at (asOf, version) among revisions [fromRevision, toRevision) that moves a balance
 * `weightOf` selects (1n or -1n per balance key; 0n leaves it out), with its weighted amount, in revision
 * order: a caller walks a long book in bounded slices and sorts once at the end.
 */
export const contributionsIn = (
  c: BookColumns,
  weightOf: (balanceKey: string) => bigint,
  asOf: number,
  version: number,
  fromRevision: number,
  toRevision: number,
): EventContribution[] => {
  const weights = c.metricNames.map((name) => (/^(touch|fifo|flow)\|/.test(name) ? 0n : weightOf(name)));
  const found: EventContribution[] = [];
  const end = Math.min(version, c.recordedAt.length, toRevision);
  for (let revision = Math.max(0, fromRevision); revision < end; revision++) {
    if (c.effectiveAt[revision]! > asOf || !liveAt(c, revision, version)) continue;
    let amount = 0n;
    let touched = false;
    for (let i = c.deltaStart[revision]!; i < c.deltaStart[revision + 1]!; i++) {
      const weight = weights[c.deltaMetric[i]!]!;
      if (weight === 0n) continue;
      touched = true;
      amount += weight * c.deltaValue.get(i);
    }
    if (touched) found.push(eventAt(c, revision, amount));
  }
  return found;
};
