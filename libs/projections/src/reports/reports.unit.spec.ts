import { deserialize, serialize } from 'node:v8';
import { BookEvent, RecordedBookEvent } from '@treasury/domain';
import { BookProjection, BookProjectionSnapshot } from '../book/book-projection';
import { RecordedBook } from '../testing/recorded-book';
import { monthEndReport, reportMonths } from './month-end';
import { reconciliation } from './reconciliation';

const at = Date.parse;
const BTC = 100_000_000n;

/** Events as a log written before time zones, scopes and tolerance sources holds them (no new fields). */
const oldLog = (): RecordedBookEvent[] => {
  const events: BookEvent[] = [
    { type: 'BookOpened', effectiveAt: at('2025-06-01T00:00:00Z'), name: 'Old' },
    // An old log may hold an event effective before the book opened (the rule did not exist).
    { type: 'MiningOutputReceived', effectiveAt: at('2025-05-20T00:00:00Z'), wallet: 'cold', btc: 5n * BTC, usdPerBtc: 10_000_000n },
    { type: 'MiningOutputReceived', effectiveAt: at('2025-06-15T00:00:00Z'), wallet: 'cold', btc: 10n * BTC, usdPerBtc: 10_000_000n },
    {
      type: 'HoldingsReported',
      effectiveAt: at('2025-06-30T23:59:59Z'),
      btc: 15n * BTC + 5_000_000n,
      periodStart: at('2025-06-01T00:00:00Z'),
      source: 'custodian-statement',
      minedBtc: 10n * BTC,
    },
    { type: 'ReconciliationToleranceSet', effectiveAt: at('2025-07-02T00:00:00Z'), btc: 1_000_000n },
  ];
  return events.map((event, revision) => ({
    eventId: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    revision,
    recordedAt: at('2025-07-01T00:00:00Z') + revision,
    event,
  }));
};
const fold = (events: ReadonlyArray<RecordedBookEvent>) => {
  const projection = new BookProjection();
  for (const event of events) projection.apply(event);
  return projection;
};

describe('reports on a log written before calendars and scopes', () => {
  it('reads it as a UTC book, company reports and one book-wide tolerance: the same figures as before', () => {
    const projection = fold(oldLog());
    expect(projection.calendar()).toEqual({
      timeZone: 'UTC',
      openedAt: at('2025-06-01T00:00:00Z'),
      firstRecordedAt: at('2025-07-01T00:00:00Z'),
    });
    const result = reconciliation(projection, 5);
    expect(result.tolerance.btc).toBe(1_000_000n);
    expect(result.reports.filter((r) => r.flagged)).toHaveLength(1);
    expect(result.reports[0]).toMatchObject({
      eventId: '00000000-0000-4000-8000-000000000003',
      report: { periodStart: at('2025-06-01T00:00:00Z') },
      lines: {
        btc: { reported: 15n * BTC + 5_000_000n, ledger: 15n * BTC, difference: 5_000_000n, flagged: true },
        minedBtc: { ledger: 10n * BTC, flagged: false },
      },
      tolerance: { source: null, btc: 1_000_000n },
      toleranceSetBy: '00000000-0000-4000-8000-000000000004',
    });
    // Known before the setting: the 0.1 BTC default, as before.
    expect(reconciliation(projection, 4).reports[0]).toMatchObject({
      flagged: false,
      tolerance: { btc: 10_000_000n },
      toleranceSetBy: null,
    });
  });

  it('starts the month-end report at the opening month, carrying an event before the opening in its opening balance', () => {
    const projection = fold(oldLog());
    const calendar = projection.calendar()!;
    const range = reportMonths({ year: 2025, month: 1 }, { year: 2025, month: 7 }, calendar)!;
    expect(range.firstMonth).toEqual({ year: 2025, month: 6 });
    const rows = monthEndReport(projection, range.months!, 5);
    expect(rows.map((r) => [r.month, r.openingBtc, r.minedBtc, r.closingBtc, r.rollforwardCheckBtc])).toEqual([
      ['2025-06', 5n * BTC, 10n * BTC, 15n * BTC, 0n],
      ['2025-07', 15n * BTC, 0n, 15n * BTC, 0n],
    ]);
    expect(reportMonths({ year: 2025, month: 1 }, { year: 2025, month: 5 }, calendar)).toBeUndefined();
  });

  it('restores a snapshot taken before time zones as UTC, and keeps a zone through a snapshot', () => {
    const projection = fold(oldLog());
    const { timeZone: _dropped, ...older } = projection.toSnapshot();
    expect(BookProjection.fromSnapshot(deserialize(serialize(older)) as BookProjectionSnapshot).calendar()?.timeZone).toBe('UTC');
    const zurich = new RecordedBook();
    zurich.record('2025-07-01T00:00:00Z', 'open-book', { name: 'Z', effectiveAt: '2025-06-30T22:00:00Z', timeZone: 'Europe/Zurich' });
    const restored = BookProjection.fromSnapshot(deserialize(serialize(zurich.projection().toSnapshot())) as BookProjectionSnapshot);
    expect(restored.calendar()?.timeZone).toBe('Europe/Zurich');
  });
});

