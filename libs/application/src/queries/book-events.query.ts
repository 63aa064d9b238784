import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { BookEvent, BookEventCodec, BookEventType, EventMetadata, formatInstant } from '@treasury/domain';
import { EventStore, storeErrorMessage } from '@treasury/event-store';
import { BookStoredEvent, bookStream, decodeStoredEvent } from '../commands/book-stream';
import type { PositionProjector } from '../projections/position-projector';
import { EventLoopSlicer } from './event-loop-slices';
import { AmendmentLink, amendedByOf, amendsOf, readDecoded } from './amendment-links';
import { redactWebhookSecret } from '../webhooks/secret-redaction';

export type EventsQueryError = { readonly _tag: 'BookNotFound' } | { readonly _tag: 'StoreFailure'; readonly message: string };

/** What an auditor can filter a book's events by; every filter given must hold. */
export interface EventFilter {
  readonly types?: ReadonlyArray<BookEventType>;
  /** Inclusive bounds on effectiveAt and recordedAt. */
  readonly effectiveFrom?: number;
  readonly effectiveTo?: number;
  readonly recordedFrom?: number;
  readonly recordedTo?: number;
  readonly actor?: string;
  readonly reference?: string;
  readonly loanId?: string;
  /** Matches `wallet`, `fromWallet` or `toWallet`. */
  readonly wallet?: string;
}

export interface Reversal {
  readonly eventId: string;
  readonly revision: number;
  readonly recordedAt: number;
}

export interface AuditedEvent extends BookStoredEvent {
  /** The reversal that took this event back, as known now. */
  readonly reversedBy: Reversal | null;
  /** For an amendment's replacement: the event it corrects (amendment-links.ts). */
  readonly amends: string | null;
  /** The replacement that corrected this event, when the reversal that took it back was an amendment. */
  readonly amendedBy: AmendmentLink | null;
}

export interface EventsPage {
  readonly events: ReadonlyArray<AuditedEvent>;
  /** Pass as `after` to read on; absent once the end of the book was scanned. */
  readonly nextAfter?: number;
}

export const MAX_EVENTS_PAGE = 1000;
/** A page scans at most this many events, so a rare filter costs bounded time per request. */
export const EVENTS_SCAN_BUDGET = 10_000;
/** Events read and decoded per store read; between reads the event loop gets a turn when the slice is spent. */
const READ_PAGE = 250;

const walletsOf = (event: BookEvent): ReadonlyArray<string> =>
  'wallet' in event ? [event.wallet] : event.type === 'BtcTransferred' ? [event.fromWallet, event.toWallet] : [];

export const matchesFilter = (filter: EventFilter, { event, metadata }: BookStoredEvent): boolean =>
  (filter.types === undefined || filter.types.includes(event.type)) &&
  (filter.effectiveFrom === undefined || event.effectiveAt >= filter.effectiveFrom) &&
  (filter.effectiveTo === undefined || event.effectiveAt <= filter.effectiveTo) &&
  (filter.recordedFrom === undefined || metadata.recordedAt >= filter.recordedFrom) &&
  (filter.recordedTo === undefined || metadata.recordedAt <= filter.recordedTo) &&
  (filter.actor === undefined || metadata.actor === filter.actor) &&
  (filter.reference === undefined || metadata.reference === filter.reference) &&
  (filter.loanId === undefined || ('loanId' in event && event.loanId === filter.loanId)) &&
  (filter.wallet === undefined || walletsOf(event).includes(filter.wallet));

/**
 * The JSON view of a stored event: amounts re-encoded by the codecs (fixed decimals at full scale),
 * instants as ISO-8601, the global position as a string (it is a 64-bit integer), and the reversal
 * links both ways.
 */
export const eventView = ({ stored, event, metadata, reversedBy, amends, amendedBy }: AuditedEvent) => {
  const { type: _type, effectiveAt: _effectiveAt, ...data } = BookEventCodec.encode(event);
  const { recordedAt: _recordedAt, ...meta } = EventMetadata.encode(metadata);
  return {
    eventId: stored.eventId,
    revision: stored.revision,
    logPosition: stored.logPosition.toString(),
    type: event.type,
    effectiveAt: formatInstant(event.effectiveAt),
    recordedAt: formatInstant(metadata.recordedAt),
    // A webhook's secret never leaves the log (webhooks/secret-redaction.ts).
    data: redactWebhookSecret(event.type, data),
    metadata: meta,
    reverses: event.type === 'EventReversed' ? event.eventId : null,
    reversedBy:
      reversedBy === null
        ? null
        : { eventId: reversedBy.eventId, revision: reversedBy.revision, recordedAt: formatInstant(reversedBy.recordedAt) },
    amends,
    amendedBy:
      amendedBy === null
        ? null
        : { eventId: amendedBy.eventId, revision: amendedBy.revision, recordedAt: formatInstant(amendedBy.recordedAt) },
  };
};
export type EventView = ReturnType<typeof eventView>;

const storeFailure = (message: string): EventsQueryError => ({ _tag: 'StoreFailure', message });

/**
 * A book's events in recorded (revision) order, filtered, a page at a time. Reads the log itself;
 * the projection only supplies who reversed what (a later event) and where the book ends.
 */
export class BookEventsQuery {
  constructor(
    private readonly store: EventStore,
    private readonly projector: PositionProjector,
    /** The last log position this process acknowledged: reversal links include this process's writes. */
    private readonly acknowledged: () => bigint = () => 0n,
  ) {}

