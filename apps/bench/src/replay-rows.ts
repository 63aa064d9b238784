import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { NoProjectionSnapshots, PositionProjector, decodeStoredEvent } from '@treasury/application';
import { BookEventCodec, EventMetadata } from '@treasury/domain';
import type { StoredEvent } from '@treasury/event-store';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots } from '@treasury/projection-snapshots-file';
import { int } from './stats';

type Row = (measure: string, result: string, target?: string) => void;

const PAGE = 1_000;
const REBUILD_TARGET = 300_000;
const REBUILD_GOAL = 500_000;
const RESTORE_TARGET = 500_000;
const STARTUP_TARGET_MS = 3_000;

const perSecond = (events: number, ms: number) => (events * 1000) / ms;
const rateText = (events: number, ms: number) => `${int(perSecond(events, ms))} events/s`;

/** What the in-process phase measured, for the start-up row's reason (the server runs in another process). */
const measured: { restoreMs?: number; filteredScanMs?: number } = {};

const PROBE = join(__dirname, 'restore-probe.js');

/** restore-probe.ts in its own process, with the server's heap flag. */
const restoreInFreshProcess = (dbPath: string, snapshotPath: string): { fromSnapshot: number; ms: number; loadMs: number } => {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', PROBE, dbPath, snapshotPath], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { fromSnapshot: number; ms: number; loadMs: number };
};

/** Every event of the log through the store port, page by page; `each` sees each page. */
const readAllPages = async (store: SqliteEventStore, each: (page: ReadonlyArray<StoredEvent>) => void): Promise<number> => {
  let after = 0n;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE })();
    if (E.isLeft(page)) throw new Error(`readAll: ${JSON.stringify(page.left)}`);
    each(page.right);
    count += page.right.length;
    if (page.right.length < PAGE) return count;
    after = page.right[page.right.length - 1]!.logPosition;
  }
};

const timed = async (run: () => Promise<number>): Promise<{ events: number; ms: number }> => {
  const began = performance.now();
  const events = await run();
  return { events, ms: performance.now() - began };
};

/**
 * The rebuild taken apart, each stage on the whole log: the SQLite rows alone (better-sqlite3, the
 * store's own query), + JSON.parse (the store's readAll), + decode (the replay decoder, and io-ts
 * alone for comparison), + fold (the rebuild row). The slowest stages are the reason a target is missed.
 */
const breakdown = async (store: SqliteEventStore): Promise<{ stages: Array<[string, string]>; summary: string }> => {
  const db = new Database(store.path, { readonly: true });
  const rows = db
    .prepare<[number | bigint, number], unknown[]>(
      'SELECT position, stream, revision, event_id, type, data, metadata FROM events WHERE position > ? ORDER BY position ASC LIMIT ?',
    )
    .raw(true);
  const read = await timed(async () => {
    let after: number | bigint = 0;
    let count = 0;
    for (;;) {
      const page = rows.all(after, PAGE);
      count += page.length;
      if (page.length < PAGE) return count;
      after = page[page.length - 1]![0] as number | bigint;
    }
  });
  db.close();
  const parsed = await timed(() => readAllPages(store, () => undefined));
  const decoded = await timed(() =>
    readAllPages(store, (page) => {
      for (const stored of page) if (E.isLeft(decodeStoredEvent(stored))) throw new Error(`event ${stored.eventId} does not decode`);
    }),
  );
  const ioTs = await timed(() =>
    readAllPages(store, (page) => {
      for (const stored of page)
        if (E.isLeft(BookEventCodec.decode(stored.data)) || E.isLeft(EventMetadata.decode(stored.metadata)))
          throw new Error(`event ${stored.eventId} does not decode`);
    }),
  );
  return {
    stages: [
      ['  rebuild stage: SQLite rows alone (no JSON)', rateText(read.events, read.ms)],
      ['  rebuild stage: + JSON.parse (the store port)', rateText(parsed.events, parsed.ms)],
      ['  rebuild stage: + replay decoder', `${rateText(decoded.events, decoded.ms)} (io-ts alone: ${rateText(ioTs.events, ioTs.ms)})`],
    ],
    summary: `SQLite rows alone ${rateText(read.events, read.ms)}, with JSON.parse ${rateText(parsed.events, parsed.ms)}, decoded ${rateText(decoded.events, decoded.ms)}; the fold is the rest`,
  };
};

