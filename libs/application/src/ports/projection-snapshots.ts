import * as TE from 'fp-ts/TaskEither';
import type { BookProjectionSnapshot } from '@treasury/projections';

/** The last event a projection folded for one book: where its stream ended, as far as the projection knows. */
export interface BookHead {
  readonly revision: number;
  readonly eventId: string;
  /** The event's chain hash (metadata.hash); null for an event written before the chain. */
  readonly hash: string | null;
}

/**
 * Something the log lost or changed under the projection: a book's stream now ends below (or differs
 * at) the revision a projection had folded — a damaged WAL, a restored backup that dropped
 * acknowledged events. Carried from snapshot to snapshot until an explicit rebuild clears it.
 */
export interface LogFinding {
  readonly bookId: string;
  readonly reason: 'events-vanished' | 'events-rewritten';
  /** What the projection had folded. */
  readonly expected: BookHead;
  /** What the store holds now: its last event, or the event now at the expected revision; null for none. */
  readonly found: { readonly revision: number | null; readonly eventId: string | null; readonly hash: string | null };
}

/** Every book's projection state and the log position it has folded up to, bound to the log it came from. */
export interface ProjectionSnapshot {
  /** The identity of the store folded (EventStore.identity). */
  readonly storeId: string;
  readonly checkpoint: bigint;
  /** The event at the checkpoint: a snapshot is used only if the store still holds exactly this event there. */
  readonly checkpointEvent: { readonly eventId: string; readonly hash: string | null } | null;
  readonly books: ReadonlyArray<readonly [bookId: string, projection: BookProjectionSnapshot]>;
  readonly heads: ReadonlyArray<readonly [bookId: string, head: BookHead]>;
  readonly findings: ReadonlyArray<LogFinding>;
}

/**
 * Where the position projection persists its state with its checkpoint, so a restart loads it and
 * reads only the events after the checkpoint. A snapshot is a cache of the log, never a source of
 * truth: one that is missing is `undefined`; one that is unreadable, damaged (checksum) or of another
 * format is a Left naming why, and the log is re-read.
 */
export abstract class ProjectionSnapshots {
  /** The last snapshot saved; `undefined` when there is none. */
  abstract load(): TE.TaskEither<Error, ProjectionSnapshot | undefined>;
  /** Replaces the saved snapshot atomically and durably. */
  abstract save(snapshot: ProjectionSnapshot): TE.TaskEither<Error, void>;
}

/** For an in-memory store, or when persistence is switched off: every start reads the log from zero. */
export class NoProjectionSnapshots extends ProjectionSnapshots {
  load(): TE.TaskEither<Error, ProjectionSnapshot | undefined> {
    return TE.right(undefined);
  }
  save(): TE.TaskEither<Error, void> {
    return TE.right(undefined);
  }
}
