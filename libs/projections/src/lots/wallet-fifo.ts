import type { BookProjection } from '../book/book-projection';
import type { FifoEntry } from '../book/book-projection.records';
import { IntegerColumn } from '../bitemporal/integer-column';
import { upperBound } from '@treasury/domain/search/upper-bound';
import type { CostRelief, HeldSlice, LotBook, Relief } from './lot-method';
import { Piece, WalletQueue, pieceCost, pieceSlice } from './wallet-queues';

/**
 * Wallet-by-wallet FIFO: one queue per wallet, simulated for a version over every live event (known
 * at the version, not reversed at the version) in effective order, ties by revision.
 * - A lot joins its wallet's queue at its place in FIFO: an opening lot at its acquiredAt (as under
 *   company-wide FIFO), any other at its effectiveAt.
 * - A disposal (sale, payment, liquidation: pledged BTC stays in its wallet) relieves that wallet's
 *   oldest sats.
 * - A transfer first pays its network fee, a disposal for no proceeds, out of the source wallet's
 *   oldest sats; the transferred sats are the next oldest, and move into the destination's queue with
 *   their lot's acquisition date and cost, in acquisition order.
 * The pass is a generator (it yields every few thousand events) so a query can run it in event-loop
 * slices; its per-disposal cumulative relief is cached per (projection, version), so relievedCost(asOf) is a
 * binary search after the first pass.
 */

const EVENTS_PER_STEP = 4096;
/** Versions whose relief is kept per projection: the usual reads are "now" and a few knownAt cuts. */
const VERSIONS_CACHED = 4;

const UNENCUMBERED = 'unencumbered-btc|';
const PLEDGED = 'pledged-btc|';

/** The wallet a balance metric belongs to (unencumbered-btc|wallet, pledged-btc|loan|wallet). */
const walletOf = (name: string): string | undefined => {
  if (name.startsWith(UNENCUMBERED)) return name.slice(UNENCUMBERED.length);
  if (name.startsWith(PLEDGED)) return name.split('|')[2];
  return undefined;
};

/** The wallets an event moves BTC out of and into, with the amount moved in. */
const btcMoves = (projection: BookProjection, revision: number) => {
  let from: string | undefined;
  let to: string | undefined;
  let into = 0n;
  for (const [name, delta] of projection.deltasOf(revision)) {
    const wallet = walletOf(name);
    if (wallet === undefined) continue;
    if (delta < 0n) from = wallet;
    else if (delta > 0n) {
      to = wallet;
      into += delta;
    }
  }
  return { from, to, into };
};

const need = (wallet: string | undefined, revision: number): string => {
  if (wallet === undefined) throw new Error(`wallet-fifo: revision ${revision} moves BTC in no wallet`);
  return wallet;
};

/** Receives each disposal as the pass reaches it; returning false stops the pass. */
type OnDisposal = (disposal: FifoEntry, wallet: string, pieces: Piece[]) => boolean;

interface LiveSteps {
  readonly revisions: number[];
  readonly times: number[];
  /** Within one instant: lots first, then transfers, then disposals (see sameInstantRank). */
  readonly ranks: number[];
  readonly entries: Array<FifoEntry | undefined>;
}

/**
 * The order of events at the same effective instant. The balance rules judge a wallet at the end of an
 * instant, so a disposal may be recorded before (a lower revision than) the lot or the transfer that
 * funds it at that same instant (an amended lot re-recorded at its original time, say): arrivals go
 * first, then transfers, then disposals, each group in revision order.
 */
const sameInstantRank = (entry: FifoEntry | undefined): number =>
  entry?.kind === 'lot' ? 0 : entry === undefined || entry.type === 'BtcTransferred' ? 1 : 2;

const before = (a: LiveSteps, i: number, b: LiveSteps, j: number): boolean =>
  a.times[i]! < b.times[j]! ||
  (a.times[i] === b.times[j] && (a.ranks[i]! < b.ranks[j]! || (a.ranks[i] === b.ranks[j] && a.revisions[i]! < b.revisions[j]!)));

const emptySteps = (): LiveSteps => ({ revisions: [], times: [], ranks: [], entries: [] });

/**
 * The live lots, disposals and transfers at the version, in effective order (ties: sameInstantRank, then
 * revision). The log is mostly in that order already: the run that is goes straight in, the late ones
 * are sorted apart (few) and the two merged, so no single step sorts a million entries.
 */
