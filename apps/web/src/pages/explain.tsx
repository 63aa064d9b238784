import { bookPath, get } from '../api';
import { groupDigits } from '../logic';
import { href } from '../route';
import type { Book } from '../types';
import { cutOf } from './position';
import { Failure, useAnswer } from './use-answer';

const PAGE = 50;

interface Contribution {
  readonly eventId: string;
  readonly revision: number;
  readonly type: string;
  readonly effectiveAt: string;
  readonly recordedAt: string;
  readonly amount: string;
  readonly runningTotal?: string;
}

interface Explanation {
  readonly figure: string;
  readonly unit: string;
  readonly kind: 'sum' | 'observation' | 'formula';
  readonly value: string | null;
  readonly asOf: string;
  readonly knownAt: string;
  readonly count?: number;
  readonly contributions?: ReadonlyArray<Contribution>;
  readonly next?: number | null;
  readonly source?: Contribution | null;
  readonly formula?: string;
  readonly inputs?: ReadonlyArray<{ readonly figure: string; readonly unit: string; readonly value: string | null }>;
}

const EventRows = ({ rows, book }: { rows: ReadonlyArray<Contribution>; book: Book }) => (
  <table class="data">
    <caption class="sr-only">Contributing events</caption>
    <thead>
      <tr>
        <th scope="col">Rev.</th>
        <th scope="col">Type</th>
        <th scope="col">Effective</th>
        <th scope="col">Recorded</th>
        <th scope="col" class="num">
          Amount
        </th>
        <th scope="col" class="num">
          Running total
        </th>
      </tr>
    </thead>
    <tbody>
      {rows.map((c) => (
        <tr key={`${c.eventId}-${c.revision}`} data-event={c.eventId}>
          <td>
            <a href={href('audit', { event: c.eventId, book: book.bookId })}>{c.revision}</a>
          </td>
          <td>{c.type}</td>
          <td>{c.effectiveAt}</td>
          <td>{c.recordedAt}</td>
          <td class="num">{groupDigits(c.amount)}</td>
          <td class="num">{c.runningTotal === undefined ? '' : groupDigits(c.runningTotal)}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** The events (or the observation, or the formula's inputs) behind one figure, paged. */
export const ExplainPage = ({ book, params }: { book: Book; params: URLSearchParams }) => {
  const cut = cutOf(params);
  const figure = params.get('figure') ?? '';
  const after = params.get('after') ?? '0';
  const key = `${book.bookId}|${figure}|${cut.asOf}|${cut.knownAt}|${after}`;
  const answer = useAnswer(key, () =>
    get<Explanation>(bookPath(book.bookId, 'position/explain'), {
      figure,
      asOf: cut.asOf,
      knownAt: cut.knownAt,
      after,
      limit: String(PAGE),
    }),
  );
  const link = (extra: Record<string, string | undefined>) => href('explain', { figure, asOf: cut.asOf, knownAt: cut.knownAt, ...extra });
  return (
    <section class="explain" aria-labelledby="h-explain">
      <p>
        <a href={href('position', { asOf: cut.asOf, knownAt: cut.knownAt })}>← Back to the position</a>
      </p>
      <h1 id="h-explain">
        Explain <code>{figure}</code>
      </h1>
      {answer.state === 'failed' && <Failure error={answer.error} />}
      {answer.state === 'loading' && <p class="loading">Loading…</p>}
      {answer.state === 'ready' && (
        <div data-state="ready">
          <p class="big">
            {answer.value.value === null ? '—' : groupDigits(answer.value.value)} <span class="muted">{answer.value.unit}</span>
          </p>
          <p class="muted">
            As of {answer.value.asOf}, as known at {answer.value.knownAt};{' '}
            {answer.value.kind === 'sum'
              ? `the sum of ${answer.value.count ?? 0} events`
              : answer.value.kind === 'observation'
                ? 'an observation'
                : 'a formula'}
            .
          </p>
          {answer.value.kind === 'sum' && answer.value.contributions !== undefined && (
            <>
              <EventRows rows={answer.value.contributions} book={book} />
              <nav class="pager" aria-label="Contribution pages">
                {Number(after) > 0 && <a href={link({ after: String(Math.max(0, Number(after) - PAGE)) })}>Previous {PAGE}</a>}
                {answer.value.next !== null && answer.value.next !== undefined && (
                  <a href={link({ after: String(answer.value.next) })}>Next {PAGE}</a>
                )}
              </nav>
            </>
          )}
          {answer.value.kind === 'observation' &&
            (answer.value.source === null || answer.value.source === undefined ? (
              <p>No observation at this date.</p>
            ) : (
              <EventRows rows={[answer.value.source]} book={book} />
            ))}
          {answer.value.kind === 'formula' && (
            <>
              <p>
                <code>{answer.value.formula}</code>
              </p>
              <ul class="inputs">
                {(answer.value.inputs ?? []).map((input) => (
                  <li key={input.figure}>
                    <a href={href('explain', { figure: input.figure, asOf: cut.asOf, knownAt: cut.knownAt })}>{input.figure}</a> ={' '}
                    {input.value === null ? '—' : groupDigits(input.value)} {input.unit}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
};
