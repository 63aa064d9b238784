import {
  AccountMapping,
  BookEvent,
  DEFAULT_PRICE_MAX_AGE_SECONDS,
  RecordedBookEvent,
  UTC,
  balanceEffects,
} from '@treasury/domain';
import { BitemporalSums } from '../bitemporal/bitemporal-sums';
import { IntegerColumn } from '../bitemporal/integer-column';
import { upperBound } from '../bitemporal/upper-bound';
import { partialCost } from './fifo';
import { BTC_EXPENSE_PREFIX, FIFO, FIFO_LOT, FIFO_NONE, FLOWS, FifoRecord, FlowKind, NO_FIFO, fifoPlan, openingLotDeltas } from './fifo-plan';
import { LoanTerms, RawPosition, loanTerms } from './raw-position';
import { ReportRecord, ToleranceRecord, reportRecordOf, toleranceRecordOf } from '../reports/report-records';
import { SettingHistory } from './setting-history';
import { ApplyPlan, BookProjectionSnapshot, EVENT_TYPES, EventContribution, FifoEntry, LoanRecord, LotPoint, LotSlice, PriceRecord } from './book-projection.records';
import { TermLoans } from '../loans/term-loans';
import type { BookReader, TermLoanFigures } from '../loans/term-loan-index';

export { FLOWS, type FlowKind } from './fifo-plan';

/** Balances are listed when something visible touched them, even if they net to zero. */
const touches = (key: string) => `touch|${key}`;

export type { ReportRecord, ToleranceRecord };
export type { BookProjectionSnapshot, EventContribution, FifoEntry, LoanRecord, LotSlice, PriceRecord } from './book-projection.records';

/**
 * One book's bi-temporal projection. `apply` folds events in log order (revision order); every query
 * takes `asOf` (effective cut) and a version `v` (the events with revision < v, i.e. what the ledger
 * knew: see `versionAt`).
 */
export class BookProjection {
  private sums = new BitemporalSums();
  private readonly metricIds = new Map<string, number>();
  private readonly metricNames: string[] = [];
  /** The touch metric of each balance metric, by metric id, so apply looks a key up only once. */
  private readonly touchIds: number[] = [];
  // One entry per revision, column by column: a million-event book keeps no object per event, which
  // keeps folding fast and garbage-collection pauses short.
  /** recordedAt by revision: non-decreasing, so knownAt -> version is a binary search. */
  private recordedAt: number[] = [];
  private effectiveAt: number[] = [];
  private eventIds: string[] = [];
  private types: Array<BookEvent['type']> = [];
  /** The revision of the reversal that took the event back, or +Infinity. */
  private reversedAt: number[] = [];
  /** Each revision's balance deltas, kept to negate them on reversal: [deltaStart[r], deltaStart[r+1]). */
  private deltaStart: number[] = [0];
  private deltaMetric: number[] = [];
  private deltaValue = new IntegerColumn();
  private fifoKind: number[] = [];
  private fifoBtc = new IntegerColumn();
  private fifoCost = new IntegerColumn();
  private fifoProceeds = new IntegerColumn();
  /** Opening lots: their place in the FIFO queue (acquiredAt), which is not their effectiveAt. */
  private lotTimes = new Map<number, number>();
  private readonly revisionOf = new Map<string, number>();
  private prices: PriceRecord[] = [];
  private latePrices: PriceRecord[] = [];
  private readonly loans = new Map<string, LoanRecord>();
  /** Published figures to reconcile against, and the tolerance settings, in revision order (few). */
  private reports: ReportRecord[] = [];
  private tolerances: ToleranceRecord[] = [];
  /** The book's time zone, from its BookOpened (none: UTC). */
  private timeZone = UTC;
  private priceMaxAges = new SettingHistory<number>();
  /** Chart-of-accounts overrides (set-account-mapping), in revision order. */
  private accountMappings = new SettingHistory<AccountMapping>();
  /** Loans accruing from their terms, with their liquidation waterfalls (libs/projections/src/loans). */
  private termLoans = new TermLoans();
  private readonly loanReader: BookReader = {
    live: (revision, v) => this.liveAt(revision, v),
    interestThrough: (loanId, v, effectiveAt, order) => this.sum(`interest|${loanId}`, v, effectiveAt, order),
  };

