import * as E from 'fp-ts/Either';
import { BookProjection } from '@treasury/projections';
import type { StoredEvent } from '@treasury/event-store';
import { bookIdOfStream, decodeStoredEvent, toRecorded } from '../commands/book-stream';
import type { ProjectionSnapshot } from '../ports/projection-snapshots';

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Every book's projection and the global position folded so far. Events arrive in log order; the
 * checkpoint only moves forwards, so a redelivered event is ignored rather than folded twice.
 */
export class ProjectionState {
  readonly books = new Map<string, BookProjection>();
  checkpoint = 0n;
  /** Events folded by this state since it was created or restored. */
  folded = 0;

  /** Decodes and folds one stored event (events of other streams only move the checkpoint). */
  applyStored(stored: StoredEvent): E.Either<Error, void> {
    if (stored.position <= this.checkpoint) return E.right(undefined);
    const bookId = bookIdOfStream(stored.stream);
    if (bookId !== undefined) {
      const decoded = decodeStoredEvent(stored);
      if (E.isLeft(decoded)) return decoded;
      let book = this.books.get(bookId);
      if (book === undefined) {
        book = new BookProjection();
        this.books.set(bookId, book);
      }
      const projection = book;
      // apply throws only on a revision gap: a log that is not what this code wrote.
      const applied = E.tryCatch(() => projection.apply(toRecorded(decoded.right)), toError);
      if (E.isLeft(applied)) return applied;
      this.folded += 1;
    }
    this.checkpoint = stored.position;
    return E.right(undefined);
  }

  toSnapshot(): ProjectionSnapshot {
    return { checkpoint: this.checkpoint, books: [...this.books].map(([bookId, book]) => [bookId, book.toSnapshot()] as const) };
  }

  /** Restores a saved state; a snapshot that does not restore cleanly is reported, never half-used. */
  static fromSnapshot(snapshot: ProjectionSnapshot): E.Either<Error, ProjectionState> {
    return E.tryCatch(() => {
      const state = new ProjectionState();
      for (const [bookId, book] of snapshot.books) state.books.set(bookId, BookProjection.fromSnapshot(book));
      state.checkpoint = snapshot.checkpoint;
      return state;
    }, toError);
  }

  get eventCount(): number {
    let count = 0;
    for (const book of this.books.values()) count += book.revision + 1;
    return count;
  }
}
