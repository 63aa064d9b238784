import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { BookEventCodec, EventMetadata, formatInstant } from '@treasury/domain';
import { EventStore } from '@treasury/event-store';
import { BookStoredEvent, bookStream, decodeStoredEvent } from '../commands/book-stream';

export type EventsQueryError = { readonly _tag: 'BookNotFound' } | { readonly _tag: 'StoreFailure'; readonly message: string };

export interface EventsPage {
  readonly events: ReadonlyArray<BookStoredEvent>;
  /** Pass as `after` to read the next page; absent on the last page. */
  readonly nextAfter?: number;
}

export const MAX_EVENTS_PAGE = 1000;

/**
 * The JSON view of a stored event: amounts re-encoded by the codecs (fixed decimals at full scale),
 * instants as ISO-8601, the global position as a string (it is a 64-bit integer).
 */
export const eventView = ({ stored, event, metadata }: BookStoredEvent) => {
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
  };
};
export type EventView = ReturnType<typeof eventView>;

/** A book's events in recorded order, a page at a time. */
export class BookEventsQuery {
  constructor(private readonly store: EventStore) {}

  list(bookId: string, options: { readonly after?: number; readonly limit: number }): TE.TaskEither<EventsQueryError, EventsPage> {
    const fromRevision = options.after === undefined ? 0 : options.after + 1;
    return pipe(
      // A book exists once its first event (BookOpened) does.
      this.store.readStream(bookStream(bookId), { direction: 'forwards', fromRevision: 0, maxCount: 1 }),
      TE.mapLeft((error): EventsQueryError => ({ _tag: 'StoreFailure', message: error._tag === 'StoreUnavailable' ? error.message : error._tag })),
      TE.filterOrElse(
        (first) => first.length > 0,
        (): EventsQueryError => ({ _tag: 'BookNotFound' }),
      ),
      TE.flatMap(() =>
        pipe(
          // One extra tells whether another page follows.
          this.store.readStream(bookStream(bookId), { direction: 'forwards', fromRevision, maxCount: options.limit + 1 }),
          TE.mapLeft((error): EventsQueryError => ({ _tag: 'StoreFailure', message: error._tag === 'StoreUnavailable' ? error.message : error._tag })),
        ),
      ),
      TE.flatMap((stored) =>
        TE.fromEither(
          pipe(
            E.traverseArray(decodeStoredEvent)(stored.slice(0, options.limit)),
            E.mapLeft((error): EventsQueryError => ({ _tag: 'StoreFailure', message: error.message })),
            E.map((events) => {
              const last = events[events.length - 1];
              return stored.length > options.limit && last !== undefined ? { events, nextAfter: last.stored.revision } : { events };
            }),
          ),
        ),
      ),
    );
  }
}
