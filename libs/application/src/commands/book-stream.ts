import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { PathReporter } from 'io-ts/PathReporter';
import { BookEvent, BookEventCodec, EventMetadata, RecordedBookEvent } from '@treasury/domain';
import type { EventToAppend, StoredEvent } from '@treasury/event-store';

/** One stream per book: a command's events are appended atomically against one expected revision. */
export const bookStream = (bookId: string): string => `book-${bookId}`;

export const bookIdOfStream = (stream: string): string | undefined => (stream.startsWith('book-') ? stream.slice('book-'.length) : undefined);

/** A stored book event decoded back through the same codecs that wrote it. */
export interface BookStoredEvent {
  readonly stored: StoredEvent;
  readonly event: BookEvent;
  readonly metadata: EventMetadata;
}

export const toEventToAppend = (eventId: string, event: BookEvent, metadata: EventMetadata): EventToAppend => ({
  eventId,
  type: event.type,
  data: BookEventCodec.encode(event),
  metadata: EventMetadata.encode(metadata),
});

/**
 * Decodes a stored event. A failure here means the log holds something our codecs never wrote
 * (a foreign writer or a hand edit), so it is a hard error rather than something to skip.
 */
export const decodeStoredEvent = (stored: StoredEvent): E.Either<Error, BookStoredEvent> =>
  pipe(
    E.Do,
    E.apS('event', BookEventCodec.decode(stored.data)),
    E.apS('metadata', EventMetadata.decode(stored.metadata)),
    E.map(({ event, metadata }) => ({ stored, event, metadata })),
    E.mapLeft((errors) => new Error(`event ${stored.eventId} at ${stored.stream}@${stored.revision} does not decode: ${PathReporter.report(E.left(errors)).join('; ')}`)),
  );

export const toRecorded = ({ stored, event, metadata }: BookStoredEvent): RecordedBookEvent => ({
  eventId: stored.eventId,
  revision: stored.revision,
  recordedAt: metadata.recordedAt,
  event,
});
