import { AccountMapping, BookEvent, UTC } from '@treasury/domain';
import { BitemporalSums } from '../bitemporal/bitemporal-sums';
import { IntegerColumn } from '../bitemporal/integer-column';
import { TermLoans } from '../loans/term-loans';
import type { ReportRecord, ToleranceRecord } from '../reports/report-records';
import type { LoanRecord, PriceRecord } from './book-projection.records';
import { SettingHistory } from './setting-history';

/**
 * Everything one BookProjection holds. The fold (book-projection.ts) appends to it, the FIFO reads
 * (fifo-index.ts) and the price index (price-index.ts) read it, and the snapshot format
 * (book-projection.snapshot.ts) writes and restores it. One entry per revision, column by column: a
 * million-event book keeps no object per event, which keeps folding fast and GC pauses short.
 */
export interface BookColumns {
  sums: BitemporalSums;
  readonly metricIds: Map<string, number>;
  readonly metricNames: string[];
  /** The touch metric of each balance metric, by metric id, so apply looks a key up only once. */
  readonly touchIds: number[];
  /** recordedAt by revision: non-decreasing, so knownAt -> version is a binary search. */
  recordedAt: number[];
  effectiveAt: number[];
  eventIds: string[];
  types: Array<BookEvent['type']>;
  /** The revision of the reversal that took the event back, or +Infinity. */
  reversedAt: number[];
  /** Each revision's balance deltas, kept to negate them on reversal: [deltaStart[r], deltaStart[r+1]). */
  deltaStart: number[];
  deltaMetric: number[];
  deltaValue: IntegerColumn;
  fifoKind: number[];
  fifoBtc: IntegerColumn;
  fifoCost: IntegerColumn;
  fifoProceeds: IntegerColumn;
  /** Opening lots: their place in the FIFO queue (acquiredAt), which is not their effectiveAt. */
  lotTimes: Map<number, number>;
  readonly revisionOf: Map<string, number>;
  /** Prices in effective order as they arrived, and the (few) back-dated ones kept sorted apart. */
  prices: PriceRecord[];
  latePrices: PriceRecord[];
  readonly loans: Map<string, LoanRecord>;
  /** Published figures to reconcile against, and the tolerance settings, in revision order (few). */
  reports: ReportRecord[];
  tolerances: ToleranceRecord[];
  /** The book's time zone, from its BookOpened (none: UTC). */
  timeZone: string;
  priceMaxAges: SettingHistory<number>;
  /** Chart-of-accounts overrides (set-account-mapping), in revision order. */
  accountMappings: SettingHistory<AccountMapping>;
  /** Loans accruing from their terms, with their liquidation waterfalls (libs/projections/src/loans). */
  termLoans: TermLoans;
}

export const emptyColumns = (): BookColumns => ({
  sums: new BitemporalSums(),
  metricIds: new Map(),
  metricNames: [],
  touchIds: [],
  recordedAt: [],
  effectiveAt: [],
  eventIds: [],
  types: [],
  reversedAt: [],
  deltaStart: [0],
  deltaMetric: [],
  deltaValue: new IntegerColumn(),
  fifoKind: [],
  fifoBtc: new IntegerColumn(),
  fifoCost: new IntegerColumn(),
  fifoProceeds: new IntegerColumn(),
  lotTimes: new Map(),
  revisionOf: new Map(),
  prices: [],
  latePrices: [],
  loans: new Map(),
  reports: [],
  tolerances: [],
  timeZone: UTC,
  priceMaxAges: new SettingHistory<number>(),
  accountMappings: new SettingHistory<AccountMapping>(),
  termLoans: new TermLoans(),
});

/** Live at version: known, and not taken back by a reversal known at the version. */
export const liveAt = (c: BookColumns, revision: number, version: number): boolean =>
  revision < version && !(c.reversedAt[revision]! < version);

/** A metric's sum over points with key <= (asOf, order) known at the version; 0 for a metric never seen. */
export const sumOf = (c: BookColumns, name: string, version: number, asOf: number, order = Number.POSITIVE_INFINITY): bigint => {
  const id = c.metricIds.get(name);
  return id === undefined ? 0n : c.sums.sum(id, version, asOf, order);
};
