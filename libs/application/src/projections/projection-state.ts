import * as E from 'fp-ts/Either';
import { BookProjection } from '@treasury/projections';
import type { StoredEvent } from '@treasury/event-store';
import { bookIdOfStream, decodeStoredEvent, toRecorded } from '../commands/book-stream';
import type { BookHead, LogFinding, ProjectionSnapshot } from '../ports/projection-snapshots';

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Why one book stopped folding: the event it could not fold. The other books carry on. */
export interface BookFailure {
  readonly bookId: string;
  readonly eventId: string;
  readonly revision: number;
  readonly logPosition: bigint;
  readonly message: string;
}

const hashOf = (stored: StoredEvent): string | null => {
  const hash = stored.metadata['hash'];
  return typeof hash === 'string' ? hash : null;
};

/**
 * Every book's projection and the global position folded so far, bound to the store it came from.
 * Events arrive in log order; the checkpoint only moves forwards, so a redelivered event is ignored
 * rather than folded twice. A book whose event cannot be folded is marked failed (and folds nothing
 * more); the others keep folding.
 */
export class ProjectionState {
  readonly books = new Map<string, BookProjection>();
  /** Per book, the last event folded. */
  readonly heads = new Map<string, BookHead>();
  readonly failures = new Map<string, BookFailure>();
  /** Events the log lost since a projection folded them (see LogFinding), by book. */
  readonly findings = new Map<string, LogFinding>();
  checkpoint = 0n;
  checkpointEvent: ProjectionSnapshot['checkpointEvent'] = null;
  /** Events folded by this state since it was created or restored. */
  folded = 0;

  constructor(readonly storeId: string) {}

  /** Decodes and folds one stored event (events of other streams only move the checkpoint). Returns a book's new failure, if this event caused one. */
  applyStored(stored: StoredEvent): BookFailure | undefined {
    if (stored.logPosition <= this.checkpoint) return undefined;
    const failure = this.fold(stored);
    this.checkpoint = stored.logPosition;
    this.checkpointEvent = { eventId: stored.eventId, hash: hashOf(stored) };
    return failure;
  }

  private fold(stored: StoredEvent): BookFailure | undefined {
    const bookId = bookIdOfStream(stored.stream);
    if (bookId === undefined || this.failures.has(bookId)) return undefined;
    const fail = (error: Error): BookFailure => {
      const failure = {
        bookId,
        eventId: stored.eventId,
        revision: stored.revision,
        logPosition: stored.logPosition,
        message: error.message,
      };
      this.failures.set(bookId, failure);
      return failure;
    };
    const decoded = decodeStoredEvent(stored);
    if (E.isLeft(decoded)) return fail(decoded.left);
    let book = this.books.get(bookId);
    const created = book === undefined;
    if (book === undefined) book = new BookProjection();
    const projection = book;
    // apply is all or nothing; it throws on a revision gap or an event it cannot fold.
    const applied = E.tryCatch(() => projection.apply(toRecorded(decoded.right)), toError);
    if (E.isLeft(applied)) return fail(applied.left);
    if (created) this.books.set(bookId, projection);
    this.heads.set(bookId, { revision: stored.revision, eventId: stored.eventId, hash: hashOf(stored) });
    this.folded += 1;
    return undefined;
  }

  toSnapshot(): ProjectionSnapshot {
    return {
      storeId: this.storeId,
      checkpoint: this.checkpoint,
      checkpointEvent: this.checkpointEvent,
      books: [...this.books].map(([bookId, book]) => [bookId, book.toSnapshot()] as const),
      heads: [...this.heads],
      findings: [...this.findings.values()],
    };
  }

  /** Restores a saved state; a snapshot that does not restore cleanly is reported, never half-used. */
  static fromSnapshot(snapshot: ProjectionSnapshot): E.Either<Error, ProjectionState> {
    return E.tryCatch(() => {
      const state = new ProjectionState(snapshot.storeId);
      for (const [bookId, book] of snapshot.books) state.books.set(bookId, BookProjection.fromSnapshot(book));
      for (const [bookId, head] of snapshot.heads) state.heads.set(bookId, head);
      for (const finding of snapshot.findings) state.findings.set(finding.bookId, finding);
      state.checkpoint = snapshot.checkpoint;
      state.checkpointEvent = snapshot.checkpointEvent;
      return state;
    }, toError);
  }

  get eventCount(): number {
    let count = 0;
    for (const book of this.books.values()) count += book.revision + 1;
    return count;
  }
}
