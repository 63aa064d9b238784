import { formatInstant, formatUsd } from '@treasury/domain';
import type { JournalFound } from '@treasury/application';
import { neutraliseFormula } from '../events/events-csv';

/** The journal as JSON: amounts as decimal strings (cents at full scale), instants as ISO-8601. */
export const journalView = ({ bookId, from, to, knownAt, revision, method, timeZone, journal }: JournalFound) => {
  let debit = 0n;
  let credit = 0n;
  for (const period of journal.periods) {
    debit += period.debitUsd;
    credit += period.creditUsd;
  }
  return {
    bookId,
    from: formatInstant(from),
    to: formatInstant(to),
    knownAt: formatInstant(knownAt),
    revision,
    method,
    timeZone,
    entries: journal.entries.map((entry) => ({
      entryId: entry.entryId,
      date: formatInstant(entry.date),
      eventId: entry.eventId,
      type: entry.type,
      reference: entry.reference ?? null,
      memo: entry.memo ?? null,
      interim: entry.interim ?? false,
      lines: entry.lines.map((line) => ({
        account: line.account.code,
        accountName: line.account.name ?? null,
        debitUsd: formatUsd(line.debitUsd),
        creditUsd: formatUsd(line.creditUsd),
        memo: line.memo ?? null,
      })),
    })),
    periods: journal.periods.map((p) => ({
      period: p.period,
      from: formatInstant(p.start),
      to: formatInstant(p.end),
      entries: p.entries,
      debitUsd: formatUsd(p.debitUsd),
      creditUsd: formatUsd(p.creditUsd),
    })),
    accounts: journal.accounts.map((a) => ({
      account: a.account.code,
      accountName: a.account.name ?? null,
      openingUsd: formatUsd(a.openingUsd),
      debitUsd: formatUsd(a.debitUsd),
      creditUsd: formatUsd(a.creditUsd),
      closingUsd: formatUsd(a.closingUsd),
    })),
    totals: { debitUsd: formatUsd(debit), creditUsd: formatUsd(credit) },
  };
};

const COLUMNS = [
  'entryId',
  'date',
  'eventId',
  'type',
  'account',
  'accountName',
  'debit',
  'credit',
  'memo',
  'reference',
  'interim',
] as const;
export const JOURNAL_CSV_HEADER = `${COLUMNS.join(',')}\r\n`;

/** RFC 4180 with formula cells neutralised (events-csv.ts): text from the log can start with "=". */
const cell = (value: string | null | undefined): string => {
  const text = value === null || value === undefined ? '' : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One row per line, ready for an ERP's journal import: the entry's fields repeated on each of its lines. */
export const journalCsv = (answer: JournalFound): string => {
  const rows: string[] = [JOURNAL_CSV_HEADER];
  for (const entry of answer.journal.entries) {
    const date = formatInstant(entry.date);
    for (const line of entry.lines) {
      const memo = line.memo ?? entry.memo;
      rows.push(
        `${[entry.entryId, date, entry.eventId, entry.type, line.account.code, line.account.name, formatUsd(line.debitUsd), formatUsd(line.creditUsd), memo, entry.reference, entry.interim ? 'true' : 'false'].map(cell).join(',')}\r\n`,
      );
    }
  }
  return rows.join('');
};
