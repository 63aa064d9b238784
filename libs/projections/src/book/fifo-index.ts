import { BookColumns, liveAt, sumOf } from './book-columns';
import type { FifoEntry, LotSlice } from './book-projection.records';
import { partialCost } from './fifo';
import { FIFO, FIFO_LOT, FIFO_NONE, FifoRecord } from './fifo-plan';

/**
 * Company-wide FIFO over a book's columns: the cost of the first x satoshis acquired, the open lots,
 * and each disposal's relief. Reads only; the fold records each revision's entry with `recordFifo`.
 */

export const recordFifo = (c: BookColumns, fifo: FifoRecord): void => {
  c.fifoKind.push(fifo.kind);
  c.fifoBtc.push(fifo.btc);
  c.fifoCost.push(fifo.cost);
  c.fifoProceeds.push(fifo.proceeds);
};

/** The FIFO entry recorded at a revision, built on demand (only listings need the object). */
export const fifoAt = (c: BookColumns, revision: number): FifoEntry | undefined => {
  const kind = c.fifoKind[revision];
  if (kind === undefined || kind === FIFO_NONE) return undefined;
  return {
    kind: kind === FIFO_LOT ? 'lot' : 'disposal',
    eventId: c.eventIds[revision]!,
    type: c.types[revision]!,
    // Where the lot sits in the FIFO queue: an opening lot's acquiredAt, any other entry's effectiveAt.
    effectiveAt: c.lotTimes.get(revision) ?? c.effectiveAt[revision]!,
    revision,
    btc: c.fifoBtc.get(revision),
    costUsd: c.fifoCost.get(revision),
    proceedsUsd: c.fifoProceeds.get(revision),
  };
};

/**
 * F(x): the cost of the first x satoshis ever acquired (known at the version), in effective order. Every
 * disposal up to asOf has consumed exactly the first D(asOf) of them, FIFO.
 */
export const costOfFirst = (c: BookColumns, x: bigint, version: number): bigint => {
  if (x <= 0n) return 0n;
  const qty = c.metricIds.get(FIFO.acquiredBtc);
  if (qty === undefined) return 0n;
  const at = c.sums.firstTimeReaching(qty, version, x);
  if (at === undefined) throw new Error(`FIFO: ${x} sats disposed but fewer acquired at version ${version}`);
  let remaining = x - sumOf(c, FIFO.acquiredBtc, version, at - 1);
  let cost = sumOf(c, FIFO.acquiredCost, version, at - 1);
  for (const lot of lotsAt(c, at, version)) {
    if (remaining <= lot.btc) return cost + partialCost(lot.costUsd, lot.btc, remaining);
    cost += lot.costUsd;
    remaining -= lot.btc;
  }
  throw new Error(`FIFO: lots at ${at} do not cover ${x} sats`);
};

/** Lots acquired at exactly this effective time, live at version, in revision order. */
const lotsAt = (c: BookColumns, effectiveAt: number, version: number): FifoEntry[] =>
  c.sums
    .pointsAt(effectiveAt, version)
    .map((point) => fifoAt(c, point.order))
    // An opening lot's balance point sits at its effectiveAt, its place in the queue at its acquiredAt.
    .filter(
      (entry): entry is FifoEntry =>
        entry !== undefined && entry.kind === 'lot' && entry.effectiveAt === effectiveAt && liveAt(c, entry.revision, version),
    )
    .filter((entry, index, all) => all.findIndex((e) => e.revision === entry.revision) === index);

/**
 * Open FIFO lots held at (asOf, version): acquisitions after the first D(asOf) satoshis, oldest first. An
 * opening lot queued at its acquiredAt but held only from its effectiveAt is left out until then.
 */
export function* openLots(c: BookColumns, asOf: number, version: number): Generator<LotSlice> {
  const disposed = sumOf(c, FIFO.disposedBtc, version, asOf);
  for (const slice of slices(c, disposed, undefined, version, asOf)) if (c.effectiveAt[slice.lot.revision]! <= asOf) yield slice;
}

/** Disposals with from <= effectiveAt <= to at version, each with the lot slices it relieved. */
export function* disposals(
  c: BookColumns,
  from: number,
  to: number,
  version: number,
): Generator<{ readonly disposal: FifoEntry; readonly relievedCostUsd: bigint; readonly lots: LotSlice[] }> {
  for (const { disposal, relievedCostUsd, before } of reliefPoints(c, from, to, version)) {
    yield { disposal, relievedCostUsd, lots: [...slices(c, before, disposal.btc, version, Number.POSITIVE_INFINITY)] };
  }
}

/** The same disposals with the cost each relieved, without listing the lot slices (what the P&L and the journal need). */
export function* reliefs(
  c: BookColumns,
  from: number,
  to: number,
  version: number,
): Generator<{ readonly disposal: FifoEntry; readonly relievedCostUsd: bigint }> {
  for (const { disposal, relievedCostUsd } of reliefPoints(c, from, to, version)) yield { disposal, relievedCostUsd };
}

/** Disposals in [from, to] at the version, each with F(before + btc) − F(before), before = the sats disposed of ahead of it. */
function* reliefPoints(
  c: BookColumns,
  from: number,
  to: number,
  version: number,
): Generator<{ readonly disposal: FifoEntry; readonly relievedCostUsd: bigint; readonly before: bigint }> {
  const id = c.metricIds.get(FIFO.disposedBtc);
  if (id === undefined) return;
  for (const point of c.sums.pointsFrom(id, version, { effectiveAt: from - 1, order: Number.POSITIVE_INFINITY })) {
    if (point.effectiveAt > to) return;
    const disposal = fifoAt(c, point.order);
    if (disposal === undefined || point.known !== point.order || !liveAt(c, point.order, version)) continue;
    const before = sumOf(c, FIFO.disposedBtc, version, point.effectiveAt, point.order - 1);
    yield { disposal, relievedCostUsd: costOfFirst(c, before + disposal.btc, version) - costOfFirst(c, before, version), before };
  }
}

/** Walks acquisitions in effective order, skipping the first `skip` sats, for `take` sats (or all up to asOf). */
function* slices(c: BookColumns, skip: bigint, take: bigint | undefined, version: number, asOf: number): Generator<LotSlice> {
  const id = c.metricIds.get(FIFO.acquiredBtc);
  if (id === undefined) return;
  let toSkip = skip;
  let toTake = take;
  const start = skip > 0n ? c.sums.firstTimeReaching(id, version, skip) : undefined;
  const from = start === undefined ? undefined : { effectiveAt: start - 1, order: Number.POSITIVE_INFINITY };
  if (start !== undefined) toSkip -= sumOf(c, FIFO.acquiredBtc, version, start - 1);
  for (const point of c.sums.pointsFrom(id, version, from)) {
    if (point.effectiveAt > asOf || (toTake !== undefined && toTake <= 0n)) return;
    const lot = fifoAt(c, point.order);
    if (lot === undefined || point.known !== point.order || !liveAt(c, point.order, version)) continue;
    let available = lot.btc;
    let consumed = 0n;
    if (toSkip > 0n) {
      consumed = toSkip < available ? toSkip : available;
      toSkip -= consumed;
      available -= consumed;
    }
    if (available <= 0n) continue;
    const btc = toTake === undefined || toTake >= available ? available : toTake;
    if (toTake !== undefined) toTake -= btc;
    // Cumulative rounding: the slice costs F(consumed + btc) - F(consumed) within the lot.
    const costUsd = partialCost(lot.costUsd, lot.btc, consumed + btc) - partialCost(lot.costUsd, lot.btc, consumed);
    yield { lot, btc, costUsd };
  }
}
