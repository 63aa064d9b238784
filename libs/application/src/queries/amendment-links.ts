import * as E from 'fp-ts/Either';
import { EventStore, storeErrorMessage } from '@treasury/event-store';
import { BookStoredEvent, bookStream, decodeStoredEvent } from '../commands/book-stream';

/**
 * The audit links of amend-event. An amendment is appended as [EventReversed {amendment: true},
 * replacement] in one commit (amend.rules.ts): adjacent revisions with one commandId. So the
 * replacement `amends` what the reversal right before it reversed, and an amended event is
 * `amendedBy` the event right after the reversal that took it back.
 */
export interface AmendmentLink {
  readonly eventId: string;
  readonly revision: number;
  readonly recordedAt: number;
}

const isAmendingReversal = (candidate: BookStoredEvent | undefined): candidate is BookStoredEvent =>
  candidate !== undefined && candidate.event.type === 'EventReversed' && candidate.event.amendment === true;

const sameCommit = (a: BookStoredEvent, b: BookStoredEvent): boolean =>
  a.metadata.commandId === b.metadata.commandId && a.stored.revision + 1 === b.stored.revision;

/** The event a replacement amends, given the book's event right before it (undefined for the first). */
export const amendsOf = (previous: BookStoredEvent | undefined, current: BookStoredEvent): string | null =>
  isAmendingReversal(previous) &&
  current.event.type !== 'EventReversed' &&
  sameCommit(previous, current) &&
  previous.event.type === 'EventReversed'
    ? previous.event.eventId
    : null;

/** Reads revisions [from, from + count) of a book, decoded. */
export const readDecoded = async (
  store: EventStore,
  bookId: string,
  from: number,
  count: number,
): Promise<E.Either<string, ReadonlyArray<BookStoredEvent>>> => {
  const read = await store.readStream(bookStream(bookId), { fromRevision: from, maxCount: count })();
  if (E.isLeft(read)) return E.left(storeErrorMessage(read.left));
  const decoded: BookStoredEvent[] = [];
  for (const stored of read.right) {
    const one = decodeStoredEvent(stored);
    if (E.isLeft(one)) return E.left(one.left.message);
    decoded.push(one.right);
  }
  return E.right(decoded);
};

/** The replacement of an event taken back by the reversal at `reversalRevision`, if that reversal was an amendment. */
export const amendedByOf = async (
  store: EventStore,
  bookId: string,
  reversalRevision: number | undefined,
): Promise<E.Either<string, AmendmentLink | null>> => {
  if (reversalRevision === undefined) return E.right(null);
  const pair = await readDecoded(store, bookId, reversalRevision, 2);
  if (E.isLeft(pair)) return pair;
  const [reversal, replacement] = pair.right;
  if (!isAmendingReversal(reversal) || replacement === undefined || !sameCommit(reversal, replacement)) return E.right(null);
  return E.right({
    eventId: replacement.stored.eventId,
    revision: replacement.stored.revision,
    recordedAt: replacement.metadata.recordedAt,
  });
};
