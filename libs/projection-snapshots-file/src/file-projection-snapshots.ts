import { mkdirSync } from 'node:fs';
import { open, readFile, rm, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import * as TE from 'fp-ts/TaskEither';
import { ProjectionSnapshot, ProjectionSnapshots, SnapshotEntry } from '@treasury/application';

/** Bumped whenever SnapshotEntry's shape changes; a file of another format is ignored (and rebuilt). */
const FORMAT = 1;
/** Entries per segment, so no single serialised buffer grows with the history. */
const SEGMENT_ENTRIES = 50_000;
const HEADER_BYTES = 4;

interface Segment {
  readonly format: number;
  readonly checkpoint: string;
  readonly entries: ReadonlyArray<SnapshotEntry>;
}

/**
 * The projection's snapshot as an append-only file of length-prefixed, v8-serialised segments (v8
 * keeps bigints). Each append is fsynced; a torn last segment (a crash mid-write) is ignored on load
 * and cut off before the next append, so what loads is always a prefix of what was folded.
 */
export class FileProjectionSnapshots extends ProjectionSnapshots {
  /** Bytes known to end on a segment boundary; undefined until the file has been read. */
  private goodLength: number | undefined;

  constructor(readonly path: string) {
    super();
    mkdirSync(dirname(path), { recursive: true });
  }

  load(): TE.TaskEither<Error, ProjectionSnapshot | undefined> {
    return TE.tryCatch(async () => {
      const file = await readFile(this.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      this.goodLength = 0;
      if (file === undefined) return undefined;
      const entries: SnapshotEntry[] = [];
      let checkpoint: bigint | undefined;
      let offset = 0;
      while (offset + HEADER_BYTES <= file.length) {
        const length = file.readUInt32BE(offset);
        if (offset + HEADER_BYTES + length > file.length) break;
        const segment = deserialize(file.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length)) as Segment;
        if (segment.format !== FORMAT) {
          this.goodLength = undefined;
          return undefined;
        }
        for (const entry of segment.entries) entries.push(entry);
        checkpoint = BigInt(segment.checkpoint);
        offset += HEADER_BYTES + length;
      }
      this.goodLength = offset;
      return checkpoint === undefined ? undefined : { checkpoint, entries };
    }, toError);
  }

  append(checkpoint: bigint, entries: ReadonlyArray<SnapshotEntry>): TE.TaskEither<Error, void> {
    return TE.tryCatch(async () => {
      if (this.goodLength === undefined) throw new Error('snapshot file not loaded or of another format: reset it first');
      // Cut a torn tail left by a crash, so new segments follow the last whole one.
      await truncate(this.path, this.goodLength).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      const buffers: Buffer[] = [];
      for (let start = 0; start === 0 || start < entries.length; start += SEGMENT_ENTRIES) {
        const payload = serialize({ format: FORMAT, checkpoint: checkpoint.toString(), entries: entries.slice(start, start + SEGMENT_ENTRIES) } satisfies Segment);
        const header = Buffer.alloc(HEADER_BYTES);
        header.writeUInt32BE(payload.length);
        buffers.push(header, payload);
      }
      const handle = await open(this.path, 'a');
      try {
        for (const buffer of buffers) await handle.write(buffer);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.goodLength += buffers.reduce((sum, b) => sum + b.length, 0);
    }, toError);
  }

  reset(): TE.TaskEither<Error, void> {
    return TE.tryCatch(async () => {
      await rm(this.path, { force: true });
      this.goodLength = 0;
    }, toError);
  }
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
