import type { AccountMapping, BookEvent } from '@treasury/domain';
import type { BitemporalSumsSnapshot } from '../bitemporal/bitemporal-sums';
import type { IntegerValues } from '../bitemporal/integer-column';
import type { TermLoanPlan, TermLoans } from '../loans/term-loans';
import type { ReportRecord, ToleranceRecord } from '../reports/report-records';
import type { FifoRecord } from './fifo-plan';
import type { LoanTerms } from './raw-position';
import type { SettingRecord } from './setting-history';

/**
 * The shapes a BookProjection keeps, plans and answers with: its records, its snapshot format, the plan
 * of one event, and the FIFO entries its listings show. The fold itself is in book-projection.ts.
 */

export interface PriceRecord {
  readonly effectiveAt: number;
  readonly revision: number;
  readonly usdPerBtc: bigint;
}

export interface LoanRecord {
  readonly terms: LoanTerms;
  readonly revision: number;
}

/** Everything a BookProjection holds, as typed arrays and small lists: what a snapshot stores. */
export interface BookProjectionSnapshot {
  readonly metricNames: ReadonlyArray<string>;
  readonly touchIds: ReadonlyArray<readonly [metric: number, touch: number]>;
  readonly recordedAt: Float64Array;
  readonly effectiveAt: Float64Array;
  readonly reversedAt: Float64Array;
  readonly eventIds: ReadonlyArray<string>;
  readonly typeCodes: Uint8Array;
  readonly deltaStart: Int32Array;
  readonly deltaMetric: Int32Array;
  readonly deltaValue: IntegerValues;
  readonly fifoKind: Uint8Array;
  readonly fifoBtc: IntegerValues;
  readonly fifoCost: IntegerValues;
  readonly fifoProceeds: IntegerValues;
  readonly prices: ReadonlyArray<PriceRecord>;
  readonly latePrices: ReadonlyArray<PriceRecord>;
  readonly loans: ReadonlyArray<readonly [string, LoanRecord]>;
  readonly reports: ReadonlyArray<ReportRecord>;
  readonly tolerances: ReadonlyArray<ToleranceRecord>;
  /** Absent from snapshots taken before time zones (their books are UTC). */
  readonly timeZone?: string;
  /** Opening lots' acquiredAt by revision; absent from snapshots taken before opening balances (none then). */
  readonly lotTimes?: ReadonlyArray<readonly [revision: number, acquiredAt: number]>;
  /** Absent from snapshots taken before price staleness existed (their logs hold no such setting). */
  readonly priceMaxAges?: ReadonlyArray<SettingRecord<number>>;
  /** Chart-of-accounts overrides (AccountMappingSet); absent from snapshots taken before them (their logs hold none). */
  readonly accountMappings?: ReadonlyArray<SettingRecord<AccountMapping>>;
  readonly sums: BitemporalSumsSnapshot;
  /** Loans drawn with a dayCount (libs/projections/src/loans); absent from snapshots taken before them. */
  readonly termLoans?: ReturnType<TermLoans['toSnapshot']>;
}

/** Everything one event changes, worked out before any of it is committed (see BookProjection.apply). */
export interface ApplyPlan {
  readonly fifo: FifoRecord;
  readonly deltas: ReadonlyArray<readonly [metric: number, delta: bigint]>;
  readonly reversal?: { readonly target: number; readonly negated: ReadonlyArray<readonly [number, bigint]>; readonly lotAt?: LotPoint };
  /** An opening lot sits in the FIFO queue at its acquiredAt, apart from its balances (fifo-plan.ts). */
  readonly lotAt?: LotPoint;
  readonly price?: PriceRecord;
  readonly report?: ReportRecord;
  readonly tolerance?: ToleranceRecord;
  readonly priceMaxAge?: SettingRecord<number>;
  readonly accountMapping?: SettingRecord<AccountMapping>;
  readonly loan?: readonly [string, LoanRecord];
  readonly termLoan?: TermLoanPlan;
}

export interface LotPoint {
  readonly time: number;
  readonly deltas: ReadonlyArray<readonly [metric: number, delta: bigint]>;
}

/** An acquisition or a disposal as the FIFO listings show it. */
export interface FifoEntry {
  /** A lot (mining output) or a disposal (sale, liquidation, network fee); a lot can cost 0.00. */
  readonly kind: 'lot' | 'disposal';
  readonly eventId: string;
  readonly type: BookEvent['type'];
  readonly effectiveAt: number;
  readonly revision: number;
  readonly btc: bigint;
  readonly costUsd: bigint;
  readonly proceedsUsd: bigint;
}

/** One event's part in a figure. */
export interface EventContribution {
  readonly revision: number;
  readonly eventId: string;
  readonly type: BookEvent['type'];
  readonly effectiveAt: number;
  readonly recordedAt: number;
  readonly amount: bigint;
}

export interface LotSlice {
  readonly lot: FifoEntry;
  /** Satoshis of the lot this slice covers, and their cost. */
  readonly btc: bigint;
  readonly costUsd: bigint;
}
