import { closeSync, constants, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** How long a write waits for another connection (another process on the same file) to finish its own. */
export const BUSY_TIMEOUT_MS = 10_000;
const FILE_MODE = 0o600;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Creates `path` empty, readable and writable by its owner only whatever the process umask, and fails
 * (EEXIST) if anything is there. The store's database file is made this way (SQLite gives its -wal and
 * -shm files the database file's mode), and so is a backup, which never overwrites.
 */
export const createPrivateFile = (path: string): void => {
  const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, FILE_MODE);
  try {
    // The mode given to open is masked by the umask; this one is not.
    fchmodSync(fd, FILE_MODE);
  } finally {
    closeSync(fd);
  }
};

/** The database file, created privately if missing; an existing file is left as it is. */
const createPrivately = (path: string): void => {
  mkdirSync(dirname(path), { recursive: true });
  try {
    createPrivateFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
};

const isBusy = (error: unknown): boolean =>
  error instanceof Database.SqliteError && (error.code.startsWith('SQLITE_BUSY') || error.code.startsWith('SQLITE_LOCKED'));

/**
 * Runs `step` again while another connection holds the lock it needs, for up to BUSY_TIMEOUT_MS.
 * SQLite's busy handler does not cover every case: switching a fresh file to WAL while another process
 * is opening the same file fails at once with SQLITE_BUSY (seen in CI with two processes starting
 * together). Opening is synchronous and happens once, so a blocking pause between tries is fine.
 */
export const retryWhileBusy = <A>(step: () => A, timeoutMs = BUSY_TIMEOUT_MS): A => {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(sleeper, 0, 0, Math.min(100, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
    }
  }
};

/** Opens (creating privately if need be) an SQLite file in WAL mode with synchronous=FULL. */
export const openDatabase = (path: string): Database.Database => {
  if (path !== ':memory:') createPrivately(path);
  const db = new Database(path);
  // First, so that everything after it waits for another process wherever SQLite's busy handler applies.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  retryWhileBusy(() => db.pragma('journal_mode = WAL'));
  retryWhileBusy(() => db.pragma('synchronous = FULL'));
  db.defaultSafeIntegers(false);
  return db;
};