function* liveSteps(projection: BookProjection, version: number): Generator<void, LiveSteps> {
  const main = emptySteps();
  const late = emptySteps();
  const end = Math.min(version, projection.revision + 1);
  for (let revision = 0; revision < end; revision++) {
    if (revision % EVENTS_PER_STEP === 0) yield;
    if (!projection.isLive(revision, version)) continue;
    const entry = projection.fifoEntry(revision);
    if (entry === undefined && projection.typeOf(revision) !== 'BtcTransferred') continue;
    const time = entry?.effectiveAt ?? projection.effectiveAtOf(revision);
    const rank = sameInstantRank(entry);
    const last = main.times.length - 1;
    const inOrder = last < 0 || time > main.times[last]! || (time === main.times[last] && rank >= main.ranks[last]!);
    const into = inOrder ? main : late;
    into.revisions.push(revision);
    into.times.push(time);
    into.ranks.push(rank);
    into.entries.push(entry);
  }
  if (late.times.length === 0) return main;
  yield;
  const order = late.revisions
    .map((_, index) => index)
    .sort((a, b) => late.times[a]! - late.times[b]! || late.ranks[a]! - late.ranks[b]! || a - b);
  yield;
  const merged = emptySteps();
  const push = (from: LiveSteps, i: number) => {
    merged.revisions.push(from.revisions[i]!);
    merged.times.push(from.times[i]!);
    merged.ranks.push(from.ranks[i]!);
    merged.entries.push(from.entries[i]);
  };
  let m = 0;
  for (let l = 0; l < order.length; l++) {
    const i = order[l]!;
    while (m < main.times.length && before(main, m, late, i)) {
      push(main, m++);
      if (m % EVENTS_PER_STEP === 0) yield;
    }
    push(late, i);
  }
  while (m < main.times.length) {
    push(main, m++);
    if (m % EVENTS_PER_STEP === 0) yield;
  }
  return merged;
}

/** The pass: every live step with effective time <= until; returns the queues as they stand then. */
function* simulate(
  projection: BookProjection,
  version: number,
  until: number,
  onDisposal: OnDisposal,
): Generator<void, Map<string, WalletQueue>> {
  const { revisions, times, entries } = yield* liveSteps(projection, version);
  const queues = new Map<string, WalletQueue>();
  const queue = (wallet: string) => {
    let found = queues.get(wallet);
    if (found === undefined) {
      found = new WalletQueue();
      queues.set(wallet, found);
    }
    return found;
  };
  for (let i = 0; i < revisions.length; i++) {
    if (i % EVENTS_PER_STEP === 0) yield;
    if (times[i]! > until) break;
    const revision = revisions[i]!;
    const entry = entries[i];
    const moves = btcMoves(projection, revision);
    if (entry?.kind === 'lot') {
      queue(need(moves.to, revision)).insert({ lot: entry, start: 0n, end: entry.btc });
      continue;
    }
    if (projection.typeOf(revision) === 'BtcTransferred') {
      const from = need(moves.from, revision);
      const to = need(moves.to, revision);
      // The fee first, from the oldest sats; then the transfer, from the next oldest.
      if (entry !== undefined && !onDisposal(entry, from, queue(from).take(entry.btc, `the fee of ${entry.eventId}`))) break;
      if (from === to) continue;
      const destination = queue(to);
      for (const piece of queue(from).take(moves.into, `transfer ${projection.eventIdAt(revision)}`)) destination.insert(piece);
      continue;
    }
    if (entry !== undefined) {
      const wallet = need(moves.from, revision);
      if (!onDisposal(entry, wallet, queue(wallet).take(entry.btc, `disposal ${entry.eventId}`))) break;
    }
  }
  return queues;
}

/** Each disposal's effective time and the cumulative relief through it, in effective order. */
interface ReliefIndex {
  readonly times: number[];
  readonly disposals: FifoEntry[];
  readonly cumulative: IntegerColumn;
}

const reliefIndexes = new WeakMap<BookProjection, Map<number, ReliefIndex>>();

function* reliefIndexSteps(projection: BookProjection, version: number): Generator<void, ReliefIndex> {
  let cached = reliefIndexes.get(projection);
  const found = cached?.get(version);
  if (found !== undefined) return found;
  const index: ReliefIndex = { times: [], disposals: [], cumulative: new IntegerColumn() };
  yield* simulate(projection, version, Number.POSITIVE_INFINITY, (disposal, _wallet, pieces) => {
    index.times.push(disposal.effectiveAt);
    index.disposals.push(disposal);
    index.cumulative.push(index.cumulative.last() + pieces.reduce((sum, piece) => sum + pieceCost(piece), 0n));
    return true;
  });
  if (cached === undefined) {
    cached = new Map();
    reliefIndexes.set(projection, cached);
  }
  if (cached.size >= VERSIONS_CACHED) cached.delete(cached.keys().next().value!);
  cached.set(version, index);
  return index;
}