  get revision(): number {
    return this.recordedAt.length - 1;
  }

  private touchOf(metric: number): number {
    let id = this.touchIds[metric];
    if (id === undefined) {
      id = this.metric(touches(this.metricNames[metric]!));
      this.touchIds[metric] = id;
    }
    return id;
  }

  private metric(name: string): number {
    let id = this.metricIds.get(name);
    if (id === undefined) {
      id = this.metricNames.length;
      this.metricIds.set(name, id);
      this.metricNames.push(name);
    }
    return id;
  }

  /** The revision of a loan's drawdown, if it was drawn. */
  drawdownOf(loanId: string): number | undefined {
    return this.loans.get(loanId)?.revision;
  }

  /** The revision of an event of this book, by id. */
  revisionOfEvent(eventId: string): number | undefined {
    return this.revisionOf.get(eventId);
  }

  /** The reversal that took an event back (as known now), if any. */
  reversalOf(revision: number): { readonly revision: number; readonly eventId: string; readonly recordedAt: number } | undefined {
    const by = this.reversedAt[revision];
    if (by === undefined || by === Number.POSITIVE_INFINITY) return undefined;
    return { revision: by, eventId: this.eventIds[by]!, recordedAt: this.recordedAt[by]! };
  }

  /** The version (number of events) the ledger knew at `knownAt`. */
  versionAt(knownAt: number): number {
    return upperBound(this.recordedAt.length, (i) => this.recordedAt[i]! <= knownAt);
  }

  /**
   * Folds the next event. All or nothing: everything that can fail (a revision gap, an event this
   * code cannot interpret) is worked out first into a plan, and only then is the plan committed with
   * plain appends that cannot fail; a failure leaves the projection exactly as it was.
   */
  apply(recorded: RecordedBookEvent): void {
    if (recorded.revision !== this.recordedAt.length) throw new Error(`projection expected revision ${this.recordedAt.length}, got ${recorded.revision}`);
    const metricsBefore = this.metricNames.length;
    let plan: ApplyPlan;
    try {
      plan = this.plan(recorded);
    } catch (error) {
      this.forgetMetricsFrom(metricsBefore);
      throw error;
    }
    this.commit(recorded, plan);
  }

  /** Undoes metric registrations made by a plan that failed. */
  private forgetMetricsFrom(count: number): void {
    for (const name of this.metricNames.splice(count)) this.metricIds.delete(name);
    for (let metric = 0; metric < this.touchIds.length; metric++) {
      const touch = this.touchIds[metric];
      if (metric >= count || (touch !== undefined && touch >= count)) delete this.touchIds[metric];
    }
    this.touchIds.length = Math.min(this.touchIds.length, count);
  }

