import { formatBtc, formatInstant, formatUsd } from '@treasury/domain';
import type { ReconciliationFound } from '@treasury/application';
import type { Line, Reconciliation } from '@treasury/projections';

const lineView = (line: Line | null, format: (n: bigint) => string) =>
  line === null
    ? null
    : { reported: format(line.reported), ledger: format(line.ledger), difference: format(line.difference), flagged: line.flagged };

/** Each report beside the ledger: BTC at 8 decimals, USD at 2, null for a line the report does not give. */
export const reconciliationView = (result: Reconciliation) => ({
  /** The book-wide tolerance (what applies to a source with no setting of its own). */
  toleranceBtc: formatBtc(result.tolerance.btc),
  toleranceUsd: formatUsd(result.tolerance.usd),
  flagged: result.reports.filter((r) => r.flagged).length,
  reports: result.reports.map(({ report, eventId, tolerance, toleranceSetBy, lines, flagged }) => ({
    eventId,
    asOf: formatInstant(report.effectiveAt),
    periodStart: formatInstant(report.periodStart),
    source: report.source,
    scope: report.scope ?? 'company',
    flagged,
    tolerance: { source: tolerance.source, btc: formatBtc(tolerance.btc), usd: formatUsd(tolerance.usd), setBy: toleranceSetBy },
    btc: lineView(lines.btc, formatBtc),
    pledgedBtc: lineView(lines.pledgedBtc, formatBtc),
    minedBtc: lineView(lines.minedBtc, formatBtc),
    soldBtc: lineView(lines.soldBtc, formatBtc),
    outstandingUsd: lineView(lines.outstandingUsd, formatUsd),
  })),
});

/** GET /reconciliation: which book and cut, then the reports beside the ledger. */
export const reconciliationAnswer = ({ bookId, knownAt, revision, reconciliation }: ReconciliationFound) => ({
  bookId,
  knownAt,
  revision,
  ...reconciliationView(reconciliation),
});
