import { AccountMapping, BookEvent, DEFAULT_PRICE_MAX_AGE_SECONDS, RecordedBookEvent, UTC } from '@treasury/domain';
import { upperBound } from '@treasury/domain/search/upper-bound';
import { BTC_EXPENSE_PREFIX, FIFO, FLOWS, FlowKind } from './fifo-plan';
import { LoanTerms, RawPosition } from './raw-position';
import { ReportRecord, ToleranceRecord } from '../reports/report-records';
import { ApplyPlan, BookProjectionSnapshot, EventContribution, FifoEntry, LotSlice, PriceRecord } from './book-projection.records';
import type { BookReader, TermLoanFigures } from '../loans/term-loan-index';
import { BookColumns, emptyColumns, liveAt, sumOf } from './book-columns';
import { costOfFirst, disposals, fifoAt, openLots, recordFifo, reliefs } from './fifo-index';
import { addPrice, priceAt } from './price-index';
import { fromSnapshot, toSnapshot } from './book-projection.snapshot';
import { contributionsIn, eventAt } from './contributions';
import { planEvent, touches } from './book-plan';

export { FLOWS, type FlowKind } from './fifo-plan';

export type { ReportRecord, ToleranceRecord };
export type { BookProjectionSnapshot, EventContribution, FifoEntry, LoanRecord, LotSlice, PriceRecord } from './book-projection.records';

/**
 * One book's bi-temporal projection. `apply` folds events in log order (revision order); every query
 * takes `asOf` (effective cut) and a `version` (the events with revision < version, i.e. what the ledger
 * knew: see `versionAt`). This file is the fold and the public API; the state is book-columns.ts, the
 * FIFO reads fifo-index.ts, the price index price-index.ts, the snapshot format book-projection.snapshot.ts.
 */
export class BookProjection {
  private readonly c: BookColumns;
  private readonly loanReader: BookReader = {
    live: (revision, version) => this.liveAt(revision, version),
    interestThrough: (loanId, version, effectiveAt, order) => this.sum(`interest|${loanId}`, version, effectiveAt, order),
  };

  /** A new, empty projection; `fromSnapshot` passes the columns it restored. */
  constructor(columns: BookColumns = emptyColumns()) {
    this.c = columns;
  }

  get revision(): number {
    return this.c.recordedAt.length - 1;
  }

  /** The revision of a loan's drawdown, if it was drawn. */
  drawdownOf(loanId: string): number | undefined {
    return this.c.loans.get(loanId)?.revision;
  }

  /** The revision of an event of this book, by id. */
  revisionOfEvent(eventId: string): number | undefined {
    return this.c.revisionOf.get(eventId);
  }

  /** The reversal that took an event back (as known now), if any. */
  reversalOf(revision: number): { readonly revision: number; readonly eventId: string; readonly recordedAt: number } | undefined {
    const by = this.c.reversedAt[revision];
    if (by === undefined || by === Number.POSITIVE_INFINITY) return undefined;
    return { revision: by, eventId: this.c.eventIds[by]!, recordedAt: this.c.recordedAt[by]! };
  }

  /** The version (number of events) the ledger knew at `knownAt`. */
  versionAt(knownAt: number): number {
    return upperBound(this.c.recordedAt.length, (i) => this.c.recordedAt[i]! <= knownAt);
  }

  /**
   * Folds the next event. All or nothing: everything that can fail (a revision gap, an event this
   * code cannot interpret) is worked out first into a plan, and only then is the plan committed with
   * plain appends that cannot fail; a failure leaves the projection exactly as it was.
   */
  apply(recorded: RecordedBookEvent): void {
    if (recorded.revision !== this.c.recordedAt.length)
      throw new Error(`projection expected revision ${this.c.recordedAt.length}, got ${recorded.revision}`);
    const metricsBefore = this.c.metricNames.length;
    let plan: ApplyPlan;
    try {
      plan = planEvent(this.c, recorded);
    } catch (error) {
      this.forgetMetricsFrom(metricsBefore);
      throw error;
    }
    this.commit(recorded, plan);
  }

  /** Undoes metric registrations made by a plan that failed. */
  private forgetMetricsFrom(count: number): void {
    for (const name of this.c.metricNames.splice(count)) this.c.metricIds.delete(name);
    for (let metric = 0; metric < this.c.touchIds.length; metric++) {
      const touch = this.c.touchIds[metric];
      if (metric >= count || (touch !== undefined && touch >= count)) delete this.c.touchIds[metric];
    }
    this.c.touchIds.length = Math.min(this.c.touchIds.length, count);
  }

