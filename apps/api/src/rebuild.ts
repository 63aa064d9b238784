import 'reflect-metadata';
import * as E from 'fp-ts/Either';
import { PositionProjector, describeFinding } from '@treasury/application';
import { openConfiguredStore } from '@treasury/startup';
import { configFromEnv } from './config/app-config';

/**
 * `npm run rebuild`: folds the whole event log from zero and replaces the projection snapshot, with
 * the same environment as the server (TREASURY_DB, EVENT_STORE, PROJECTION_SNAPSHOT). Run it with the
 * server stopped; a running server rebuilds in place with POST /v1/admin/projections/rebuild.
 */
const main = async (): Promise<void> => {
  const config = configFromEnv(process.env);
  if (E.isLeft(config)) {
    console.error(`treasury-engine: ${config.left}`);
    process.exit(2);
  }
  const { projectionSnapshotPath } = config.right;
  const { store, snapshots } = openConfiguredStore(config.right);
  let saveFailed: Error | undefined;
  const projector = new PositionProjector(store, snapshots, {
    onWarning: (message) => console.error(`treasury-engine: ${message}`),
    onSaveFailed: (error) => (saveFailed = error),
  });
  // What the old snapshot recorded about vanished events: the rebuild clears it, and says so.
  const previous = await snapshots.load()();
  const report = await projector.rebuild()();
  await projector.stop();
  await store.close();
  if (E.isLeft(report)) {
    console.error(`treasury-engine: rebuild failed: ${report.left.message}`);
    process.exit(1);
  }
  const { fromStore, checkpoint, ms } = report.right;
  const rate = ms > 0 ? Math.round((fromStore * 1000) / ms).toLocaleString('en-US') : '-';
  console.log(
    `rebuilt the position projection from ${fromStore} events (to log position ${checkpoint}) in ${(ms / 1000).toFixed(2)} s, ${rate} events/s`,
  );
  if (E.isRight(previous) && previous.right !== undefined)
    for (const finding of previous.right.findings) console.log(`cleared: ${describeFinding(finding)}`);
  for (const failure of projector.failures())
    console.error(
      `treasury-engine: book ${failure.bookId} failed at event ${failure.eventId} (revision ${failure.revision}): ${failure.message}`,
    );
  if (projectionSnapshotPath === undefined) console.log('no snapshot kept (PROJECTION_SNAPSHOT=off)');
  else if (saveFailed !== undefined || projector.failures().length > 0) {
    console.error(`treasury-engine: snapshot not written${saveFailed === undefined ? '' : `: ${saveFailed.message}`}`);
    process.exit(1);
  } else console.log(`snapshot written to ${projectionSnapshotPath}`);
};

void main();
