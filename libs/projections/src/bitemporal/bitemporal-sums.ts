import { IntegerColumn, IntegerValues, compactIntegers } from './integer-column';
import { MAX_SEARCH_LENGTH, upperBound } from '@treasury/domain/search/upper-bound';

/** firstTimeReaching's block: one search step covers at most MAX_SEARCH_LENGTH places. */
const BLOCK = MAX_SEARCH_LENGTH / 2;

/**
 * Bi-temporal sums: many running totals ("metrics") over points that each carry an effective-time key
 * and the book revision from which they are known. A query asks for a metric's sum over the points
 * with key <= (effective cut) and known before a version (revision < version), in O(log n) for the
 * in-order part and O(log² m) for the m late points, whatever the length of the history.
 *
 * Why two parts: most events arrive in effective order, so for them "effective <= asOf" and "known at
 * the version" are both prefixes of one array, and a cumulative sum answers the query. Back-dated events and
 * reversals (which remove a past point from the moment they are recorded) go to a Fenwick tree over
 * their arrival order whose nodes keep their points sorted by key with cumulative sums: a 2-D
 * dominance sum.
 */

/** A point's place on the effective timeline: time, then the revision that orders ties. */
export interface TimelineKey {
  readonly effectiveAt: number;
  readonly order: number;
}

export type MetricDeltas = ReadonlyArray<readonly [metric: number, delta: bigint]>;

/** Where a point sits and from which revision it is known: visible at a version when known < version. */
export interface PointRef extends TimelineKey {
  readonly known: number;
}

export interface Point extends PointRef {
  readonly deltas: MetricDeltas;
}

const keyAtOrBefore = (e: number, o: number, cutE: number, cutO: number): boolean => e < cutE || (e === cutE && o <= cutO);

/**
 * Per metric: the positions (in some sorted list) that touch it, and the running sum after each, in
 * typed arrays so the columns of a long history cost the garbage collector nothing.
 */
class MetricColumn {
  at = new Int32Array(16);
  cum = new IntegerColumn();
  length = 0;

  static of(at: Int32Array, cum: IntegerValues): MetricColumn {
    const column = new MetricColumn();
    column.at = new Int32Array(Math.max(16, at.length));
    column.at.set(at);
    column.cum = IntegerColumn.of(cum);
    column.length = at.length;
    return column;
  }

  push(at: number, delta: bigint): void {
    if (this.length === this.at.length) {
      const grown = new Int32Array(this.length * 2);
      grown.set(this.at);
      this.at = grown;
    }
    this.cum.push(this.cum.last() + delta);
    this.at[this.length] = at;
    this.length += 1;
  }
}

/** Index of the last entry of `column` at a position < cut, or -1. */
const lastBefore = (column: MetricColumn, cut: number): number => upperBound(column.length, (i) => column.at[i]! < cut) - 1;

const columnSum = (column: MetricColumn | undefined, cut: number): bigint => {
  if (column === undefined) return 0n;
  const index = lastBefore(column, cut);
  return index < 0 ? 0n : column.cum.get(index);
};

const pushToColumn = (columns: Map<number, MetricColumn>, metric: number, at: number, delta: bigint): void => {
  let column = columns.get(metric);
  if (column === undefined) {
    column = new MetricColumn();
    columns.set(metric, column);
  }
  column.push(at, delta);
};

/** One Fenwick node: a block of late points sorted by key, with a column per metric. */
interface LateBlock {
  readonly effectiveAt: number[];
  readonly order: number[];
  readonly columns: Map<number, MetricColumn>;
}

/** How many keys of a sorted block are <= (cutE, cutO). */
const upperBoundKey = (block: { effectiveAt: number[]; order: number[] }, cutE: number, cutO: number): number =>
  upperBound(block.effectiveAt.length, (i) => keyAtOrBefore(block.effectiveAt[i]!, block.order[i]!, cutE, cutO));

/** How many of the sorted values are < target. */
const lowerBound = (values: number[], target: number): number => upperBound(values.length, (i) => values[i]! < target);

/** Everything a BitemporalSums holds, as typed arrays: what a projection snapshot stores. */
export interface BitemporalSumsSnapshot {
  readonly inOrderEffectiveAt: Float64Array;
  readonly inOrderOrder: Float64Array;
  /** Running sums: BigInt64Array while they fit in 64 bits, bigint[] once one did not. */
  readonly columns: ReadonlyArray<{ readonly metric: number; readonly at: Int32Array; readonly cum: IntegerValues }>;
  readonly late: {
    readonly effectiveAt: Float64Array;
    readonly order: Float64Array;
    readonly known: Float64Array;
    readonly deltaStart: Int32Array;
    readonly deltaMetric: Int32Array;
    readonly deltaValue: IntegerValues;
  };
  readonly minTime: number;
  readonly maxTime: number;
}

