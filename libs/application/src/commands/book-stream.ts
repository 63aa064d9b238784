import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { PathReporter } from 'io-ts/PathReporter';
import { BookEvent, BookEventCodec, EventMetadata, RecordedBookEvent } from '@treasury/domain';
import type { EventToAppend, StoredEvent } from '@treasury/event-store';
import { eventHash } from '../audit/hash-chain';

/** One stream per book: a command's events are appended atomically against one expected revision. */
export const bookStream = (bookId: string): string => `book-${bookId}`;

export const bookIdOfStream = (stream: string): string | undefined => (stream.startsWith('book-') ? stream.slice('book-'.length) : undefined);

/** A stored book event decoded back through the same codecs that wrote it. */
export interface BookStoredEvent {
  readonly stored: StoredEvent;
  readonly event: BookEvent;
  readonly metadata: EventMetadata;
}

/** A command's metadata before each event's place in the hash chain is known. */
export type CommandMetadata = Omit<EventMetadata, 'previousHash' | 'hash'>;

/**
 * Encodes a command's events for appending at `firstRevision`, chaining each event's hash to the one
 * before (`previousHash` is the hash of the book's last event). Returns them with the new last hash.
 */
export const toEventsToAppend = (
  bookId: string,
  firstRevision: number,
  previousHash: string,
  envelopes: ReadonlyArray<{ readonly eventId: string; readonly event: BookEvent }>,
  metadata: CommandMetadata,
): { readonly events: EventToAppend[]; readonly lastHash: string } => {
  let previous = previousHash;
  // The command's metadata is encoded once; only previousHash and hash differ from event to event.
  const encoded = EventMetadata.encode({ ...metadata, previousHash: '', hash: '' });
  const events = envelopes.map(({ eventId, event }, index): EventToAppend => {
    const data = BookEventCodec.encode(event);
    const unsealed = { ...encoded, previousHash: previous, hash: '' };
    const hash = eventHash({ bookId, revision: firstRevision + index, eventId, type: event.type, data, metadata: unsealed });
    previous = hash;
    return { eventId, type: event.type, data, metadata: { ...unsealed, hash } };
  });
  return { events, lastHash: previous };
};

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