  list(
    bookId: string,
    options: { readonly after?: number; readonly limit: number; readonly filter?: EventFilter },
  ): TE.TaskEither<EventsQueryError, EventsPage> {
    return async () => {
      await this.projector.waitFor(this.acknowledged(), 5_000);
      const filter = options.filter ?? {};
      let from = options.after === undefined ? 0 : options.after + 1;
      const events: AuditedEvent[] = [];
      let scanned = 0;
      const slicer = new EventLoopSlicer();
      // The event before the first one read: a replacement's link is the amending reversal just before it.
      const before = from === 0 ? E.right([]) : await readDecoded(this.store, bookId, from - 1, 1);
      if (E.isLeft(before)) return E.left(storeFailure(before.left));
      let previous: BookStoredEvent | undefined = before.right[0];
      for (;;) {
        await slicer.pause();
        const asked = Math.min(READ_PAGE, EVENTS_SCAN_BUDGET - scanned);
        const page = await this.store.readStream(bookStream(bookId), { fromRevision: from, maxCount: asked })();
        if (E.isLeft(page)) return E.left(storeFailure(storeErrorMessage(page.left)));
        const rows = page.right;
        if (rows.length === 0 && scanned === 0 && !(await this.exists(bookId))) return E.left({ _tag: 'BookNotFound' });
        const atEnd = rows.length < asked;
        for (const [index, stored] of rows.entries()) {
          const decoded = decodeStoredEvent(stored);
          if (E.isLeft(decoded)) return E.left(storeFailure(decoded.left.message));
          scanned += 1;
          const prior = previous;
          previous = decoded.right;
          if (!matchesFilter(filter, decoded.right)) continue;
          const links = await auditLinks(this.store, this.projector, bookId, prior, decoded.right);
          if (E.isLeft(links)) return links;
          events.push({ ...decoded.right, ...links.right });
          // A full page: there is a next one unless this was provably the book's last event.
          if (events.length === options.limit)
            return E.right(atEnd && index === rows.length - 1 ? { events } : { events, nextAfter: stored.revision });
        }
        const last = rows[rows.length - 1];
        if (last === undefined || atEnd) return E.right({ events });
        if (scanned >= EVENTS_SCAN_BUDGET) return E.right({ events, nextAfter: last.revision });
        from = last.revision + 1;
      }
    };
  }

  private async exists(bookId: string): Promise<boolean> {
    const first = await this.store.readStream(bookStream(bookId), { maxCount: 1 })();
    return E.isLeft(first) || first.right.length > 0;
  }
}

/** Who reversed an event (the projection knows), and the amendment links (read from the log around it). */
const auditLinks = async (
  store: EventStore,
  projector: PositionProjector,
  bookId: string,
  prior: BookStoredEvent | undefined,
  current: BookStoredEvent,
): Promise<E.Either<EventsQueryError, Pick<AuditedEvent, 'reversedBy' | 'amends' | 'amendedBy'>>> => {
  const reversedBy = projector.book(bookId)?.reversalOf(current.stored.revision) ?? null;
  const amendedBy = await amendedByOf(store, bookId, reversedBy?.revision);
  if (E.isLeft(amendedBy)) return E.left(storeFailure(amendedBy.left));
  return E.right({ reversedBy, amends: amendsOf(prior, current), amendedBy: amendedBy.right });
};

export type FindEventError = { readonly _tag: 'EventNotFound' } | { readonly _tag: 'StoreFailure'; readonly message: string };

/** One event by id across books: the projection says which book and revision, the log supplies it. */
export class EventFinder {
  constructor(
    private readonly store: EventStore,
    private readonly projector: PositionProjector,
    /** The last log position this process acknowledged: a just-written event can be found at once. */
    private readonly acknowledged: () => bigint,
  ) {}

  find(eventId: string): TE.TaskEither<FindEventError, { readonly bookId: string; readonly event: AuditedEvent }> {
    return async () => {
      await this.projector.waitFor(this.acknowledged(), 5_000);
      for (const [bookId, book] of this.projector.books()) {
        const revision = book.revisionOfEvent(eventId);
        if (revision === undefined) continue;
        const read = await this.store.readStream(bookStream(bookId), { fromRevision: revision, maxCount: 1 })();
        if (E.isLeft(read)) return E.left({ _tag: 'StoreFailure', message: storeErrorMessage(read.left) });
        const stored = read.right[0];
        if (stored === undefined || stored.eventId !== eventId) return E.left({ _tag: 'EventNotFound' });
        const decoded = decodeStoredEvent(stored);
        if (E.isLeft(decoded)) return E.left({ _tag: 'StoreFailure', message: decoded.left.message });
        const prior = revision === 0 ? E.right([]) : await readDecoded(this.store, bookId, revision - 1, 1);
        if (E.isLeft(prior)) return E.left({ _tag: 'StoreFailure', message: prior.left });
        const links = await auditLinks(this.store, this.projector, bookId, prior.right[0], decoded.right);
        if (E.isLeft(links))
          return E.left({ _tag: 'StoreFailure', message: links.left._tag === 'StoreFailure' ? links.left.message : links.left._tag });
        return E.right({ bookId, event: { ...decoded.right, ...links.right } });
      }
      return E.left({ _tag: 'EventNotFound' });
    };
  }
}