export class BitemporalSums {
  // In-order points: effectiveAt and order both non-decreasing along the array; known === order.
  // Their deltas live only in the metric columns: nothing per point stays on the heap.
  private readonly inOrder = { effectiveAt: [] as number[], order: [] as number[] };
  private readonly inOrderColumns = new Map<number, MetricColumn>();
  // Late points, in arrival order (known non-decreasing), and the Fenwick tree over them (1-based).
  private readonly late: Point[] = [];
  private readonly lateKnown: number[] = [];
  private readonly fenwick: LateBlock[] = [];
  private readonly lateByTime = new Map<number, number[]>();
  private minTime = Number.POSITIVE_INFINITY;
  private maxTime = Number.NEGATIVE_INFINITY;

  get size(): number {
    return this.inOrder.effectiveAt.length + this.late.length;
  }

  /** Points must arrive with non-decreasing `known`. */
  add(point: Point): void {
    this.minTime = Math.min(this.minTime, point.effectiveAt);
    this.maxTime = Math.max(this.maxTime, point.effectiveAt);
    const io = this.inOrder;
    const n = io.effectiveAt.length;
    const lastE = n === 0 ? Number.NEGATIVE_INFINITY : io.effectiveAt[n - 1]!;
    const lastO = n === 0 ? Number.NEGATIVE_INFINITY : io.order[n - 1]!;
    const inOrder = point.order === point.known && (point.effectiveAt > lastE || (point.effectiveAt === lastE && point.order >= lastO));
    if (inOrder) {
      io.effectiveAt.push(point.effectiveAt);
      io.order.push(point.order);
      for (const [metric, delta] of point.deltas) pushToColumn(this.inOrderColumns, metric, n, delta);
      return;
    }
    this.addLate(point);
  }

  private addLate(point: Point): void {
    this.late.push(point);
    this.lateKnown.push(point.known);
    const atTime = this.lateByTime.get(point.effectiveAt);
    if (atTime === undefined) this.lateByTime.set(point.effectiveAt, [this.late.length - 1]);
    else atTime.push(this.late.length - 1);
    this.buildBlock(this.late.length);
  }

  toSnapshot(): BitemporalSumsSnapshot {
    const deltaStart = [0];
    const deltaMetric: number[] = [];
    const deltaValue: bigint[] = [];
    for (const point of this.late) {
      for (const [metric, delta] of point.deltas) {
        deltaMetric.push(metric);
        deltaValue.push(delta);
      }
      deltaStart.push(deltaMetric.length);
    }
    return {
      inOrderEffectiveAt: Float64Array.from(this.inOrder.effectiveAt),
      inOrderOrder: Float64Array.from(this.inOrder.order),
      columns: [...this.inOrderColumns].map(([metric, column]) => ({
        metric,
        at: column.at.slice(0, column.length),
        cum: column.cum.toArray(),
      })),
      late: {
        effectiveAt: Float64Array.from(this.late, (p) => p.effectiveAt),
        order: Float64Array.from(this.late, (p) => p.order),
        known: Float64Array.from(this.late, (p) => p.known),
        deltaStart: Int32Array.from(deltaStart),
        deltaMetric: Int32Array.from(deltaMetric),
        deltaValue: compactIntegers(deltaValue),
      },
      minTime: this.minTime,
      maxTime: this.maxTime,
    };
  }

  static fromSnapshot(snapshot: BitemporalSumsSnapshot): BitemporalSums {
    const sums = new BitemporalSums();
    sums.inOrder.effectiveAt = Array.from(snapshot.inOrderEffectiveAt);
    sums.inOrder.order = Array.from(snapshot.inOrderOrder);
    for (const { metric, at, cum } of snapshot.columns) sums.inOrderColumns.set(metric, MetricColumn.of(at, cum));
    const late = snapshot.late;
    for (let i = 0; i < late.effectiveAt.length; i++) {
      const deltas: Array<readonly [number, bigint]> = [];
      for (let d = late.deltaStart[i]!; d < late.deltaStart[i + 1]!; d++) deltas.push([late.deltaMetric[d]!, late.deltaValue[d]!]);
      sums.addLate({ effectiveAt: late.effectiveAt[i]!, order: late.order[i]!, known: late.known[i]!, deltas });
    }
    sums.minTime = snapshot.minTime;
    sums.maxTime = snapshot.maxTime;
    return sums;
  }

