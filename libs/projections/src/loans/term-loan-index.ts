import { DayCount, accrualDenominator, dayCountTime, divRoundHalfEven, minBigint } from '@treasury/domain';
import { BitemporalSums, BitemporalSumsSnapshot, MetricDeltas } from '../bitemporal/bitemporal-sums';

/**
 * One loan drawn with a dayCount: what its accrued interest and its liquidation waterfall are computed
 * from, bi-temporally, without replaying the loan per query.
 *
 * Interest accrued from the terms to T is Σ over rate segments [s, e) of rate × ∫ P dτ / (days × ms per
 * day), and with principal changes Δp_i at τ_i,  ∫_{-∞}^{x} P dτ = τ(x)·ΣΔp_i − ΣΔp_i·τ_i  over the
 * changes at or before x. Both sums are kept in a BitemporalSums (metric 0: Δp, metric 1: Δp·τ), so
 * back-dated repayments and reversals are answered like any other figure, in O(log n). Liquidations
 * (few) are split at read time in effective order: each covers the interest owed just before it
 * (rounded half-even to the cent), then principal, and the excess goes to cash; the principal a
 * liquidation covers is a principal change from then on, added to the integral as it is found.
 * Repricings (few) cut the integral into segments.
 */
const PRINCIPAL = 0;
const WEIGHTED = 1;

export interface RepriceRecord {
  readonly revision: number;
  readonly effectiveAt: number;
  readonly rate: bigint;
}

export interface LiquidationRecord {
  readonly revision: number;
  readonly effectiveAt: number;
  readonly proceeds: bigint;
  readonly cashAccount: string;
}

export interface TermLoanIndexSnapshot {
  readonly loanId: string;
  readonly dayCount: DayCount;
  readonly drawRevision: number;
  readonly drawAt: number;
  readonly rate: bigint;
  readonly sums: BitemporalSumsSnapshot;
  readonly added: ReadonlyArray<readonly [number, MetricDeltas]>;
  readonly reprices: ReadonlyArray<RepriceRecord>;
  readonly liquidations: ReadonlyArray<LiquidationRecord>;
}

/** A liquidation's split of its proceeds, as the whole timeline known at the version gives it. */
export interface ProjectedSplit {
  readonly revision: number;
  readonly cashAccount: string;
  readonly interest: bigint;
  readonly principal: bigint;
  readonly excess: bigint;
}

export interface TermLoanFigures {
  /** Interest accrued from the terms to asOf, exactly: numerator / denominator cents. */
  readonly accruedNumerator: bigint;
  readonly accruedDenominator: bigint;
  /** The same rounded half-even to the cent: the only rounding of the figure. */
  readonly accruedUsd: bigint;
  readonly rate: bigint;
  readonly splits: ReadonlyArray<ProjectedSplit>;
}

/** Whether a revision is live at version, and the book's interest balance (charges − paid) through a key. */
export interface BookReader {
  readonly live: (revision: number, version: number) => boolean;
  readonly interestThrough: (loanId: string, version: number, effectiveAt: number, order: number) => bigint;
}

const byKey = (a: { effectiveAt: number; revision: number }, b: { effectiveAt: number; revision: number }) =>
  a.effectiveAt - b.effectiveAt || a.revision - b.revision;

export class TermLoanIndex {
  private sums = new BitemporalSums();
  private readonly added = new Map<number, MetricDeltas>();
  private reprices: RepriceRecord[] = [];
  private liquidations: LiquidationRecord[] = [];

  constructor(
    readonly loanId: string,
    readonly dayCount: DayCount,
    readonly drawRevision: number,
    readonly drawAt: number,
    readonly rate: bigint,
  ) {}

  /** A principal change (drawdown or repayment) at (effectiveAt, revision). */
  addPrincipal(effectiveAt: number, revision: number, delta: bigint): void {
    const deltas: MetricDeltas = [
      [PRINCIPAL, delta],
      [WEIGHTED, delta * BigInt(dayCountTime(this.dayCount, effectiveAt))],
    ];
    this.added.set(revision, deltas);
    this.sums.add({ effectiveAt, order: revision, known: revision, deltas });
  }

  addReprice(record: RepriceRecord): void {
    this.reprices.push(record);
  }

  addLiquidation(record: LiquidationRecord): void {
    this.liquidations.push(record);
  }

  /** A reversal recorded at `revision` takes the target's principal change back (reprices and liquidations are filtered by liveness). */
  reverse(target: number, revision: number, effectiveAt: number): void {
    const deltas = this.added.get(target);
    if (deltas === undefined) return;
    this.sums.add({ effectiveAt, order: target, known: revision, deltas: deltas.map(([metric, delta]) => [metric, -delta] as const) });
  }

