import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots } from '@treasury/projection-snapshots-file';
import { storeConfigFromEnv } from '@treasury/startup';
import { BACKUP_USAGE, sqlitePathFromEnv } from './backup.command';
import { brokenChains, describeScan, scanStore } from './chain-scan';
import { whySnapshotDoesNotFit } from './snapshot-fit';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** What SQLite keeps beside a database file while it is open (or after a crash). */
const SIDE_FILES = ['-wal', '-shm', '-journal'];

class Refused extends Error {}

const startsLikeSqlite = (path: string): boolean => {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, header, 0, header.length, 0) === header.length && header.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
};

/** SQLite's own page check, and the tables and identity a treasury store has (another SQLite file would otherwise pass as an empty log). */
const checkFile = (path: string): void => {
  const db = new Database(path, { fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok')
      throw new Refused(`SQLite's integrity check failed: ${integrity.map((row) => row.integrity_check).join('; ')}`);
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'meta')")
      .all();
    const storeId =
      tables.length === 2 ? db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'store-id'").get() : undefined;
    if (storeId === undefined)
      throw new Refused('it is an SQLite file but not a treasury-engine store (no events table or store identity)');
  } finally {
    db.close();
  }
};

const removeWithSideFiles = (path: string): void => {
  for (const suffix of ['', ...SIDE_FILES]) rmSync(`${path}${suffix}`, { force: true });
};

/**
 * Where a restore goes: --to, else the store the environment names (as the server would open it), with
 * that store's snapshot path. With --to the snapshot is the new file's own (`<to>.projection`), never
 * PROJECTION_SNAPSHOT: in a container that variable names the running server's snapshot, which a
 * restore beside it must not judge (and delete) against another store.
 */
const restoreTarget = (to: string | undefined, env: NodeJS.ProcessEnv): E.Either<string, { db: string; snapshot: string | undefined }> => {
  const db = to === undefined ? sqlitePathFromEnv(env) : E.right(to);
  if (E.isLeft(db)) return db;
  const ownSnapshot = to === undefined ? {} : { PROJECTION_SNAPSHOT: undefined };
  const config = storeConfigFromEnv({ ...env, EVENT_STORE: 'sqlite', TREASURY_DB: db.right, ...ownSnapshot });
  if (E.isLeft(config)) return config;
  return E.right({ db: db.right, snapshot: config.right.projectionSnapshotPath });
};

/** Removes the snapshot at `path` unless it belongs to the restored store; returns what was done, for the operator. */
const settleSnapshot = async (store: SqliteEventStore, path: string | undefined): Promise<string> => {
  if (path === undefined) return 'no projection snapshot is kept for this store (PROJECTION_SNAPSHOT=off)';
  if (!existsSync(path)) return `no projection snapshot at ${path}: the server folds the restored log on its first start`;
  const loaded = await new FileProjectionSnapshots(path).load()();
  let reason: string | undefined;
  if (E.isLeft(loaded)) reason = `it is unreadable (${loaded.left.message})`;
  else if (loaded.right !== undefined) {
    const fit = await whySnapshotDoesNotFit(store, loaded.right);
    if (E.isLeft(fit)) throw new Error(`reading the restored store: ${fit.left}`);
    reason = fit.right;
  }
  if (reason === undefined) return `kept the projection snapshot at ${path}: it belongs to the restored store`;
  rmSync(path, { force: true });
  return `discarded the projection snapshot at ${path}: ${reason}; the server folds the restored log on its first start`;
};

/**
 * `restore <backup> [--to <db>]`: copies the backup beside the target, checks the copy (SQLite's
 * integrity check, a treasury store, every hash chain as `verify` does), removes a projection snapshot
 * at the target's snapshot path that does not belong to it, and only then links the copy in at the
 * target. The target must not exist: a store a server has open cannot be safely replaced under it,
 * and whether one has it open cannot be reliably told from outside, so an operator stops the server
 * and moves the old file aside (keeping it) first. Exit 0: restored; 1: the backup was refused; 2: usage.
 */
export const runRestore = async (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Promise<number> => {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { to: { type: 'string' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\nusage:\n${BACKUP_USAGE}`);
    return 2;
  }
  const [backup, ...rest] = parsed.positionals;
  if (backup === undefined || rest.length > 0) {
    console.error(`usage:\n${BACKUP_USAGE}`);
    return 2;
  }
  const target = restoreTarget(parsed.values.to, env);
  if (E.isLeft(target)) {
    console.error(target.left);
    return 2;
  }
  const { db, snapshot } = target.right;
  if (!existsSync(backup)) {
    console.error(`no such file: ${backup}`);
    return 2;
  }
  const present = ['', ...SIDE_FILES].map((suffix) => `${db}${suffix}`).filter((path) => existsSync(path));
  if (present.length > 0) {
    console.error(
      `${present.join(', ')} exists: restore never replaces a store. Stop the server using it, move the file aside (keep it), then restore again; or restore --to a new path.`,
    );
    return 2;
  }
  if (!startsLikeSqlite(backup)) {
    console.error(`${backup}: refused, not an SQLite database file`);
    return 1;
  }
  mkdirSync(dirname(db), { recursive: true, mode: 0o700 });
  const temporary = join(dirname(db), `.${basename(db)}.restoring-${randomBytes(6).toString('hex')}`);
  try {
    copyFileSync(backup, temporary, constants.COPYFILE_EXCL);
    chmodSync(temporary, 0o600);
    // A backup someone opened may hold committed pages in its WAL: they belong to it.
    if (existsSync(`${backup}-wal`)) copyFileSync(`${backup}-wal`, `${temporary}-wal`, constants.COPYFILE_EXCL);
    checkFile(temporary);
    const store = new SqliteEventStore(temporary);
    let lines: string[];
    let snapshotLine: string;
    try {
      const scan = await scanStore(store);
      if (E.isLeft(scan)) throw new Refused(`reading it failed: ${scan.left}`);
      lines = describeScan(scan.right);
      const broken = brokenChains(scan.right);
      if (broken.length > 0) {
        for (const line of lines) console.error(line);
        throw new Refused(`${broken.length} hash chain(s) broken: the backup was altered or damaged after it was taken`);
      }
      // Before the store is in place: a server starting on it must never meet the old snapshot.
      snapshotLine = await settleSnapshot(store, snapshot);
    } finally {
      await store.close();
    }
    if (SIDE_FILES.some((suffix) => existsSync(`${temporary}${suffix}`))) throw new Error('the verified copy was not closed cleanly');
    // link, unlike rename, fails if something appeared at the target meanwhile.
    linkSync(temporary, db);
    rmSync(temporary);
    const dir = openSync(dirname(db), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    console.log(`restored ${backup} to ${db} (mode 0600); every hash chain verified`);
    for (const line of lines) console.log(line);
    console.log(snapshotLine);
    return 0;
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    console.error(`${backup}: refused, ${error.message}; nothing was restored`);
    return 1;
  } finally {
    removeWithSideFiles(temporary);
  }
};