/** The rebuild (with its stages), then a restart from the snapshot it wrote; returns the projection that wrote it, following the log. */
export const replayRows = async (store: SqliteEventStore, snapshotPath: string, row: Row): Promise<PositionProjector> => {
  const projector = new PositionProjector(store, new NoProjectionSnapshots());
  const report = await projector.start()();
  if (E.isLeft(report)) throw report.left;
  await projector.stop();
  const rebuildRate = perSecond(report.right.fromStore, report.right.ms);
  const stages = rebuildRate >= REBUILD_GOAL ? undefined : await breakdown(store);
  const why = rebuildRate >= REBUILD_TARGET ? (stages === undefined ? '' : ' (goal 500,000 not reached)') : `; not met: ${stages!.summary}`;
  row(
    'Projection rebuild from the log (read-all, decode, fold)',
    `${rateText(report.right.fromStore, report.right.ms)} (${(report.right.ms / 1000).toFixed(1)} s)${why}`,
    '≥ 300,000 events/s (goal 500,000)',
  );
  for (const [measure, result] of stages?.stages ?? []) row(measure, result);

  // The same fold, persisted: this start writes the snapshot; a fresh process restarts from it.
  const writer = new PositionProjector(store, new FileProjectionSnapshots(snapshotPath));
  const written = await writer.start()();
  if (E.isLeft(written)) throw written.left;
  const probe = restoreInFreshProcess(store.path, snapshotPath);
  measured.restoreMs = probe.ms;
  const restoreRate = perSecond(probe.fromSnapshot, probe.ms);
  const parts = `the file (read, SHA-256, deserialise) ${(probe.loadMs / 1000).toFixed(2)} s, the rest the columns rebuilt from it`;
  row(
    'Restart from the projection snapshot (fresh process)',
    `${rateText(probe.fromSnapshot, probe.ms)} (${(probe.ms / 1000).toFixed(1)} s, ${int(statSync(snapshotPath).size / 1e6)} MB${restoreRate >= RESTORE_TARGET ? '' : `; not met: ${parts}`})`,
    '≥ 500,000 events/s',
  );
  measured.filteredScanMs = await filteredScanMs(store);
  return writer;
};

/** The webhook worker's start: a type-filtered subscription from position 0 to the head (it competes with the restore for the event loop). */
const filteredScanMs = async (store: SqliteEventStore): Promise<number> => {
  const head = await store.headPosition()();
  if (E.isLeft(head)) throw new Error('head');
  const began = performance.now();
  await new Promise<void>((resolve) => {
    const subscription = store.subscribeToAll(
      {
        eventTypes: { prefixes: ['Webhook'] },
        onCheckpoint: (checkpoint) => {
          if (checkpoint >= head.right) void subscription.close().then(resolve);
        },
      },
      () => undefined,
    );
  });
  return performance.now() - began;
};

/** The start-up row's result, with the measured reason when it misses its target. */
export const startupResult = (startupMs: number): string => {
  const seconds = `${(startupMs / 1000).toFixed(1)} s`;
  if (startupMs < STARTUP_TARGET_MS || measured.restoreMs === undefined) return seconds;
  const scan =
    measured.filteredScanMs === undefined
      ? ''
      : `, the webhook worker's type-filtered scan of the log ${(measured.filteredScanMs / 1000).toFixed(2)} s on the same event loop`;
  return `${seconds}; not met: the snapshot restore ${(measured.restoreMs / 1000).toFixed(2)} s in process${scan}, the rest Node and NestJS start-up`;
};

export const STARTUP_TARGET = '< 3 s';