  /** Fenwick node i covers late points (i - lowbit(i), i]; it is complete once point i arrives. */
  private buildBlock(i: number): void {
    const from = i - (i & -i);
    const points = this.late.slice(from, i).sort((a, b) => a.effectiveAt - b.effectiveAt || a.order - b.order);
    const block: LateBlock = { effectiveAt: [], order: [], columns: new Map() };
    points.forEach((point, index) => {
      block.effectiveAt.push(point.effectiveAt);
      block.order.push(point.order);
      for (const [metric, delta] of point.deltas) pushToColumn(block.columns, metric, index, delta);
    });
    this.fenwick[i] = block;
  }

  /** Sum of `metric` over points with key <= (cutE, cutO) known before version. */
  sum(metric: number, version: number, cutE: number, cutO = Number.POSITIVE_INFINITY): bigint {
    const io = this.inOrder;
    const cut = Math.min(upperBoundKey(io, cutE, cutO), lowerBound(io.order, version));
    let total = columnSum(this.inOrderColumns.get(metric), cut);
    for (let i = lowerBound(this.lateKnown, version); i > 0; i -= i & -i) {
      const block = this.fenwick[i]!;
      const column = block.columns.get(metric);
      if (column !== undefined) total += columnSum(column, upperBoundKey(block, cutE, cutO));
    }
    return total;
  }

  /** Every point at exactly this effective time known before the version, in key order. */
  pointsAt(effectiveAt: number, version: number): ReadonlyArray<PointRef> {
    const io = this.inOrder;
    const found: PointRef[] = [];
    for (let i = lowerBound(io.effectiveAt, effectiveAt); i < io.effectiveAt.length && io.effectiveAt[i] === effectiveAt; i++) {
      const order = io.order[i]!;
      if (order < version) found.push({ effectiveAt, order, known: order });
    }
    for (const index of this.lateByTime.get(effectiveAt) ?? []) {
      const point = this.late[index]!;
      if (point.known < version) found.push(point);
    }
    return found.sort((a, b) => a.order - b.order);
  }

  /**
   * The smallest effective time t at which the metric's sum over points with effectiveAt <= t (known
   * before the version) reaches `target`; undefined if it never does. The metric must only grow with time at
   * any version (acquired quantity does), which makes the binary search valid.
   */
  firstTimeReaching(metric: number, version: number, target: bigint): number | undefined {
    if (this.size === 0 || this.sum(metric, version, this.maxTime) < target) return undefined;
    const short = (t: number) => this.sum(metric, version, t) < target;
    // The times span more than upperBound covers (2^31 ms is 25 days): first the whole blocks of
    // BLOCK ms still short of the target, then the place inside the next block.
    const blocks = Math.floor((this.maxTime - this.minTime) / BLOCK);
    const start = this.minTime + BLOCK * upperBound(blocks, (q) => short(this.minTime + (q + 1) * BLOCK - 1));
    return start + upperBound(Math.min(BLOCK, this.maxTime - start + 1), (offset) => short(start + offset));
  }

  /**
   * Every point known before the version touching `metric`, in key order, starting after key `from`
   * (exclusive). In-order and late points are merged, so this costs O(log n) to start and O(1) per
   * point after (plus the late points, which are few).
   */
  *pointsFrom(metric: number, version: number, from: TimelineKey | undefined): Generator<PointRef> {
    const io = this.inOrder;
    const column = this.inOrderColumns.get(metric);
    const ioCut = lowerBound(io.order, version);
    let ioIndex = 0;
    if (column !== undefined && from !== undefined) {
      const start = upperBoundKey(io, from.effectiveAt, from.order);
      ioIndex = lastBefore(column, start) + 1;
    }
    const late = this.late
      .filter(
        (p) =>
          p.known < version &&
          p.deltas.some(([m]) => m === metric) &&
          (from === undefined || !keyAtOrBefore(p.effectiveAt, p.order, from.effectiveAt, from.order)),
      )
      .sort((a, b) => a.effectiveAt - b.effectiveAt || a.order - b.order);
    let lateIndex = 0;
    for (;;) {
      const ioPosition = column !== undefined && ioIndex < column.length && column.at[ioIndex]! < ioCut ? column.at[ioIndex]! : -1;
      const lateNext = late[lateIndex];
      if (ioPosition < 0 && lateNext === undefined) return;
      const ioE = ioPosition < 0 ? Number.POSITIVE_INFINITY : io.effectiveAt[ioPosition]!;
      const ioO = ioPosition < 0 ? Number.POSITIVE_INFINITY : io.order[ioPosition]!;
      if (lateNext !== undefined && keyAtOrBefore(lateNext.effectiveAt, lateNext.order, ioE, ioO)) {
        lateIndex += 1;
        yield lateNext;
      } else {
        ioIndex += 1;
        yield { effectiveAt: ioE, order: ioO, known: ioO };
      }
    }
  }
}