  /** What folding an event changes, computed without changing anything but the metric registry. */
  private plan(recorded: RecordedBookEvent): ApplyPlan {
    const { event, revision } = recorded;
    if (event.type === 'EventReversed') {
      const target = this.revisionOf.get(event.eventId);
      if (target === undefined || this.reversedAt[target] !== Number.POSITIVE_INFINITY) return { fifo: NO_FIFO, deltas: [] };
      // The negative point sits at the target's key, so the two cancel exactly from this revision on.
      const negated: Array<readonly [number, bigint]> = [];
      for (let i = this.deltaStart[target]!; i < this.deltaStart[target + 1]!; i++) negated.push([this.deltaMetric[i]!, -this.deltaValue.get(i)]);
      const termLoan = this.termLoans.plan(event, revision, { target, effectiveAt: this.effectiveAt[target]! });
      const lotTime = this.lotTimes.get(target);
      const lotAt = lotTime === undefined ? undefined : this.lotPoint(lotTime, openingLotDeltas(-this.fifoBtc.get(target), -this.fifoCost.get(target)));
      return { fifo: NO_FIFO, deltas: [], reversal: { target, negated, ...(lotAt === undefined ? {} : { lotAt }) }, ...(termLoan === undefined ? {} : { termLoan }) };
    }

    const deltas: Array<readonly [number, bigint]> = [];
    for (const effect of balanceEffects(event)) {
      const id = this.metric(effect.key);
      deltas.push([id, effect.delta], [this.touchOf(id), 1n]);
    }
    const fifoChange = fifoPlan(event);
    for (const [name, delta] of fifoChange.deltas) deltas.push([this.metric(name), delta]);
    if (event.type === 'LoanDrawn') deltas.push([this.metric(touches(`loan|${event.loanId}`)), 1n]);
    const fifo: FifoRecord = fifoChange.fifo;
    const lotAt = fifoChange.lotAt === undefined ? undefined : this.lotPoint(fifoChange.lotAt.time, fifoChange.lotAt.deltas);
    const termLoan = this.termLoans.plan(event, revision);
    for (const key of termLoan?.touches ?? []) deltas.push([this.touchOf(this.metric(key)), 1n]);
    const plan: ApplyPlan = { fifo, deltas, ...(termLoan === undefined ? {} : { termLoan }), ...(lotAt === undefined ? {} : { lotAt }) };
    switch (event.type) {
      case 'BtcPriceObserved':
        return { ...plan, price: { effectiveAt: event.effectiveAt, revision, usdPerBtc: event.usdPerBtc } };
      case 'HoldingsReported':
        return { ...plan, report: reportRecordOf(event, revision) };
      case 'ReconciliationToleranceSet':
        return { ...plan, tolerance: toleranceRecordOf(event, revision) };
      case 'PriceStalenessSet':
        return { ...plan, priceMaxAge: { revision, value: event.maxAgeSeconds } };
      case 'AccountMappingSet': {
        const { type: _type, effectiveAt: _at, memo: _memo, ...mapping } = event;
        return { ...plan, accountMapping: { revision, value: mapping } };
      }
      case 'LoanDrawn':
        return { ...plan, loan: [event.loanId, { terms: loanTerms(event), revision }] };
      default:
        return plan;
    }
  }

  private lotPoint(time: number, deltas: ReadonlyArray<readonly [string, bigint]>): LotPoint {
    return { time, deltas: deltas.map(([name, delta]) => [this.metric(name), delta] as const) };
  }

  /** Commits a plan: appends only, none of which can fail on valid input. */
  private commit(recorded: RecordedBookEvent, plan: ApplyPlan): void {
    const { event, revision, eventId } = recorded;
    this.recordedAt.push(Math.max(recorded.recordedAt, this.recordedAt[this.recordedAt.length - 1] ?? Number.NEGATIVE_INFINITY));
    this.effectiveAt.push(event.effectiveAt);
    this.eventIds.push(eventId);
    this.types.push(event.type);
    this.reversedAt.push(Number.POSITIVE_INFINITY);
    this.revisionOf.set(eventId, revision);
    this.recordFifo(plan.fifo.kind, plan.fifo.btc, plan.fifo.cost, plan.fifo.proceeds);
    for (const [metric, delta] of plan.deltas) {
      this.deltaMetric.push(metric);
      this.deltaValue.push(delta);
    }
    this.deltaStart.push(this.deltaMetric.length);
    if (plan.deltas.length > 0) this.sums.add({ effectiveAt: event.effectiveAt, order: revision, known: revision, deltas: plan.deltas });
    if (plan.lotAt !== undefined) {
      this.lotTimes.set(revision, plan.lotAt.time);
      this.sums.add({ effectiveAt: plan.lotAt.time, order: revision, known: revision, deltas: plan.lotAt.deltas });
    }
    if (plan.reversal !== undefined) {
      const { target, negated } = plan.reversal;
      this.reversedAt[target] = revision;
      if (negated.length > 0) this.sums.add({ effectiveAt: this.effectiveAt[target]!, order: target, known: revision, deltas: negated });
      if (plan.reversal.lotAt !== undefined) this.sums.add({ effectiveAt: plan.reversal.lotAt.time, order: target, known: revision, deltas: plan.reversal.lotAt.deltas });
    }
    if (plan.price !== undefined) this.addPrice(plan.price);
    if (plan.report !== undefined) this.reports.push(plan.report);
    if (plan.tolerance !== undefined) this.tolerances.push(plan.tolerance);
    if (event.type === 'BookOpened') this.timeZone = event.timeZone ?? UTC;
    if (plan.priceMaxAge !== undefined) this.priceMaxAges.add(plan.priceMaxAge);
    if (plan.accountMapping !== undefined) this.accountMappings.add(plan.accountMapping);
    if (plan.loan !== undefined) this.loans.set(plan.loan[0], plan.loan[1]);
    plan.termLoan?.commit();
  }