/** How many disposals of the index are effective at or before asOf. */
const countThrough = (index: ReliefIndex, asOf: number): number => upperBound(index.times.length, (i) => index.times[i]! <= asOf);

const reliefThrough = (index: ReliefIndex, asOf: number): bigint => {
  const count = countThrough(index, asOf);
  return count === 0 ? 0n : index.cumulative.get(count - 1);
};

const reliefsIn = (index: ReliefIndex, from: number, to: number): CostRelief[] => {
  const found: CostRelief[] = [];
  for (let i = countThrough(index, from - 1); i < index.times.length && index.times[i]! <= to; i++) {
    found.push({ disposal: index.disposals[i]!, relievedCostUsd: index.cumulative.get(i) - (i === 0 ? 0n : index.cumulative.get(i - 1)) });
  }
  return found;
};

/** The same figures as steps, for a query that runs them in event-loop slices (runInSlices). */
export const walletFifoSteps = {
  *relievedCost(projection: BookProjection, version: number, asOf: number): Generator<void, bigint> {
    return reliefThrough(yield* reliefIndexSteps(projection, version), asOf);
  },

  /** Disposals with from <= effectiveAt <= to and the cost each relieved, from the cached index (no slices). */
  *reliefs(projection: BookProjection, version: number, from: number, to: number): Generator<void, CostRelief[]> {
    return reliefsIn(yield* reliefIndexSteps(projection, version), from, to);
  },

  /** Open slices held at asOf, by wallet (names in order), oldest first in each (an opening lot not held yet left out). */
  *openLots(projection: BookProjection, version: number, asOf: number): Generator<void, HeldSlice[]> {
    const queues = yield* simulate(projection, version, asOf, () => true);
    const slices: HeldSlice[] = [];
    for (const wallet of [...queues.keys()].sort()) {
      for (const piece of queues.get(wallet)!.open()) {
        if (slices.length % EVENTS_PER_STEP === 0) yield;
        if (projection.effectiveAtOf(piece.lot.revision) > asOf) continue;
        slices.push({ ...pieceSlice(piece), wallet });
      }
    }
    return slices;
  },

  /** Disposals with from <= effectiveAt <= to; undefined once there are more than `max`. */
  *disposals(
    projection: BookProjection,
    version: number,
    from: number,
    to: number,
    max = Number.POSITIVE_INFINITY,
  ): Generator<void, Relief[] | undefined> {
    const found: Relief[] = [];
    let tooMany = false;
    yield* simulate(projection, version, to, (disposal, wallet, pieces) => {
      if (disposal.effectiveAt < from) return true;
      if (found.length === max) {
        tooMany = true;
        return false;
      }
      const lots = pieces.map(pieceSlice);
      found.push({ disposal, wallet, lots, relievedCostUsd: lots.reduce((sum, slice) => sum + slice.costUsd, 0n) });
      return true;
    });
    return tooMany ? undefined : found;
  },
};

/** Runs steps to the end in one go (a caller that is not answering HTTP, or already sliced). */
const complete = <R>(steps: Generator<void, R>): R => {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
};

/**
 * A LotBook whose relief figures read one relief index, held by the LotBook itself: the shared cache
 * keeps a few versions per projection, and a LotBook that looked its version up again on every read
 * would, once evicted by other versions' reads, re-run the whole pass synchronously.
 */
const boundLotBook = (projection: BookProjection, version: number, relief: () => ReliefIndex): LotBook => ({
  method: 'wallet-fifo',
  relievedCost: (asOf) => reliefThrough(relief(), asOf),
  openLots: (asOf) => complete(walletFifoSteps.openLots(projection, version, asOf)),
  disposals: (from, to) => complete(walletFifoSteps.disposals(projection, version, from, to))!,
  reliefs: (from, to) => reliefsIn(relief(), from, to),
});

/** Wallet-by-wallet FIFO for version (see the top of this file); its relief pass runs at the first relief read, once. */
export const walletFifoLotBook = (projection: BookProjection, version: number): LotBook => {
  let index: ReliefIndex | undefined;
  return boundLotBook(projection, version, () => (index ??= complete(reliefIndexSteps(projection, version))));
};

/** The same LotBook with its relief pass run (or found in the cache) as steps first: its relief reads are then binary searches. */
export function* preparedWalletFifoLotBook(projection: BookProjection, version: number): Generator<void, LotBook> {
  const index = yield* reliefIndexSteps(projection, version);
  return boundLotBook(projection, version, () => index);
}
