import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import * as E from 'fp-ts/Either';
import { SqliteEventStore, createPrivateFile } from '@treasury/event-store-sqlite';
import { storeConfigFromEnv } from '@treasury/startup';
import { brokenChains, describeScan, scanStore } from './chain-scan';

export const BACKUP_USAGE = `  npm run cli -- backup <file>                    online copy of the SQLite store (TREASURY_DB) while the server runs
  npm run cli -- restore <backup> [--to <db>]     verify a backup and put it in place at a path where no store exists`;

/** The SQLite file the environment names; backup and restore are for the embedded store only. */
export const sqlitePathFromEnv = (env: NodeJS.ProcessEnv): E.Either<string, string> => {
  const config = storeConfigFromEnv(env);
  if (E.isLeft(config)) return config;
  const { eventStore } = config.right;
  if (eventStore.kind !== 'sqlite')
    return E.left('backup and restore copy the SQLite store; for EventStoreDB use its own backup procedure (see the README)');
  if (eventStore.path === ':memory:') return E.left('TREASURY_DB=:memory: has nothing to back up');
  return E.right(eventStore.path);
};

/**
 * `backup <file>`: SQLite's backup API copies the store as of one commit while the server keeps
 * writing; then the copy (not the live store) is read once to count its events and check every hash
 * chain, and each chain's head hash is printed, to be noted down and compared after a restore.
 * Exit 0: written and intact; 1: written, but a chain is broken (the copy is kept: it is evidence); 2: usage.
 */
export const runBackup = async (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Promise<number> => {
  const [file, ...rest] = argv;
  if (file === undefined || rest.length > 0) {
    console.error(`usage:\n${BACKUP_USAGE}`);
    return 2;
  }
  const source = sqlitePathFromEnv(env);
  if (E.isLeft(source)) {
    console.error(source.left);
    return 2;
  }
  // Opening a missing path would create an empty store and back that up.
  if (!existsSync(source.right)) {
    console.error(`no store at ${source.right} (TREASURY_DB)`);
    return 2;
  }
  if (existsSync(file)) {
    console.error(`${file} exists: a backup never overwrites a file`);
    return 2;
  }
  // The store first: a store that cannot be opened (permissions, say) leaves nothing behind.
  let live: SqliteEventStore;
  try {
    live = new SqliteEventStore(source.right);
  } catch (error) {
    console.error(`cannot open the store ${source.right}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  // Written and checked under a name of its own, and given the backup's name only when whole: an
  // interrupted backup never sits where a rotation script would take it for a good one.
  const partial = `${file}.partial-${randomUUID().slice(0, 8)}`;
  const removePartial = () => {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  };
  try {
    createPrivateFile(partial);
    await live.backupTo(partial);
  } catch (error) {
    removePartial();
    console.error(`cannot back up to ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    await live.close();
  }
  const copy = new SqliteEventStore(partial);
  let outcome: number;
  try {
    const scan = await scanStore(copy);
    if (E.isLeft(scan)) throw new Error(`reading the copy: ${scan.left}`);
    const broken = brokenChains(scan.right);
    outcome = broken.length > 0 ? 1 : 0;
    console.log(`backed up ${source.right} to ${file} (mode 0600)`);
    for (const line of describeScan(scan.right)) console.log(line);
    if (broken.length > 0) console.error(`${broken.length} hash chain(s) broken in the store as copied: restore will refuse this backup`);
  } catch (error) {
    await copy.close();
    removePartial();
    throw error;
  }
  await copy.close();
  try {
    // link, not rename: it fails rather than replace a file that appeared at the name meanwhile.
    linkSync(partial, file);
  } catch (error) {
    removePartial();
    const code = (error as NodeJS.ErrnoException).code;
    console.error(code === 'EEXIST' ? `${file} exists: a backup never overwrites a file` : `cannot create ${file}: ${String(error)}`);
    return 2;
  }
  removePartial();
  // The new name is durable only once its directory is.
  const directory = openSync(dirname(file), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
  return outcome;
};