  toSnapshot(): BookProjectionSnapshot {
    const typeCode = new Map(EVENT_TYPES.map((type, code) => [type, code]));
    return {
      metricNames: [...this.metricNames],
      touchIds: this.touchIds.flatMap((touch, metric) => (touch === undefined ? [] : [[metric, touch] as const])),
      recordedAt: Float64Array.from(this.recordedAt),
      effectiveAt: Float64Array.from(this.effectiveAt),
      reversedAt: Float64Array.from(this.reversedAt),
      eventIds: [...this.eventIds],
      typeCodes: Uint8Array.from(this.types, (type) => typeCode.get(type)!),
      deltaStart: Int32Array.from(this.deltaStart),
      deltaMetric: Int32Array.from(this.deltaMetric),
      deltaValue: this.deltaValue.toArray(),
      fifoKind: Uint8Array.from(this.fifoKind),
      fifoBtc: this.fifoBtc.toArray(),
      fifoCost: this.fifoCost.toArray(),
      fifoProceeds: this.fifoProceeds.toArray(),
      prices: [...this.prices],
      latePrices: [...this.latePrices],
      loans: [...this.loans],
      reports: [...this.reports],
      tolerances: [...this.tolerances],
      timeZone: this.timeZone,
      priceMaxAges: this.priceMaxAges.toSnapshot(),
      accountMappings: this.accountMappings.toSnapshot(),
      lotTimes: [...this.lotTimes],
      sums: this.sums.toSnapshot(),
      termLoans: this.termLoans.toSnapshot(),
    };
  }

  static fromSnapshot(snapshot: BookProjectionSnapshot): BookProjection {
    const projection = new BookProjection();
    snapshot.metricNames.forEach((name) => projection.metric(name));
    for (const [metric, touch] of snapshot.touchIds) projection.touchIds[metric] = touch;
    projection.recordedAt = Array.from(snapshot.recordedAt);
    projection.effectiveAt = Array.from(snapshot.effectiveAt);
    projection.reversedAt = Array.from(snapshot.reversedAt);
    projection.eventIds = [...snapshot.eventIds];
    projection.eventIds.forEach((eventId, revision) => projection.revisionOf.set(eventId, revision));
    projection.types = Array.from(snapshot.typeCodes, (code) => EVENT_TYPES[code]!);
    projection.deltaStart = Array.from(snapshot.deltaStart);
    projection.deltaMetric = Array.from(snapshot.deltaMetric);
    projection.deltaValue = IntegerColumn.of(snapshot.deltaValue);
    projection.fifoKind = Array.from(snapshot.fifoKind);
    projection.fifoBtc = IntegerColumn.of(snapshot.fifoBtc);
    projection.fifoCost = IntegerColumn.of(snapshot.fifoCost);
    projection.fifoProceeds = IntegerColumn.of(snapshot.fifoProceeds);
    projection.prices = [...snapshot.prices];
    projection.latePrices = [...snapshot.latePrices];
    for (const [loanId, loan] of snapshot.loans) projection.loans.set(loanId, loan);
    projection.reports = [...snapshot.reports];
    projection.tolerances = [...snapshot.tolerances];
    projection.timeZone = snapshot.timeZone ?? UTC;
    projection.priceMaxAges = new SettingHistory([...(snapshot.priceMaxAges ?? [])]);
    projection.accountMappings = new SettingHistory([...(snapshot.accountMappings ?? [])]);
    projection.lotTimes = new Map(snapshot.lotTimes ?? []);
    projection.sums = BitemporalSums.fromSnapshot(snapshot.sums);
    projection.termLoans = TermLoans.fromSnapshot(snapshot.termLoans);
    return projection;
  }

  private recordFifo(kind: number, btc: bigint, cost: bigint, proceeds: bigint): void {
    this.fifoKind.push(kind);
    this.fifoBtc.push(btc);
    this.fifoCost.push(cost);
    this.fifoProceeds.push(proceeds);
  }

