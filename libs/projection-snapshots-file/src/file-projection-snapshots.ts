import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import * as TE from 'fp-ts/TaskEither';
import { ProjectionSnapshot, ProjectionSnapshots } from '@treasury/application';

/**
 * Bumped whenever the projection's snapshot layout changes: a file of another format is ignored, and
 * the projection re-reads the log. @3: bound to its store (identity, checkpoint event, book heads),
 * findings of vanished events, a SHA-256 over the content, and running sums that may be wider than 64 bits.
 * @4: the USD flow metrics of the roll-forward and the P&L (fifo-plan.ts); a @3 snapshot lacks them for
 * the events it holds, so it is refused and the books are rebuilt from the log.
 */
export const SNAPSHOT_FORMAT = 'treasury-engine/position-projection@4';

const MAGIC = Buffer.from(`${SNAPSHOT_FORMAT}\n`, 'utf8');
const DIGEST_BYTES = 32;
const FILE_MODE = 0o600;

interface SnapshotContent extends Omit<ProjectionSnapshot, 'checkpoint'> {
  readonly checkpoint: string;
}

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/**
 * The projection snapshot as one file: the format line, the SHA-256 of the content, then the content
 * v8-serialised (typed arrays are copied as raw bytes, so a million-event book saves and loads in
 * about a second). The checksum is verified before anything is deserialised: a flipped bit anywhere
 * makes the file a cache miss (a Left naming why), never a wrong figure. Saved to a temporary file
 * (mode 0600), fsynced, then renamed over the old one: a crash leaves either the old snapshot or the
 * new, never half of one. Nothing here stops the server: the directory is created on save, and a save
 * that fails is a Left the projector logs.
 */
export class FileProjectionSnapshots extends ProjectionSnapshots {
  constructor(readonly path: string) {
    super();
  }

  load(): TE.TaskEither<Error, ProjectionSnapshot | undefined> {
    return TE.tryCatch(async () => {
      const bytes = await readFile(this.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (bytes === undefined) return undefined;
      if (bytes.length < MAGIC.length + DIGEST_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
        throw new Error(`not a ${SNAPSHOT_FORMAT} snapshot`);
      const digest = bytes.subarray(MAGIC.length, MAGIC.length + DIGEST_BYTES);
      const content = bytes.subarray(MAGIC.length + DIGEST_BYTES);
      if (!sha256(content).equals(digest)) throw new Error('checksum mismatch: the file is damaged');
      const file = deserialize(content) as Partial<SnapshotContent>;
      if (
        typeof file.checkpoint !== 'string' ||
        typeof file.storeId !== 'string' ||
        !Array.isArray(file.books) ||
        !Array.isArray(file.heads) ||
        !Array.isArray(file.findings)
      ) {
        throw new Error('the content is not a projection snapshot');
      }
      return {
        storeId: file.storeId,
        checkpoint: BigInt(file.checkpoint),
        checkpointEvent: file.checkpointEvent ?? null,
        books: file.books,
        heads: file.heads,
        findings: file.findings,
      };
    }, toError);
  }

  /** Removes this path's temporary files left by saves that never finished (each is a whole snapshot's size). */
  private async removeStaleTemporaries(): Promise<void> {
    const prefix = `${basename(this.path)}.`;
    for (const name of await readdir(dirname(this.path))) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      const path = join(dirname(this.path), name);
      const modified = await stat(path).then(
        (info) => info.mtimeMs,
        () => undefined,
      );
      if (modified !== undefined && Date.now() - modified > STALE_TEMPORARY_MS) await rm(path, { force: true });
    }
  }

  save(snapshot: ProjectionSnapshot): TE.TaskEither<Error, void> {
    return TE.tryCatch(async () => {
      const content = serialize({ ...snapshot, checkpoint: snapshot.checkpoint.toString() } satisfies SnapshotContent);
      await mkdir(dirname(this.path), { recursive: true });
      await this.removeStaleTemporaries();
      // A name of its own per save (and 'wx': never someone else's file), so two processes that were
      // given the same path by mistake cannot write into one temporary file and rename a mix of both.
      const temporary = `${this.path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
      const handle = await open(temporary, 'wx', FILE_MODE);
      try {
        // The mode given to open is masked by the umask; this one is not.
        await handle.chmod(FILE_MODE);
        await handle.write(MAGIC);
        await handle.write(sha256(content));
        await handle.write(content);
        await handle.sync();
      } catch (error) {
        await handle.close();
        await rm(temporary, { force: true });
        throw error;
      }
      await handle.close();
      await rename(temporary, this.path);
    }, toError);
  }
}

/** A temporary file older than this is left over from a save that was killed (SIGKILL, out of memory). */
const STALE_TEMPORARY_MS = 10 * 60_000;

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
