import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import {
  BookEvent,
  BookEventCodec,
  EventMetadata,
  RecordedBookEvent,
  decodeBookEventForReplay,
  decodeEventMetadataForReplay,
} from '@treasury/domain';
import type { EventToAppend, StoredEvent } from '@treasury/event-store';
import { eventHash } from '../audit/hash-chain';

/** One stream per book: a command's events are appended atomically against one expected revision. */
export const bookStream = (bookId: string): string => `book-${bookId}`;

export const bookIdOfStream = (stream: string): string | undefined =>
  stream.startsWith('book-') ? stream.slice('book-'.length) : undefined;

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

const undecodable = (stored: StoredEvent, errors: t.Errors): E.Either<Error, never> =>
  E.left(
    new Error(
      `event ${stored.eventId} at ${stored.stream}@${stored.revision} does not decode: ${PathReporter.report(E.left(errors)).join('; ')}`,
    ),
  );

/**
 * Decodes a stored event. A failure here means the log holds something our codecs never wrote
 * (a foreign writer or a hand edit), so it is a hard error rather than something to skip. Replay
 * reads through the decoders compiled from the same codecs (book.events.fast-decode.ts), which leave
 * to io-ts whatever they are not sure of: the same values, the same errors, a fraction of the cost.
 */
export const decodeStoredEvent = (stored: StoredEvent): E.Either<Error, BookStoredEvent> => {
  const event = decodeBookEventForReplay(stored.data);
  if (event._tag === 'Left') return undecodable(stored, event.left);
  const metadata = decodeEventMetadataForReplay(stored.metadata);
  if (metadata._tag === 'Left') return undecodable(stored, metadata.left);
  return E.right({ stored, event: event.right, metadata: metadata.right });
};

export const toRecorded = ({ stored, event, metadata }: BookStoredEvent): RecordedBookEvent => ({
  eventId: stored.eventId,
  revision: stored.revision,
  recordedAt: metadata.recordedAt,
  event,
});