describe('a Europe/Zurich month end', () => {
  it('closes October at 23:59:59.999 local (22:59:59.999Z after the DST change), November starting at local midnight', () => {
    const book = new RecordedBook();
    book.record('2025-10-01T00:00:00Z', 'open-book', { name: 'Z', effectiveAt: '2025-09-30T22:00:00Z', timeZone: 'Europe/Zurich' });
    book.record('2025-11-02T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2025-09-30T22:00:00Z',
      wallet: 'cold',
      btc: '1',
      usdPerBtc: '100000',
    });
    book.record('2025-11-02T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2025-10-31T22:59:59.999Z',
      wallet: 'cold',
      btc: '2',
      usdPerBtc: '100000',
    });
    book.record('2025-11-02T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2025-10-31T23:00:00Z',
      wallet: 'cold',
      btc: '4',
      usdPerBtc: '100000',
    });
    const projection = book.projection();
    const { months } = reportMonths({ year: 2025, month: 10 }, { year: 2025, month: 11 }, projection.calendar()!)!;
    expect(months).toEqual([
      { label: '2025-10', start: at('2025-09-30T22:00:00Z'), end: at('2025-10-31T22:59:59.999Z') },
      { label: '2025-11', start: at('2025-10-31T23:00:00Z'), end: at('2025-11-30T22:59:59.999Z') },
    ]);
    expect(monthEndReport(projection, months!, 4).map((r) => [r.minedBtc, r.closingBtc])).toEqual([
      [3n * BTC, 3n * BTC],
      [4n * BTC, 7n * BTC],
    ]);
  });
});

describe('scoped reconciliation rows', () => {
  const book = new RecordedBook();
  book.record('2025-06-01T00:00:00Z', 'open-book', { name: 'S', effectiveAt: '2025-06-01T00:00:00Z' });
  book.record('2025-06-02T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2025-06-02T00:00:00Z',
    wallet: 'cold',
    btc: '50',
    usdPerBtc: '100000',
  });
  book.record('2025-06-02T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2025-06-02T00:00:00Z',
    wallet: 'hot',
    btc: '7',
    usdPerBtc: '100000',
  });
  book.record('2025-06-03T00:00:00Z', 'draw-loan', {
    effectiveAt: '2025-06-03T00:00:00Z',
    loanId: 'L',
    lender: 'B',
    principalUsd: '2000',
    annualRate: '0',
    marginCallLtv: '0.7',
    liquidationLtv: '0.85',
  });
  book.record('2025-06-03T00:00:00Z', 'pledge-collateral', { effectiveAt: '2025-06-03T00:00:00Z', loanId: 'L', wallet: 'cold', btc: '20' });
  book.record('2025-06-04T00:00:00Z', 'repay-loan', { effectiveAt: '2025-06-04T00:00:00Z', loanId: 'L', principalUsd: '500' });
  book.record('2025-07-01T00:00:00Z', 'record-reported-holdings', {
    effectiveAt: '2025-06-30T23:59:59Z',
    btc: '50',
    pledgedBtc: '19',
    source: 'custodian-statement',
    scope: { wallet: 'cold' },
  });
  book.record('2025-07-01T00:00:00Z', 'record-reported-holdings', {
    effectiveAt: '2025-06-30T23:59:59Z',
    btc: '7',
    source: 'custodian-statement',
    scope: { wallet: 'nowhere' },
  });
  book.record('2025-07-01T00:00:00Z', 'record-reported-holdings', {
    effectiveAt: '2025-06-30T23:59:59Z',
    btc: '20',
    outstandingUsd: '1501.00',
    source: 'lender-statement',
    scope: { loanId: 'L' },
  });
  // The lender's statement dated before the repayment: the ledger at that date owed 2,000.00.
  book.record('2025-07-01T00:00:00Z', 'record-reported-holdings', {
    effectiveAt: '2025-06-03T12:00:00Z',
    btc: '20',
    outstandingUsd: '2000.00',
    source: 'lender-statement',
    scope: { loanId: 'L' },
  });
  const projection = book.projection();

  it('compares a wallet statement with the wallet, an unknown wallet with zero, a loan statement with its pledge and outstanding', () => {
    const result = reconciliation(projection, projection.revision + 1);
    const [cold, nowhere, lateLender, earlyLender] = [...result.reports].sort((a, b) => a.report.revision - b.report.revision);
    expect(cold!.lines).toMatchObject({
      btc: { ledger: 50n * BTC, difference: 0n },
      pledgedBtc: { ledger: 20n * BTC, difference: -BTC, flagged: true },
      minedBtc: null,
    });
    expect(nowhere!.lines.btc).toMatchObject({ ledger: 0n, difference: 7n * BTC, flagged: true });
    expect(lateLender!.lines).toMatchObject({
      btc: { ledger: 20n * BTC, flagged: false },
      outstandingUsd: { ledger: 150_000n, difference: 100n, flagged: false },
      pledgedBtc: null,
    });
    expect(earlyLender!.lines.outstandingUsd).toMatchObject({ ledger: 200_000n, difference: 0n });
  });
});