  /** The FIFO entry recorded at a revision, built on demand (only listings need the object). */
  private fifoAt(revision: number): FifoEntry | undefined {
    const kind = this.fifoKind[revision];
    if (kind === undefined || kind === FIFO_NONE) return undefined;
    return {
      kind: kind === FIFO_LOT ? 'lot' : 'disposal',
      eventId: this.eventIds[revision]!,
      type: this.types[revision]!,
      // Where the lot sits in the FIFO queue: an opening lot's acquiredAt, any other entry's effectiveAt.
      effectiveAt: this.lotTimes.get(revision) ?? this.effectiveAt[revision]!,
      revision,
      btc: this.fifoBtc.get(revision),
      costUsd: this.fifoCost.get(revision),
      proceedsUsd: this.fifoProceeds.get(revision),
    };
  }

  /** Live at version v: known, and not taken back by a reversal known at v. */
  private liveAt(revision: number, v: number): boolean {
    return revision < v && !(this.reversedAt[revision]! < v);
  }

  private addPrice(price: PriceRecord): void {
    const last = this.prices[this.prices.length - 1];
    if (last === undefined || price.effectiveAt >= last.effectiveAt) {
      this.prices.push(price);
      return;
    }
    // A back-dated price: kept sorted by key among the (few) late ones.
    let index = this.latePrices.length;
    while (index > 0 && this.latePrices[index - 1]!.effectiveAt > price.effectiveAt) index -= 1;
    this.latePrices.splice(index, 0, price);
  }

  /** The last price observation with effectiveAt <= asOf known (and not reversed) at version v. */
  priceAt(asOf: number, v: number): PriceRecord | undefined {
    const visible = (p: PriceRecord) => this.liveAt(p.revision, v);
    const pick = (list: PriceRecord[]): PriceRecord | undefined => {
      for (let i = upperBound(list.length, (j) => list[j]!.effectiveAt <= asOf) - 1; i >= 0; i--) if (visible(list[i]!)) return list[i];
      return undefined;
    };
    const a = pick(this.prices);
    const b = pick(this.latePrices);
    if (a === undefined) return b;
    if (b === undefined) return a;
    return b.effectiveAt > a.effectiveAt || (b.effectiveAt === a.effectiveAt && b.revision > a.revision) ? b : a;
  }

  private sum(name: string, v: number, asOf: number, order = Number.POSITIVE_INFINITY): bigint {
    const id = this.metricIds.get(name);
    return id === undefined ? 0n : this.sums.sum(id, v, asOf, order);
  }

  /**
   * F(x): the cost of the first x satoshis ever acquired (known at v), in effective order. Every
   * disposal up to asOf has consumed exactly the first D(asOf) of them, FIFO.
   */
  costOfFirst(x: bigint, v: number): bigint {
    if (x <= 0n) return 0n;
    const qty = this.metricIds.get(FIFO.acquiredBtc);
    if (qty === undefined) return 0n;
    const at = this.sums.firstTimeReaching(qty, v, x);
    if (at === undefined) throw new Error(`FIFO: ${x} sats disposed but fewer acquired at version ${v}`);
    let remaining = x - this.sum(FIFO.acquiredBtc, v, at - 1);
    let cost = this.sum(FIFO.acquiredCost, v, at - 1);
    for (const lot of this.lotsAt(at, v)) {
      if (remaining <= lot.btc) return cost + partialCost(lot.costUsd, lot.btc, remaining);
      cost += lot.costUsd;
      remaining -= lot.btc;
    }
    throw new Error(`FIFO: lots at ${at} do not cover ${x} sats`);
  }

  /** Lots acquired at exactly this effective time, live at version v, in revision order. */
  private lotsAt(effectiveAt: number, v: number): FifoEntry[] {
    return this.sums
      .pointsAt(effectiveAt, v)
      .map((point) => this.fifoAt(point.order))
      // An opening lot's balance point sits at its effectiveAt, its place in the queue at its acquiredAt.
      .filter((entry): entry is FifoEntry => entry !== undefined && entry.kind === 'lot' && entry.effectiveAt === effectiveAt && this.liveAt(entry.revision, v))
      .filter((entry, index, all) => all.findIndex((e) => e.revision === entry.revision) === index);
  }