  /** Commits a plan: appends only, none of which can fail on valid input. */
  private commit(recorded: RecordedBookEvent, plan: ApplyPlan): void {
    const { event, revision, eventId } = recorded;
    this.c.recordedAt.push(Math.max(recorded.recordedAt, this.c.recordedAt[this.c.recordedAt.length - 1] ?? Number.NEGATIVE_INFINITY));
    this.c.effectiveAt.push(event.effectiveAt);
    this.c.eventIds.push(eventId);
    this.c.types.push(event.type);
    this.c.reversedAt.push(Number.POSITIVE_INFINITY);
    this.c.revisionOf.set(eventId, revision);
    recordFifo(this.c, plan.fifo);
    for (const [metric, delta] of plan.deltas) {
      this.c.deltaMetric.push(metric);
      this.c.deltaValue.push(delta);
    }
    this.c.deltaStart.push(this.c.deltaMetric.length);
    if (plan.deltas.length > 0) this.c.sums.add({ effectiveAt: event.effectiveAt, order: revision, known: revision, deltas: plan.deltas });
    if (plan.lotAt !== undefined) {
      this.c.lotTimes.set(revision, plan.lotAt.time);
      this.c.sums.add({ effectiveAt: plan.lotAt.time, order: revision, known: revision, deltas: plan.lotAt.deltas });
    }
    if (plan.reversal !== undefined) {
      const { target, negated } = plan.reversal;
      this.c.reversedAt[target] = revision;
      if (negated.length > 0)
        this.c.sums.add({ effectiveAt: this.c.effectiveAt[target]!, order: target, known: revision, deltas: negated });
      if (plan.reversal.lotAt !== undefined)
        this.c.sums.add({ effectiveAt: plan.reversal.lotAt.time, order: target, known: revision, deltas: plan.reversal.lotAt.deltas });
    }
    if (plan.price !== undefined) addPrice(this.c, plan.price);
    if (plan.report !== undefined) this.c.reports.push(plan.report);
    if (plan.tolerance !== undefined) this.c.tolerances.push(plan.tolerance);
    if (event.type === 'BookOpened') this.c.timeZone = event.timeZone ?? UTC;
    if (plan.priceMaxAge !== undefined) this.c.priceMaxAges.add(plan.priceMaxAge);
    if (plan.accountMapping !== undefined) this.c.accountMappings.add(plan.accountMapping);
    if (plan.loan !== undefined) this.c.loans.set(plan.loan[0], plan.loan[1]);
    plan.termLoan?.commit();
  }

  toSnapshot(): BookProjectionSnapshot {
    return toSnapshot(this.c);
  }

  /** Restores a snapshot; throws (an unknown event-type code, say) rather than return a projection that is wrong. */
  static fromSnapshot(snapshot: BookProjectionSnapshot): BookProjection {
    return new BookProjection(fromSnapshot(snapshot));
  }

  /** Live at version: known, and not taken back by a reversal known at the version. */
  private liveAt(revision: number, version: number): boolean {
    return liveAt(this.c, revision, version);
  }

  /** The last price observation with effectiveAt <= asOf known (and not reversed) at version. */
  priceAt(asOf: number, version: number): PriceRecord | undefined {
    return priceAt(this.c, asOf, version);
  }

  private sum(name: string, version: number, asOf: number, order = Number.POSITIVE_INFINITY): bigint {
    return sumOf(this.c, name, version, asOf, order);
  }

  /** F(x): the cost of the first x satoshis ever acquired (known at the version), in effective order (fifo-index.ts). */
  costOfFirst(x: bigint, version: number): bigint {
    return costOfFirst(this.c, x, version);
  }

  /**
   * The events behind a sum of balances: every live event at (asOf, version) that moves one of the balances
   * `weightOf` selects (a weight of 1n or -1n per balance key; 0n leaves it out), with its weighted
   * amount, in effective order (ties by revision). Their amounts add up to the weighted sum.
   */
  contributions(weightOf: (balanceKey: string) => bigint, asOf: number, version: number): EventContribution[] {
    return this.contributionsIn(weightOf, asOf, version, 0, version).sort(
      (a, b) => a.effectiveAt - b.effectiveAt || a.revision - b.revision,
    );
  }

