import * as E from 'fp-ts/Either';
import { PositionProjector } from '@treasury/application';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots } from '@treasury/projection-snapshots-file';

/**
 * A restart from the projection snapshot in a fresh process, as a server start does it: the bench's
 * own heap holds several million-event projections by then, and their garbage collection would be
 * timed as the restore's. Prints one JSON line: the snapshot file alone (read, SHA-256, deserialise),
 * then the whole restart (file, columns, the check against the store, catch-up).
 */
const main = async (): Promise<void> => {
  const [dbPath, snapshotPath] = process.argv.slice(2);
  if (dbPath === undefined || snapshotPath === undefined) throw new Error('usage: restore-probe <db> <snapshot>');
  const snapshots = new FileProjectionSnapshots(snapshotPath);
  const loadBegan = performance.now();
  const loaded = await snapshots.load()();
  if (E.isLeft(loaded) || loaded.right === undefined) throw new Error('no usable snapshot');
  const loadMs = performance.now() - loadBegan;
  const store = new SqliteEventStore(dbPath);
  const projector = new PositionProjector(store, snapshots);
  const report = await projector.start()();
  if (E.isLeft(report)) throw report.left;
  await projector.stop();
  await store.close();
  console.log(JSON.stringify({ fromSnapshot: report.right.fromSnapshot, fromStore: report.right.fromStore, ms: report.right.ms, loadMs }));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
