import { useEffect, useState } from 'preact/hooks';
import { bookPath, get } from '../api';
import { eventTypes, openApi } from '../openapi';
import { href, navigate } from '../route';
import type { Book, StoredEvent } from '../types';
import { Failure, useAnswer } from './use-answer';

const PAGE = 20;
const FILTERS = ['type', 'effectiveFrom', 'effectiveTo', 'recordedTo', 'actor', 'reference', 'loanId', 'wallet'] as const;
const LABELS: Record<(typeof FILTERS)[number], string> = {
  type: 'Event type',
  effectiveFrom: 'Effective from',
  effectiveTo: 'Effective to',
  recordedTo: 'Known at (recorded to)',
  actor: 'Actor',
  reference: 'Reference',
  loanId: 'Loan',
  wallet: 'Wallet',
};

const Verify = ({ book }: { book: Book }) => {
  const answer = useAnswer(book.bookId, () =>
    get<{ ok: boolean; checked: number; firstBroken: { revision: number; reason: string } | null }>(bookPath(book.bookId, 'verify')),
  );
  if (answer.state === 'loading') return <p class="loading">Checking the hash chain…</p>;
  if (answer.state === 'failed') return <Failure error={answer.error} />;
  const v = answer.value;
  return (
    <p class={`verify ${v.ok ? 'ok' : 'broken'}`} data-verify={v.ok ? 'ok' : 'broken'}>
      {v.ok
        ? `Hash chain intact: ${v.checked} events checked.`
        : `Hash chain broken at revision ${v.firstBroken?.revision}: ${v.firstBroken?.reason}.`}
    </p>
  );
};

const Links = ({ event }: { event: StoredEvent }) => {
  const to = (id: string) => href('audit', { event: id });
  return (
    <>
      {event.reverses !== null && (
        <a href={to(event.reverses)} class="rel">
          {event.data.amendment === true ? 'takes back (amended)' : 'reverses'} {event.reverses.slice(0, 8)}
        </a>
      )}
      {event.reversedBy !== null && (
        <a href={to(event.reversedBy.eventId)} class="rel" data-rel="reversedBy">
          reversed by rev. {event.reversedBy.revision}
        </a>
      )}
      {event.amends !== null && (
        <a href={to(event.amends)} class="rel" data-rel="amends">
          amends {event.amends.slice(0, 8)}
        </a>
      )}
      {event.amendedBy !== null && (
        <a href={to(event.amendedBy.eventId)} class="rel" data-rel="amendedBy">
          amended by rev. {event.amendedBy.revision}
        </a>
      )}
    </>
  );
};

const EventDetail = ({ eventId }: { eventId: string }) => {
  const answer = useAnswer(eventId, () => get<StoredEvent>(`/v1/events/${encodeURIComponent(eventId)}`));
  return (
    <section class="card detail" aria-labelledby="h-event" data-event-detail={eventId}>
      <h2 id="h-event">Event {eventId}</h2>
      {answer.state === 'failed' && <Failure error={answer.error} />}
      {answer.state === 'ready' && (
        <>
          <p>
            Revision {answer.value.revision}, <strong>{answer.value.type}</strong>, effective {answer.value.effectiveAt}, recorded{' '}
            {answer.value.recordedAt}. <Links event={answer.value} />
          </p>
          <pre>{JSON.stringify({ data: answer.value.data, metadata: answer.value.metadata }, null, 2)}</pre>
        </>
      )}
    </section>
  );
};

/** The event log with its filters and pages; reversal and amendment links lead from one event to the other. */
export const AuditPage = ({ book, params }: { book: Book; params: URLSearchParams }) => {
  const [types, setTypes] = useState<ReadonlyArray<string>>([]);
  useEffect(() => {
    openApi().then(
      (doc) => setTypes(eventTypes(doc)),
      () => setTypes([]),
    );
  }, []);
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const after = params.get('after') ?? '';
  const back = (params.get('back') ?? '').split(',').filter((c) => c !== '');
  const key = `${book.bookId}|${JSON.stringify(filters)}|${after}`;
  const page = useAnswer(key, () =>
    get<{ events: StoredEvent[]; next: number | null }>(bookPath(book.bookId, 'events'), { ...filters, after, limit: String(PAGE) }),
  );
  const go = (extra: Record<string, string | undefined>) => navigate('audit', { ...filters, ...extra });
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    navigate('audit', Object.fromEntries(FILTERS.map((name) => [name, String(form.get(name) ?? '')])));
  };
  const selected = params.get('event');
  return (
    <>
      <h1>
        {book.name} <span class="muted">audit trail</span>
      </h1>
      <Verify book={book} />
      {selected !== null && <EventDetail eventId={selected} />}
      <form class="filters" onSubmit={submit} aria-label="Event filters">
        {FILTERS.map((name) => (
          <label key={name}>
            {LABELS[name]}
            {name === 'type' ? (
              <select name="type" value={filters.type}>
                <option value="">any</option>
                {types.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            ) : (
              <input name={name} type={/From|To$/.test(name) ? 'date' : 'text'} value={filters[name]} />
            )}
          </label>
        ))}
        <button type="submit">Filter</button>
      </form>
      {page.state === 'failed' && <Failure error={page.error} />}
      {page.state === 'ready' && (
        <>
          <table class="data events" data-state="ready">
            <caption class="sr-only">Events in recorded order</caption>
            <thead>
              <tr>
                <th scope="col">Rev.</th>
                <th scope="col">Type</th>
                <th scope="col">Effective</th>
                <th scope="col">Recorded</th>
                <th scope="col">Actor</th>
                <th scope="col">Reference</th>
                <th scope="col">Links</th>
              </tr>
            </thead>
            <tbody>
              {page.value.events.map((e) => (
                <tr key={e.eventId} data-event={e.eventId} class={e.reversedBy !== null ? 'reversed' : undefined}>
                  <td>
                    <a href={href('audit', { ...filters, after, back: back.join(','), event: e.eventId })}>{e.revision}</a>
                  </td>
                  <td>{e.type}</td>
                  <td>{e.effectiveAt}</td>
                  <td>{e.recordedAt}</td>
                  <td>{String(e.metadata.actorName ?? e.metadata.actor ?? '')}</td>
                  <td>{String(e.metadata.reference ?? '')}</td>
                  <td>
                    <Links event={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="Event pages">
            {back.length > 0 ? (
              <button
                type="button"
                onClick={() => go({ after: (back[back.length - 1] ?? '-').replace('-', ''), back: back.slice(0, -1).join(',') })}
              >
                Previous page
              </button>
            ) : null}
            {page.value.next !== null && (
              <button
                type="button"
                onClick={() => go({ after: String(page.value.next), back: [...back, after === '' ? '-' : after].join(',') })}
              >
                Next page
              </button>
            )}
          </nav>
        </>
      )}
    </>
  );
};
