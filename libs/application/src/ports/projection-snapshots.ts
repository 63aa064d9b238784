import * as TE from 'fp-ts/TaskEither';
import type { BookProjectionSnapshot } from '@treasury/projections';

/** Every book's projection state and the log position it has folded up to. */
export interface ProjectionSnapshot {
  readonly checkpoint: bigint;
  readonly books: ReadonlyArray<readonly [bookId: string, projection: BookProjectionSnapshot]>;
}

/**
 * Where the position projection persists its state with its checkpoint, so a restart loads it and
 * reads only the events after the checkpoint. A snapshot is a cache of the log, never a source of
 * truth: one that is missing, unreadable or of another format is ignored and the log is re-read.
 */
export abstract class ProjectionSnapshots {
  /** The last snapshot saved; `undefined` when there is none usable. */
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
