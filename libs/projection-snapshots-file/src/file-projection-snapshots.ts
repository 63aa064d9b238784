import { mkdirSync } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import * as TE from 'fp-ts/TaskEither';
import { ProjectionSnapshot, ProjectionSnapshots } from '@treasury/application';

/**
 * Bumped whenever the projection's snapshot layout changes: a file of another format is ignored, and
 * the projection re-reads the log.
 */
const FORMAT = 'treasury-engine/position-projection@2';

interface SnapshotFile {
  readonly format: string;
  readonly checkpoint: string;
  readonly books: ProjectionSnapshot['books'];
}

/**
 * The projection snapshot as one v8-serialised file (typed arrays are copied as raw bytes, so a
 * million-event book saves and loads in about a second). Saved to a temporary file, fsynced, then
 * renamed over the old one: a crash leaves either the old snapshot or the new, never half of one.
 */
export class FileProjectionSnapshots extends ProjectionSnapshots {
  constructor(readonly path: string) {
    super();
    mkdirSync(dirname(path), { recursive: true });
  }

  load(): TE.TaskEither<Error, ProjectionSnapshot | undefined> {
    return TE.tryCatch(async () => {
      const bytes = await readFile(this.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (bytes === undefined) return undefined;
      const file = deserialize(bytes) as Partial<SnapshotFile>;
      if (file.format !== FORMAT || typeof file.checkpoint !== 'string' || !Array.isArray(file.books)) return undefined;
      return { checkpoint: BigInt(file.checkpoint), books: file.books };
    }, toError);
  }

  save(snapshot: ProjectionSnapshot): TE.TaskEither<Error, void> {
    return TE.tryCatch(async () => {
      const bytes = serialize({ format: FORMAT, checkpoint: snapshot.checkpoint.toString(), books: snapshot.books } satisfies SnapshotFile);
      const temporary = `${this.path}.tmp`;
      const handle = await open(temporary, 'w');
      try {
        await handle.write(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    }, toError);
  }
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