  /**
   * The same for revisions in [fromRevision, toRevision) only, in revision order (unsorted): lets a
   * caller walk a long book in bounded slices and sort once at the end.
   */
  contributionsIn(
    weightOf: (balanceKey: string) => bigint,
    asOf: number,
    version: number,
    fromRevision: number,
    toRevision: number,
  ): EventContribution[] {
    return contributionsIn(this.c, weightOf, asOf, version, fromRevision, toRevision);
  }

  eventIdAt(revision: number): string {
    return this.c.eventIds[revision]!;
  }

  /** Who an event is, for explanations and listings. */
  eventAt(revision: number, amount: bigint): EventContribution {
    return eventAt(this.c, revision, amount);
  }

  /** Reports known and live at version, in effective order (ties: revision). */
  reportsAt(version: number): ReportRecord[] {
    return this.c.reports
      .filter((r) => this.liveAt(r.revision, version))
      .sort((a, b) => a.effectiveAt - b.effectiveAt || a.revision - b.revision);
  }

  /** The reconciliation tolerance settings live at version, in revision order. */
  tolerancesAt(version: number): ToleranceRecord[] {
    return this.c.tolerances.filter((t) => this.liveAt(t.revision, version));
  }

  /** The chart-of-accounts overrides in force at version (the last live set-account-mapping), or undefined: the default chart. */
  accountMappingAt(version: number): AccountMapping | undefined {
    return this.c.accountMappings.at(version, (r, at) => this.liveAt(r, at));
  }

  /** The book's calendar: its time zone (UTC unless opened with one), when it opened, and when its log began. */
  calendar(): { readonly timeZone: string; readonly openedAt: number; readonly firstRecordedAt: number } | undefined {
    if (this.c.recordedAt.length === 0) return undefined;
    return { timeZone: this.c.timeZone, openedAt: this.c.effectiveAt[0]!, firstRecordedAt: this.c.recordedAt[0]! };
  }

  /** A flow's total over events effective in (after, through], known at the version. */
  flow(kind: FlowKind, after: number, through: number, version: number): bigint {
    return FLOWS[kind].reduce(
      (total, [name, sign]) => total + sign * (this.sum(name, version, through) - this.sum(name, version, after)),
      0n,
    );
  }

  /** The expenses paid in BTC (fair value, cents) over (after, through] at the version, by category. */
  btcExpenses(after: number, through: number, version: number): Map<string, bigint> {
    const names = this.c.metricNames.filter((name) => name.startsWith(BTC_EXPENSE_PREFIX));
    return new Map(
      names.map((name) => [name.slice(BTC_EXPENSE_PREFIX.length), this.sum(name, version, through) - this.sum(name, version, after)]),
    );
  }

  /** Every flow metric named `prefix` + key, its total over (after, through] at the version, by key (zeros included). */
  flowsByPrefix(prefix: string, after: number, through: number, version: number): Map<string, bigint> {
    const names = this.c.metricNames.filter((name) => name.startsWith(prefix));
    return new Map(names.map((name) => [name.slice(prefix.length), this.sum(name, version, through) - this.sum(name, version, after)]));
  }

  /** The loans drawn by an event known at version (a reversed drawdown included: its figures are then zero). */
  loanIdsAt(version: number): string[] {
    return [...this.c.loans].filter(([, loan]) => loan.revision < version).map(([loanId]) => loanId);
  }

  /** A loan drawn with a dayCount: its accrual from the terms and its liquidations' splits at (asOf, version). */
  termLoanFigures(loanId: string, asOf: number, version: number): TermLoanFigures | undefined {
    return this.c.termLoans.get(loanId)?.figures(asOf, version, this.loanReader);
  }

