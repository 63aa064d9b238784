import { BookEventOf, ReportScope, scopeOf } from '@treasury/domain';

/** A published report as the projection keeps it (few per book): what reconciliation compares. */
export interface ReportRecord {
  readonly revision: number;
  readonly effectiveAt: number;
  readonly periodStart: number;
  readonly source: string;
  readonly btc: bigint;
  readonly pledgedBtc: bigint | null;
  readonly minedBtc: bigint | null;
  readonly soldBtc: bigint | null;
  /** Absent in records (and snapshots) made before scopes: the company. */
  readonly scope?: ReportScope;
  readonly outstandingUsd?: bigint | null;
}

/** A tolerance setting: for one source, or book-wide when `source` is absent (every setting before sources). */
export interface ToleranceRecord {
  readonly revision: number;
  readonly btc: bigint;
  readonly source?: string;
  readonly usd?: bigint;
}

export const reportRecordOf = (event: BookEventOf<'HoldingsReported'>, revision: number): ReportRecord => ({
  revision,
  effectiveAt: event.effectiveAt,
  periodStart: event.periodStart,
  source: event.source,
  btc: event.btc,
  pledgedBtc: event.pledgedBtc ?? null,
  minedBtc: event.minedBtc ?? null,
  soldBtc: event.soldBtc ?? null,
  scope: scopeOf(event),
  outstandingUsd: event.outstandingUsd ?? null,
});

export const toleranceRecordOf = (event: BookEventOf<'ReconciliationToleranceSet'>, revision: number): ToleranceRecord => ({
  revision,
  btc: event.btc,
  ...(event.source === undefined ? {} : { source: event.source }),
  ...(event.usd === undefined ? {} : { usd: event.usd }),
});
