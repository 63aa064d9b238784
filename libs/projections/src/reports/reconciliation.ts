import { formatBtc, formatInstant } from '@treasury/domain';
import type { BookProjection } from '../book/book-projection';
import { positionFrom } from '../book/position';

/** 0.1 BTC: published month-end figures are often rounded to one decimal. */
export const DEFAULT_RECONCILIATION_TOLERANCE_SATS = 10_000_000n;

const abs = (n: bigint) => (n < 0n ? -n : n);

/**
 * Every report known at version v beside the ledger's own figure for the same date (and period), as
 * known at v, with reported − ledger. A line is flagged when any difference exceeds the tolerance.
 */
export const reconciliation = (projection: BookProjection, v: number) => {
  const tolerance = projection.toleranceAt(v) ?? DEFAULT_RECONCILIATION_TOLERANCE_SATS;
  const reports = projection.reportsAt(v).map((report) => {
    const position = positionFrom(projection.raw(report.effectiveAt, v));
    const compare = (reported: bigint | null, ledger: bigint) =>
      reported === null ? null : { reported, ledger, difference: reported - ledger, flagged: abs(reported - ledger) > tolerance };
    const lines = {
      btc: compare(report.btc, position.holdings.btc),
      pledgedBtc: compare(report.pledgedBtc, position.holdings.pledgedBtc),
      minedBtc: compare(report.minedBtc, projection.flow('mined', report.periodStart - 1, report.effectiveAt, v)),
      soldBtc: compare(report.soldBtc, projection.flow('sold', report.periodStart - 1, report.effectiveAt, v)),
    };
    return { report, lines, flagged: Object.values(lines).some((line) => line?.flagged === true) };
  });
  return { tolerance, reports };
};

const lineView = (line: { reported: bigint; ledger: bigint; difference: bigint; flagged: boolean } | null) =>
  line === null ? null : { reported: formatBtc(line.reported), ledger: formatBtc(line.ledger), difference: formatBtc(line.difference), flagged: line.flagged };

export const reconciliationView = (result: ReturnType<typeof reconciliation>, eventIdOf: (revision: number) => string) => ({
  toleranceBtc: formatBtc(result.tolerance),
  flagged: result.reports.filter((r) => r.flagged).length,
  reports: result.reports.map(({ report, lines, flagged }) => ({
    eventId: eventIdOf(report.revision),
    asOf: formatInstant(report.effectiveAt),
    periodStart: formatInstant(report.periodStart),
    source: report.source,
    flagged,
    btc: lineView(lines.btc),
    pledgedBtc: lineView(lines.pledgedBtc),
    minedBtc: lineView(lines.minedBtc),
    soldBtc: lineView(lines.soldBtc),
  })),
});
