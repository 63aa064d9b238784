import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { BookEvent, BookEventCodec, BookEventType, EventMetadata, formatInstant } from '@treasury/domain';
import { EventStore, storeErrorMessage } from '@treasury/event-store';
import { BookStoredEvent, bookStream, decodeStoredEvent } from '../commands/book-stream';
import type { PositionProjector } from '../projections/position-projector';
import { EventLoopSlicer } from './event-loop-slices';

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
export const eventView = ({ stored, event, metadata, reversedBy }: AuditedEvent) => {
  const { type: _type, effectiveAt: _effectiveAt, ...data } = BookEventCodec.encode(event);
  const { recordedAt: _recordedAt, ...meta } = EventMetadata.encode(metadata);
  return {
    eventId: stored.eventId,
    revision: stored.revision,
    position: stored.position.toString(),
    type: event.type,
    effectiveAt: formatInstant(event.effectiveAt),
    recordedAt: formatInstant(metadata.recordedAt),
    data,
    metadata: meta,
    reverses: event.type === 'EventReversed' ? event.eventId : null,
    reversedBy: reversedBy === null ? null : { eventId: reversedBy.eventId, revision: reversedBy.revision, recordedAt: formatInstant(reversedBy.recordedAt) },
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

  list(bookId: string, options: { readonly after?: number; readonly limit: number; readonly filter?: EventFilter }): TE.TaskEither<EventsQueryError, EventsPage> {
    return async () => {
      await this.projector.waitFor(this.acknowledged(), 5_000);
      const filter = options.filter ?? {};
      let from = options.after === undefined ? 0 : options.after + 1;
      const events: AuditedEvent[] = [];
      let scanned = 0;
      const slicer = new EventLoopSlicer();
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
          if (!matchesFilter(filter, decoded.right)) continue;
          events.push({ ...decoded.right, reversedBy: this.projector.book(bookId)?.reversalOf(stored.revision) ?? null });
          // A full page: there is a next one unless this was provably the book's last event.
          if (events.length === options.limit) return E.right(atEnd && index === rows.length - 1 ? { events } : { events, nextAfter: stored.revision });
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
        return E.right({ bookId, event: { ...decoded.right, reversedBy: book.reversalOf(revision) ?? null } });
      }
      return E.left({ _tag: 'EventNotFound' });
    };
  }
}
