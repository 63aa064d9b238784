import * as TE from 'fp-ts/TaskEither';
import type { RecordedBookEvent } from '@treasury/domain';

/** One decoded event of one book: what the position projection folds. */
export interface SnapshotEntry {
  readonly bookId: string;
  readonly event: RecordedBookEvent;
}

export interface ProjectionSnapshot {
  /** Global log position of the last event the entries include. */
  readonly checkpoint: bigint;
  readonly entries: ReadonlyArray<SnapshotEntry>;
}

/**
 * Where the projection persists what it has folded, with its checkpoint, so a restart re-folds from
 * local decoded entries (no store round-trips, no JSON or codec decoding) and then reads only what is
 * newer than the checkpoint. Append-only: each save adds what was folded since the previous one.
 */
export abstract class ProjectionSnapshots {
  /** Everything saved, in order; `undefined` when nothing usable is saved (then the projection reads from zero). */
  abstract load(): TE.TaskEither<Error, ProjectionSnapshot | undefined>;
  /** Durably adds entries folded after the previous save, ending at `checkpoint`. */
  abstract append(checkpoint: bigint, entries: ReadonlyArray<SnapshotEntry>): TE.TaskEither<Error, void>;
  /** Forgets everything saved (a rebuild starts from zero). */
  abstract reset(): TE.TaskEither<Error, void>;
}

/** For an in-memory store, or when persistence is switched off: every start reads the log from zero. */
export class NoProjectionSnapshots extends ProjectionSnapshots {
  load(): TE.TaskEither<Error, ProjectionSnapshot | undefined> {
    return TE.right(undefined);
  }
  append(): TE.TaskEither<Error, void> {
    return TE.right(undefined);
  }
  reset(): TE.TaskEither<Error, void> {
    return TE.right(undefined);
  }
}
