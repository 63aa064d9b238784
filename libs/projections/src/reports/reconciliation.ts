import { ReportScope } from '@treasury/domain';
import type { BookProjection } from '../book/book-projection';
import { positionFrom } from '../book/position';
import type { ReportRecord, ToleranceRecord } from './report-records';

/** 0.1 BTC: published month-end figures are often rounded to one decimal. */
export const DEFAULT_RECONCILIATION_TOLERANCE_SATS = 10_000_000n;
/** $1.00: for USD lines (a lender's outstanding), when no setting names a USD tolerance. */
export const DEFAULT_RECONCILIATION_TOLERANCE_CENTS = 100n;

const abs = (n: bigint) => (n < 0n ? -n : n);

/** The tolerance a report is held to, and where it came from (a setting's revision, or the default). */
export interface AppliedTolerance {
  /** The source the setting names, or null for a book-wide setting (or the default). */
  readonly source: string | null;
  readonly btc: bigint;
  readonly usd: bigint;
  readonly revision: number | null;
}

/**
 * The most specific live setting: the last one for the report's source, else the last book-wide one,
 * else the defaults. A setting without `usd` leaves USD lines at the default.
 */
export const toleranceFor = (settings: ReadonlyArray<ToleranceRecord>, source: string | null): AppliedTolerance => {
  const last = (match: (t: ToleranceRecord) => boolean) => [...settings].reverse().find(match);
  const setting = (source === null ? undefined : last((t) => t.source === source)) ?? last((t) => t.source === undefined);
  if (setting === undefined)
    return { source: null, btc: DEFAULT_RECONCILIATION_TOLERANCE_SATS, usd: DEFAULT_RECONCILIATION_TOLERANCE_CENTS, revision: null };
  return {
    source: setting.source ?? null,
    btc: setting.btc,
    usd: setting.usd ?? DEFAULT_RECONCILIATION_TOLERANCE_CENTS,
    revision: setting.revision,
  };
};

export interface Line {
  readonly reported: bigint;
  readonly ledger: bigint;
  readonly difference: bigint;
  readonly flagged: boolean;
}

/** The ledger's figures for a report's scope at its date, as known at the version. */
const ledgerFor = (projection: BookProjection, report: ReportRecord, version: number) => {
  const position = positionFrom(projection.raw(report.effectiveAt, version));
  const scope: ReportScope = report.scope ?? 'company';
  if (scope === 'company') {
    return {
      btc: position.holdings.btc,
      pledgedBtc: position.holdings.pledgedBtc,
      minedBtc: projection.flow('mined', report.periodStart - 1, report.effectiveAt, version),
      soldBtc: projection.flow('sold', report.periodStart - 1, report.effectiveAt, version),
      outstandingUsd: null,
    };
  }
  if ('wallet' in scope) {
    const wallet = position.holdings.wallets.get(scope.wallet);
    return { btc: wallet?.btc ?? 0n, pledgedBtc: wallet?.pledgedBtc ?? 0n, minedBtc: null, soldBtc: null, outstandingUsd: null };
  }
  // A loan that is closed (or not listed) at that date has nothing pledged and owes nothing.
  const loan = position.loans.get(scope.loanId);
  return { btc: loan?.pledgedBtc ?? 0n, pledgedBtc: null, minedBtc: null, soldBtc: null, outstandingUsd: loan?.outstandingUsd ?? 0n };
};

/**
 * Every report known at version (with its event's id) beside the ledger's own figures for the same
 * scope and date (and period), as known at the version, with reported − ledger (values: the API's view,
 * apps/api/src/reports/reconciliation.view.ts, formats them). A line is flagged when its difference exceeds the
 * tolerance that applies to the report's source (BTC lines in BTC, USD lines in USD).
 */
export const reconciliation = (projection: BookProjection, version: number) => {
  const settings = projection.tolerancesAt(version);
  const reports = projection.reportsAt(version).map((report) => {
    const tolerance = toleranceFor(settings, report.source);
    const ledger = ledgerFor(projection, report, version);
    const compare = (reported: bigint | null | undefined, ledgerFigure: bigint | null, limit: bigint): Line | null =>
      reported === null || reported === undefined || ledgerFigure === null
        ? null
        : { reported, ledger: ledgerFigure, difference: reported - ledgerFigure, flagged: abs(reported - ledgerFigure) > limit };
    const lines = {
      btc: compare(report.btc, ledger.btc, tolerance.btc),
      pledgedBtc: compare(report.pledgedBtc, ledger.pledgedBtc, tolerance.btc),
      minedBtc: compare(report.minedBtc, ledger.minedBtc, tolerance.btc),
      soldBtc: compare(report.soldBtc, ledger.soldBtc, tolerance.btc),
      outstandingUsd: compare(report.outstandingUsd, ledger.outstandingUsd, tolerance.usd),
    };
    return {
      report,
      eventId: projection.eventIdAt(report.revision),
      tolerance,
      /** The event that set the tolerance applied; null for the default. */
      toleranceSetBy: tolerance.revision === null ? null : projection.eventIdAt(tolerance.revision),
      lines,
      flagged: Object.values(lines).some((line) => line?.flagged === true),
    };
  });
  return { tolerance: toleranceFor(settings, null), reports };
};
export type Reconciliation = ReturnType<typeof reconciliation>;
