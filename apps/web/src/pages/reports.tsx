import { useState } from 'preact/hooks';
import { bookPath, get } from '../api';
import { dateIn, groupDigits } from '../logic';
import type { Book } from '../types';
import { Failure, useAnswer } from './use-answer';

type Row = Readonly<Record<string, string | null | Readonly<Record<string, string | null>>>>;

const BTC_COLUMNS: ReadonlyArray<[string, string]> = [
  ['openingBtc', 'Opening BTC'],
  ['minedBtc', 'Mined'],
  ['purchasedBtc', 'Purchased'],
  ['soldBtc', 'Sold'],
  ['paidBtc', 'Paid'],
  ['liquidatedBtc', 'Liquidated'],
  ['closingBtc', 'Closing BTC'],
  ['pledgedBtc', 'Pledged'],
  ['usdPerBtc', 'Price'],
  ['cashUsd', 'Cash'],
  ['totalDebtUsd', 'Debt'],
  ['availableLiquidityUsd', 'Liquidity'],
];
const USD_COLUMNS: ReadonlyArray<[string, string]> = [
  ['openingFairValueUsd', 'Opening fair value'],
  ['additionsUsd', 'Additions'],
  ['proceedsUsd', 'Proceeds'],
  ['realizedGainUsd', 'Realized gain'],
  ['unrealizedChangeUsd', 'Unrealized change'],
  ['closingFairValueUsd', 'Closing fair value'],
  ['rollforwardCheckUsd', 'Check'],
];

const cell = (value: unknown) => (typeof value === 'string' ? groupDigits(value) : '—');

const MonthEnd = ({ book }: { book: Book }) => {
  const thisMonth = dateIn(Date.now(), book.timeZone).slice(0, 7);
  const opened = book.openedAt.slice(0, 7);
  const [range, setRange] = useState({ from: opened, to: thisMonth });
  const key = `${book.bookId}|${range.from}|${range.to}`;
  const answer = useAnswer(key, () => get<{ months: Row[] }>(bookPath(book.bookId, 'reports/month-end'), range));
  const change = (name: 'from' | 'to') => (e: Event) => setRange({ ...range, [name]: (e.target as HTMLInputElement).value });
  return (
    <section aria-labelledby="h-month-end">
      <h2 id="h-month-end">Month-end report</h2>
      <div class="filters">
        <label>
          From month <input type="month" value={range.from} onChange={change('from')} />
        </label>
        <label>
          To month <input type="month" value={range.to} onChange={change('to')} />
        </label>
      </div>
      {answer.state === 'failed' && <Failure error={answer.error} />}
      {answer.state === 'ready' && (
        <div class="scroll">
          <table class="data" data-report="month-end">
            <caption>BTC roll-forward and month-end figures; then the USD roll-forward at fair value</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                {[...BTC_COLUMNS, ...USD_COLUMNS].map(([, label]) => (
                  <th scope="col" class="num" key={label}>
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {answer.value.months.map((m) => {
                const usd = (m.usd ?? {}) as Readonly<Record<string, string | null>>;
                return (
                  <tr key={String(m.month)}>
                    <th scope="row">{String(m.month)}</th>
                    {BTC_COLUMNS.map(([name]) => (
                      <td class="num" key={name}>
                        {cell(m[name])}
                      </td>
                    ))}
                    {USD_COLUMNS.map(([name]) => (
                      <td class="num" key={name}>
                        {cell(usd[name])}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};

interface Compared {
  readonly reported: string;
  readonly ledger: string;
  readonly difference: string;
  readonly flagged: boolean;
}

interface Report {
  readonly eventId: string;
  readonly asOf: string;
  readonly source: string;
  readonly scope: string | Readonly<Record<string, string>>;
  readonly flagged: boolean;
  readonly [figure: string]: Compared | null | string | boolean | Readonly<Record<string, string>>;
}

const FIGURES: ReadonlyArray<[string, string]> = [
  ['btc', 'BTC held'],
  ['pledgedBtc', 'Pledged BTC'],
  ['minedBtc', 'Mined BTC'],
  ['soldBtc', 'Sold BTC'],
  ['outstandingUsd', 'Loans outstanding'],
];

const Reconciliation = ({ book }: { book: Book }) => {
  const answer = useAnswer(book.bookId, () =>
    get<{ flagged: number; toleranceBtc: string; reports: Report[] }>(bookPath(book.bookId, 'reconciliation')),
  );
  return (
    <section aria-labelledby="h-reconciliation">
      <h2 id="h-reconciliation">Reconciliation</h2>
      {answer.state === 'failed' && <Failure error={answer.error} />}
      {answer.state === 'ready' && (
        <>
          <p>
            {answer.value.reports.length} published reports beside the ledger; <strong>{answer.value.flagged} flagged</strong> beyond the
            tolerance ({answer.value.toleranceBtc} BTC).
          </p>
          <table class="data" data-report="reconciliation">
            <caption class="sr-only">Published figures against the ledger</caption>
            <thead>
              <tr>
                <th scope="col">As of</th>
                <th scope="col">Source</th>
                <th scope="col">Figure</th>
                <th scope="col" class="num">
                  Reported
                </th>
                <th scope="col" class="num">
                  Ledger
                </th>
                <th scope="col" class="num">
                  Difference
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {answer.value.reports.flatMap((report) =>
                FIGURES.filter(([name]) => report[name] !== null && typeof report[name] === 'object').map(([name, label]) => {
                  const c = report[name] as Compared;
                  return (
                    <tr key={`${report.eventId}-${name}`} class={c.flagged ? 'flagged' : undefined} data-flagged={String(c.flagged)}>
                      <td>{report.asOf}</td>
                      <td>
                        {report.source}{' '}
                        <span class="muted">({typeof report.scope === 'string' ? report.scope : JSON.stringify(report.scope)})</span>
                      </td>
                      <td>{label}</td>
                      <td class="num">{groupDigits(c.reported)}</td>
                      <td class="num">{groupDigits(c.ledger)}</td>
                      <td class="num">{groupDigits(c.difference)}</td>
                      <td>{c.flagged ? <strong>⚠ Flagged</strong> : 'within tolerance'}</td>
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
};

export const ReportsPage = ({ book }: { book: Book; canAudit: boolean }) => (
  <>
    <h1>
      {book.name} <span class="muted">month-end and reconciliation</span>
    </h1>
    <Reconciliation book={book} />
    <MonthEnd book={book} />
  </>
);