  /**
   * The events behind a sum of balances: every live event at (asOf, v) that moves one of the balances
   * `weightOf` selects (a weight of 1n or -1n per balance key; 0n leaves it out), with its weighted
   * amount, in effective order (ties by revision). Their amounts add up to the weighted sum.
   */
  contributions(weightOf: (balanceKey: string) => bigint, asOf: number, v: number): EventContribution[] {
    return this.contributionsIn(weightOf, asOf, v, 0, v).sort((a, b) => a.effectiveAt - b.effectiveAt || a.revision - b.revision);
  }

  /**
   * The same for revisions in [fromRevision, toRevision) only, in revision order (unsorted): lets a
   * caller walk a long book in bounded slices and sort once at the end.
   */
  contributionsIn(weightOf: (balanceKey: string) => bigint, asOf: number, v: number, fromRevision: number, toRevision: number): EventContribution[] {
    const weights = this.metricNames.map((name) => (/^(touch|fifo|flow)\|/.test(name) ? 0n : weightOf(name)));
    const found: EventContribution[] = [];
    const end = Math.min(v, this.recordedAt.length, toRevision);
    for (let revision = Math.max(0, fromRevision); revision < end; revision++) {
      if (this.effectiveAt[revision]! > asOf || !this.liveAt(revision, v)) continue;
      let amount = 0n;
      let touched = false;
      for (let i = this.deltaStart[revision]!; i < this.deltaStart[revision + 1]!; i++) {
        const weight = weights[this.deltaMetric[i]!]!;
        if (weight === 0n) continue;
        touched = true;
        amount += weight * this.deltaValue.get(i);
      }
      if (touched) found.push(this.eventAt(revision, amount));
    }
    return found;
  }

  eventIdAt(revision: number): string {
    return this.eventIds[revision]!;
  }

  /** Who an event is, for explanations and listings. */
  eventAt(revision: number, amount: bigint): EventContribution {
    return {
      revision,
      eventId: this.eventIds[revision]!,
      type: this.types[revision]!,
      effectiveAt: this.effectiveAt[revision]!,
      recordedAt: this.recordedAt[revision]!,
      amount,
    };
  }

  /** Reports known and live at version v, in effective order (ties: revision). */
  reportsAt(v: number): ReportRecord[] {
    return this.reports.filter((r) => this.liveAt(r.revision, v)).sort((a, b) => a.effectiveAt - b.effectiveAt || a.revision - b.revision);
  }

  /** The reconciliation tolerance settings live at version v, in revision order. */
  tolerancesAt(v: number): ToleranceRecord[] {
    return this.tolerances.filter((t) => this.liveAt(t.revision, v));
  }

  /** The chart-of-accounts overrides in force at version v (the last live set-account-mapping), or undefined: the default chart. */
  accountMappingAt(v: number): AccountMapping | undefined {
    return this.accountMappings.at(v, (r, at) => this.liveAt(r, at));
  }

  /** The book's calendar: its time zone (UTC unless opened with one), when it opened, and when its log began. */
  calendar(): { readonly timeZone: string; readonly openedAt: number; readonly firstRecordedAt: number } | undefined {
    if (this.recordedAt.length === 0) return undefined;
    return { timeZone: this.timeZone, openedAt: this.effectiveAt[0]!, firstRecordedAt: this.recordedAt[0]! };
  }

  /** A flow's total over events effective in (after, through], known at v. */
  flow(kind: FlowKind, after: number, through: number, v: number): bigint {
    return FLOWS[kind].reduce((total, [name, sign]) => total + sign * (this.sum(name, v, through) - this.sum(name, v, after)), 0n);
  }

  /** The expenses paid in BTC (fair value, cents) over (after, through] at v, by category. */
  btcExpenses(after: number, through: number, v: number): Map<string, bigint> {
    const names = this.metricNames.filter((name) => name.startsWith(BTC_EXPENSE_PREFIX));
    return new Map(names.map((name) => [name.slice(BTC_EXPENSE_PREFIX.length), this.sum(name, v, through) - this.sum(name, v, after)]));
  }

  /** Every flow metric named `prefix` + key, its total over (after, through] at v, by key (zeros included). */
  flowsByPrefix(prefix: string, after: number, through: number, v: number): Map<string, bigint> {
    const names = this.metricNames.filter((name) => name.startsWith(prefix));
    return new Map(names.map((name) => [name.slice(prefix.length), this.sum(name, v, through) - this.sum(name, v, after)]));
  }

