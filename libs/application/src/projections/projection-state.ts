import * as E from 'fp-ts/Either';
import { BookProjection } from '@treasury/projections';
import type { StoredEvent } from '@treasury/event-store';
import { bookIdOfStream, decodeStoredEvent, toRecorded } from '../commands/book-stream';
import type { SnapshotEntry } from '../ports/projection-snapshots';

/**
 * Every book's projection and the global position folded so far. Events arrive in log order; the
 * checkpoint only moves forwards, so a redelivered event is ignored rather than folded twice.
 */
export class ProjectionState {
  readonly books = new Map<string, BookProjection>();
  checkpoint = 0n;
  folded = 0;

  /** Decodes and folds one stored event; returns what to persist, if it was a book event. */
  applyStored(stored: StoredEvent): E.Either<Error, SnapshotEntry | undefined> {
    if (stored.position <= this.checkpoint) return E.right(undefined);
    const bookId = bookIdOfStream(stored.stream);
    if (bookId === undefined) {
      this.checkpoint = stored.position;
      return E.right(undefined);
    }
    const decoded = decodeStoredEvent(stored);
    if (E.isLeft(decoded)) return decoded;
    const entry: SnapshotEntry = { bookId, event: toRecorded(decoded.right) };
    return E.map(() => {
      this.checkpoint = stored.position;
      return entry;
    })(this.applyEntry(entry));
  }

  /** Folds an already decoded entry (from a snapshot). */
  applyEntry(entry: SnapshotEntry): E.Either<Error, void> {
    let book = this.books.get(entry.bookId);
    if (book === undefined) {
      book = new BookProjection();
      this.books.set(entry.bookId, book);
    }
    // apply throws only on a revision gap, i.e. a log that is not what this code wrote.
    return E.tryCatch(
      () => {
        book.apply(entry.event);
        this.folded += 1;
      },
      (error) => (error instanceof Error ? error : new Error(String(error))),
    );
  }
}