  /** The rate segments up to asOf at the version: [start, rate], in effective order. */
  private segments(asOf: number, version: number, book: BookReader): Array<{ readonly start: number; readonly rate: bigint }> {
    const live = this.reprices.filter((r) => r.effectiveAt <= asOf && book.live(r.revision, version)).sort(byKey);
    return [{ start: Number.NEGATIVE_INFINITY, rate: this.rate }, ...live.map((r) => ({ start: r.effectiveAt, rate: r.rate }))];
  }

  /** ∫_{-∞}^{x} P dτ (cents × ms), counting the principal the liquidations found so far covered. */
  private integral(
    x: number,
    version: number,
    covered: ReadonlyArray<{ readonly effectiveAt: number; readonly principal: bigint }>,
  ): bigint {
    if (x === Number.NEGATIVE_INFINITY) return 0n;
    const tau = BigInt(dayCountTime(this.dayCount, x));
    let total = tau * this.sums.sum(PRINCIPAL, version, x) - this.sums.sum(WEIGHTED, version, x);
    for (const c of covered) if (c.effectiveAt <= x) total -= c.principal * (tau - BigInt(dayCountTime(this.dayCount, c.effectiveAt)));
    return total;
  }

  /** Σ rate × ∫ P dτ to T over the rate segments: the accrued interest's numerator over accrualDenominator. */
  private accrued(
    T: number,
    version: number,
    segments: ReadonlyArray<{ readonly start: number; readonly rate: bigint }>,
    covered: ReadonlyArray<{ readonly effectiveAt: number; readonly principal: bigint }>,
  ): bigint {
    let total = 0n;
    for (let i = 0; i < segments.length; i++) {
      const start = segments[i]!.start;
      if (start > T) break;
      const next = segments[i + 1]?.start;
      const end = next === undefined || next > T ? T : next;
      total += segments[i]!.rate * (this.integral(end, version, covered) - this.integral(start, version, covered));
    }
    return total;
  }

  /** The loan's figures at (asOf, version): accrual from the terms and every liquidation's split. */
  figures(asOf: number, version: number, book: BookReader): TermLoanFigures {
    const denominator = accrualDenominator(this.dayCount);
    const segments = this.segments(asOf, version, book);
    const splits: ProjectedSplit[] = [];
    const covered: Array<{ effectiveAt: number; principal: bigint }> = [];
    let interestCovered = 0n;
    let principalCovered = 0n;
    for (const liquidation of this.liquidations.filter((l) => l.effectiveAt <= asOf && book.live(l.revision, version)).sort(byKey)) {
      const { effectiveAt, revision, proceeds } = liquidation;
      const before = revision - 1;
      const accruedCents = divRoundHalfEven(this.accrued(effectiveAt, version, segments, covered), denominator);
      const owed = accruedCents + book.interestThrough(this.loanId, version, effectiveAt, before) - interestCovered;
      const principal = this.sums.sum(PRINCIPAL, version, effectiveAt, before) - principalCovered;
      const toInterest = minBigint(proceeds, owed > 0n ? owed : 0n);
      const toPrincipal = minBigint(proceeds - toInterest, principal > 0n ? principal : 0n);
      splits.push({
        revision,
        cashAccount: liquidation.cashAccount,
        interest: toInterest,
        principal: toPrincipal,
        excess: proceeds - toInterest - toPrincipal,
      });
      covered.push({ effectiveAt, principal: toPrincipal });
      interestCovered += toInterest;
      principalCovered += toPrincipal;
    }
    const numerator = this.accrued(asOf, version, segments, covered);
    return {
      accruedNumerator: numerator,
      accruedDenominator: denominator,
      accruedUsd: divRoundHalfEven(numerator, denominator),
      rate: segments[segments.length - 1]!.rate,
      splits,
    };
  }

  toSnapshot(): TermLoanIndexSnapshot {
    return {
      loanId: this.loanId,
      dayCount: this.dayCount,
      drawRevision: this.drawRevision,
      drawAt: this.drawAt,
      rate: this.rate,
      sums: this.sums.toSnapshot(),
      added: [...this.added],
      reprices: [...this.reprices],
      liquidations: [...this.liquidations],
    };
  }

  static fromSnapshot(snapshot: TermLoanIndexSnapshot): TermLoanIndex {
    const index = new TermLoanIndex(snapshot.loanId, snapshot.dayCount, snapshot.drawRevision, snapshot.drawAt, snapshot.rate);
    index.sums = BitemporalSums.fromSnapshot(snapshot.sums);
    for (const [revision, deltas] of snapshot.added) index.added.set(revision, deltas);
    index.reprices = [...snapshot.reprices];
    index.liquidations = [...snapshot.liquidations];
    return index;
  }
}