  /** The loans drawn by an event known at version v (a reversed drawdown included: its figures are then zero). */
  loanIdsAt(v: number): string[] {
    return [...this.loans].filter(([, loan]) => loan.revision < v).map(([loanId]) => loanId);
  }

  /** A loan drawn with a dayCount: its accrual from the terms and its liquidations' splits at (asOf, v). */
  termLoanFigures(loanId: string, asOf: number, v: number): TermLoanFigures | undefined {
    return this.termLoans.get(loanId)?.figures(asOf, v, this.loanReader);
  }

  /** The raw figures at (asOf, v): sums and terms, before any rounding or formatting. */
  raw(asOf: number, v: number): RawPosition {
    const balances = new Map<string, bigint>();
    for (const name of this.metricNames) {
      if (!name.startsWith('touch|') || name.startsWith('touch|loan|')) continue;
      const key = name.slice('touch|'.length);
      if (this.sum(name, v, asOf) > 0n) balances.set(key, this.sum(key, v, asOf));
    }
    const listed = [...this.loans].filter(([loanId]) => this.sum(touches(`loan|${loanId}`), v, asOf) > 0n);
    // Loans drawn with a dayCount: accrual from the terms and the liquidation waterfall, at read time.
    const terms = this.termLoans.adjust(balances, listed.map(([loanId]) => loanId), asOf, v, this.loanReader);
    const loans: Array<LoanTerms & { readonly drawnAt: number }> = listed.map(([loanId, loan]) => ({
      ...loan.terms,
      ...(terms.has(loanId) ? { annualRate: terms.get(loanId)!.rate } : {}),
      drawnAt: this.effectiveAt[loan.revision]!,
    }));
    const disposedBtc = this.sum(FIFO.disposedBtc, v, asOf);
    const price = this.priceAt(asOf, v);
    return {
      asOf,
      version: v,
      balances,
      loans,
      acquiredBtc: this.sum(FIFO.acquiredBtc, v, asOf),
      acquiredCostUsd: this.sum(FIFO.acquiredCost, v, asOf),
      disposedBtc,
      proceedsUsd: this.sum(FIFO.proceeds, v, asOf),
      relievedCostUsd: this.costOfFirst(disposedBtc, v),
      openingPendingUsd: this.flow('openingPendingUsd', Number.NEGATIVE_INFINITY, asOf, v),
      price: price === undefined ? null : { usdPerBtc: price.usdPerBtc, effectiveAt: price.effectiveAt },
      priceMaxAgeSeconds: this.priceMaxAges.at(v, (r, at) => this.liveAt(r, at)) ?? DEFAULT_PRICE_MAX_AGE_SECONDS,
    };
  }

  /** The FIFO running totals at (asOf, v): what was acquired (sats, cost) and disposed of (sats). */
  fifoTotals(asOf: number, v: number): { readonly acquiredBtc: bigint; readonly acquiredCostUsd: bigint; readonly disposedBtc: bigint } {
    return { acquiredBtc: this.sum(FIFO.acquiredBtc, v, asOf), acquiredCostUsd: this.sum(FIFO.acquiredCost, v, asOf), disposedBtc: this.sum(FIFO.disposedBtc, v, asOf) };
  }

  /** The cost relieved (company-wide FIFO) by every disposal effective at or before asOf, known at v. */
  relievedCostAt(asOf: number, v: number): bigint {
    return this.costOfFirst(this.sum(FIFO.disposedBtc, v, asOf), v);
  }

  /**
   * Open FIFO lots held at (asOf, v): acquisitions after the first D(asOf) satoshis, oldest first. An
   * opening lot queued at its acquiredAt but held only from its effectiveAt is left out until then.
   */
  *openLots(asOf: number, v: number): Generator<LotSlice> {
    const disposed = this.sum(FIFO.disposedBtc, v, asOf);
    for (const slice of this.slices(disposed, undefined, v, asOf)) if (this.effectiveAt[slice.lot.revision]! <= asOf) yield slice;
  }