  /** The raw figures at (asOf, version): sums and terms, before any rounding or formatting. */
  raw(asOf: number, version: number): RawPosition {
    const balances = new Map<string, bigint>();
    for (const name of this.c.metricNames) {
      if (!name.startsWith('touch|') || name.startsWith('touch|loan|')) continue;
      const key = name.slice('touch|'.length);
      if (this.sum(name, version, asOf) > 0n) balances.set(key, this.sum(key, version, asOf));
    }
    const listed = [...this.c.loans].filter(([loanId]) => this.sum(touches(`loan|${loanId}`), version, asOf) > 0n);
    // Loans drawn with a dayCount: accrual from the terms and the liquidation waterfall, at read time.
    const terms = this.c.termLoans.adjust(
      balances,
      listed.map(([loanId]) => loanId),
      asOf,
      version,
      this.loanReader,
    );
    const loans: Array<LoanTerms & { readonly drawnAt: number }> = listed.map(([loanId, loan]) => ({
      ...loan.terms,
      ...(terms.has(loanId) ? { annualRate: terms.get(loanId)!.rate } : {}),
      drawnAt: this.c.effectiveAt[loan.revision]!,
    }));
    const disposedBtc = this.sum(FIFO.disposedBtc, version, asOf);
    const price = this.priceAt(asOf, version);
    return {
      asOf,
      version: version,
      balances,
      loans,
      acquiredBtc: this.sum(FIFO.acquiredBtc, version, asOf),
      acquiredCostUsd: this.sum(FIFO.acquiredCost, version, asOf),
      disposedBtc,
      proceedsUsd: this.sum(FIFO.proceeds, version, asOf),
      relievedCostUsd: this.costOfFirst(disposedBtc, version),
      openingPendingUsd: this.flow('openingPendingUsd', Number.NEGATIVE_INFINITY, asOf, version),
      price: price === undefined ? null : { usdPerBtc: price.usdPerBtc, effectiveAt: price.effectiveAt },
      priceMaxAgeSeconds: this.c.priceMaxAges.at(version, (r, at) => this.liveAt(r, at)) ?? DEFAULT_PRICE_MAX_AGE_SECONDS,
    };
  }

  /** The FIFO running totals at (asOf, version): what was acquired (sats, cost) and disposed of (sats). */
  fifoTotals(
    asOf: number,
    version: number,
  ): { readonly acquiredBtc: bigint; readonly acquiredCostUsd: bigint; readonly disposedBtc: bigint } {
    return {
      acquiredBtc: this.sum(FIFO.acquiredBtc, version, asOf),
      acquiredCostUsd: this.sum(FIFO.acquiredCost, version, asOf),
      disposedBtc: this.sum(FIFO.disposedBtc, version, asOf),
    };
  }

  /** The cost relieved (company-wide FIFO) by every disposal effective at or before asOf, known at the version. */
  relievedCostAt(asOf: number, version: number): bigint {
    return this.costOfFirst(this.sum(FIFO.disposedBtc, version, asOf), version);
  }

  /** Open FIFO lots held at (asOf, version), oldest first (fifo-index.ts). */
  openLots(asOf: number, version: number): Generator<LotSlice> {
    return openLots(this.c, asOf, version);
  }

  /** Disposals with from <= effectiveAt <= to at version, each with the lot slices it relieved. */
  disposals(
    from: number,
    to: number,
    version: number,
  ): Generator<{ readonly disposal: FifoEntry; readonly relievedCostUsd: bigint; readonly lots: LotSlice[] }> {
    return disposals(this.c, from, to, version);
  }

  /** The same disposals with the cost each relieved, without listing the lot slices (what the P&L and the journal need). */
  reliefs(from: number, to: number, version: number): Generator<{ readonly disposal: FifoEntry; readonly relievedCostUsd: bigint }> {
    return reliefs(this.c, from, to, version);
  }

  // Read accessors for the lot methods (libs/projections/src/lots), whose logic lives there.
  /** Known at version and not taken back by a reversal known at the version. */
  isLive(revision: number, version: number): boolean {
    return this.liveAt(revision, version);
  }

  /** The event type and effectiveAt (where its balances move) of a revision. */
  typeOf(revision: number): BookEvent['type'] | undefined {
    return this.c.types[revision];
  }
  effectiveAtOf(revision: number): number {
    return this.c.effectiveAt[revision]!;
  }

  /** The FIFO entry of a revision, if it is a lot or a disposal (a lot's effectiveAt is its place in the queue). */
  fifoEntry(revision: number): FifoEntry | undefined {
    return fifoAt(this.c, revision);
  }

  /** The revisions of the opening lots ever recorded (live or not at a version: ask isLive), in no order. */
  openingLotRevisions(): IterableIterator<number> {
    return this.c.lotTimes.keys();
  }

  /** A revision's own deltas by metric name (balance keys, and the touch/fifo/flow metrics beside them). */
  deltasOf(revision: number): Array<readonly [name: string, delta: bigint]> {
    const found: Array<readonly [string, bigint]> = [];
    for (let i = this.c.deltaStart[revision]!; i < this.c.deltaStart[revision + 1]!; i++)
      found.push([this.c.metricNames[this.c.deltaMetric[i]!]!, this.c.deltaValue.get(i)]);
    return found;
  }
}