  /** Disposals with from <= effectiveAt <= to at version v, each with the lot slices it relieved. */
  *disposals(from: number, to: number, v: number): Generator<{ readonly disposal: FifoEntry; readonly relievedCostUsd: bigint; readonly lots: LotSlice[] }> {
    for (const { disposal, relievedCostUsd, before } of this.reliefPoints(from, to, v)) {
      yield { disposal, relievedCostUsd, lots: [...this.slices(before, disposal.btc, v, Number.POSITIVE_INFINITY)] };
    }
  }

  /** The same disposals with the cost each relieved, without listing the lot slices (what the P&L and the journal need). */
  *reliefs(from: number, to: number, v: number): Generator<{ readonly disposal: FifoEntry; readonly relievedCostUsd: bigint }> {
    for (const { disposal, relievedCostUsd } of this.reliefPoints(from, to, v)) yield { disposal, relievedCostUsd };
  }

  /** Disposals in [from, to] at v, each with F(before + btc) − F(before), before = the sats disposed of ahead of it. */
  private *reliefPoints(from: number, to: number, v: number): Generator<{ readonly disposal: FifoEntry; readonly relievedCostUsd: bigint; readonly before: bigint }> {
    const id = this.metricIds.get(FIFO.disposedBtc);
    if (id === undefined) return;
    for (const point of this.sums.pointsFrom(id, v, { effectiveAt: from - 1, order: Number.POSITIVE_INFINITY })) {
      if (point.effectiveAt > to) return;
      const disposal = this.fifoAt(point.order);
      if (disposal === undefined || point.known !== point.order || !this.liveAt(point.order, v)) continue;
      const before = this.sum(FIFO.disposedBtc, v, point.effectiveAt, point.order - 1);
      yield { disposal, relievedCostUsd: this.costOfFirst(before + disposal.btc, v) - this.costOfFirst(before, v), before };
    }
  }

  // Read accessors for the lot methods (libs/projections/src/lots), whose logic lives there.
  /** Known at version v and not taken back by a reversal known at v. */
  isLive(revision: number, v: number): boolean {
    return this.liveAt(revision, v);
  }

  /** The event type and effectiveAt (where its balances move) of a revision. */
  typeOf(revision: number): BookEvent['type'] | undefined {
    return this.types[revision];
  }
  effectiveAtOf(revision: number): number {
    return this.effectiveAt[revision]!;
  }

  /** The FIFO entry of a revision, if it is a lot or a disposal (a lot's effectiveAt is its place in the queue). */
  fifoEntry(revision: number): FifoEntry | undefined {
    return this.fifoAt(revision);
  }

  /** The revisions of the opening lots ever recorded (live or not at a version: ask isLive), in no order. */
  openingLotRevisions(): IterableIterator<number> {
    return this.lotTimes.keys();
  }

  /** A revision's own deltas by metric name (balance keys, and the touch/fifo/flow metrics beside them). */
  deltasOf(revision: number): Array<readonly [name: string, delta: bigint]> {
    const found: Array<readonly [string, bigint]> = [];
    for (let i = this.deltaStart[revision]!; i < this.deltaStart[revision + 1]!; i++) found.push([this.metricNames[this.deltaMetric[i]!]!, this.deltaValue.get(i)]);
    return found;
  }

  /** Walks acquisitions in effective order, skipping the first `skip` sats, for `take` sats (or all up to asOf). */
  private *slices(skip: bigint, take: bigint | undefined, v: number, asOf: number): Generator<LotSlice> {
    const id = this.metricIds.get(FIFO.acquiredBtc);
    if (id === undefined) return;
    let toSkip = skip;
    let toTake = take;
    const start = skip > 0n ? this.sums.firstTimeReaching(id, v, skip) : undefined;
    const from = start === undefined ? undefined : { effectiveAt: start - 1, order: Number.POSITIVE_INFINITY };
    if (start !== undefined) toSkip -= this.sum(FIFO.acquiredBtc, v, start - 1);
    for (const point of this.sums.pointsFrom(id, v, from)) {
      if (point.effectiveAt > asOf || (toTake !== undefined && toTake <= 0n)) return;
      const lot = this.fifoAt(point.order);
      if (lot === undefined || point.known !== point.order || !this.liveAt(point.order, v)) continue;
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
}

