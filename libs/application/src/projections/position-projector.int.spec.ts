import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots } from '@treasury/projection-snapshots-file';
import { BookCommandService } from '../commands/book-command.service';
import { Clock } from '../ports/clock';
import { RandomIds } from '../ports/id-generator';
import { PositionQueries } from '../queries/position.query';
import { PositionProjector } from './position-projector';

const clock: Clock = { now: () => Date.parse('2026-03-01T00:00:00Z') };
const mined = (day: number) => ({
  effectiveAt: `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`,
  wallet: 'cold',
  btc: '1',
  usdPerBtc: '90000.00',
});

/** The projector on a real SQLite file and a real snapshot file: catch-up, torn snapshots, freshness, failure. */
describe('PositionProjector', () => {
  let dir: string;
  let store: SqliteEventStore;
  let commands: BookCommandService;
  const snapshotPath = () => join(dir, 'treasury.db.projection');
  const run = async (command: string, body: unknown) => {
    const result = await commands.execute({ bookId: 'acme', command, body, actor: 'test' })();
    if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
    return result.right;
  };
  const btcOf = (projector: PositionProjector) =>
    projector.book('acme')?.raw(Date.parse('2026-02-01T00:00:00Z'), Number.MAX_SAFE_INTEGER).balances.get('unencumbered-btc|cold');
  const warnings: string[] = [];
  const saveFailures: Error[] = [];
  const started = async (saveEvery = 2, snapshots = new FileProjectionSnapshots(snapshotPath())) => {
    const projector = new PositionProjector(store, snapshots, {
      saveEvery,
      minSaveIntervalMs: 0,
      readPage: 3,
      onWarning: (message) => warnings.push(message),
      onSaveFailed: (error) => saveFailures.push(error),
    });
    const report = await projector.start()();
    if (E.isLeft(report)) throw report.left;
    return { projector, report: report.right };
  };

  beforeEach(async () => {
    warnings.length = 0;
    saveFailures.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'projector-'));
    store = new SqliteEventStore(join(dir, 'treasury.db'));
    commands = new BookCommandService(store, clock, new RandomIds());
    await run('open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
    for (let day = 2; day <= 8; day++) await run('record-mining-output', mined(day));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports a running rebuild's progress (events folded, log position reached), and nothing once it is done", async () => {
    // The store holds the rebuild at its second page until the test has looked: no race with the clock.
    let armed = false;
    let pages = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let paused!: () => void;
    const atSecondPage = new Promise<void>((resolve) => (paused = resolve));
    const gated = new Proxy(store, {
      get(target, property) {
        if (property === 'readAll')
          return (options: Parameters<SqliteEventStore['readAll']>[0]) => async () => {
            if (armed && ++pages === 2) {
              paused();
              await held;
            }
            return target.readAll(options)();
          };
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const projector = new PositionProjector(gated, new FileProjectionSnapshots(snapshotPath()), {
      readPage: 3,
      onWarning: () => undefined,
    });
    const start = await projector.start()();
    if (E.isLeft(start)) throw start.left;
    expect(projector.rebuildProgress).toBeUndefined();
    armed = true;
    const rebuild = projector.rebuild()();
    await atSecondPage;
    // One page of three folded (open-book and two payouts), at the log position of the third.
    const all = await store.readAll()();
    if (E.isLeft(all)) throw new Error('read failed');
    expect(projector.rebuildProgress).toEqual({ events: 3, checkpoint: all.right[2]!.logPosition });
    release();
    const report = await rebuild;
    if (E.isLeft(report)) throw report.left;
    expect(report.right.fromStore).toBe(8);
    expect(projector.rebuildProgress).toBeUndefined();
    await projector.stop();
  });

  it('catches up from the store in pages, then from its snapshot plus only what is newer', async () => {
    const first = await started();
    expect(first.report).toMatchObject({ fromSnapshot: 0, fromStore: 8 });
    expect(btcOf(first.projector)).toBe(700_000_000n);
    await first.projector.stop();

    await run('record-mining-output', mined(9));
    const second = await started();
    expect(second.report).toMatchObject({ fromSnapshot: 8, fromStore: 1 });
    expect(btcOf(second.projector)).toBe(800_000_000n);
    await second.projector.stop();
  });

  it('follows new events and snapshots as it goes; a damaged snapshot is ignored and the log re-read', async () => {
    const { projector } = await started(1);
    const appended = await run('record-mining-output', mined(9));
    expect(await projector.waitFor(appended.logPosition, 2_000)).toBe(true);
    expect(btcOf(projector)).toBe(800_000_000n);
    await projector.stop();
    const again = await started();
    expect(again.report).toMatchObject({ fromSnapshot: 9, fromStore: 0 });
    await again.projector.stop();

    truncateSync(snapshotPath(), statSync(snapshotPath()).size - 3);
    const damaged = await started();
    expect(damaged.report).toMatchObject({ fromSnapshot: 0, fromStore: 9 });
    expect(btcOf(damaged.projector)).toBe(800_000_000n);
    await damaged.projector.stop();
  });

  it('a query that must include a position the projection has not reached says so after waiting', async () => {
    const { projector } = await started();
    const queries = new PositionQueries(projector, clock, () => 0n, 50);
    // A position past the end of the log is refused at once: no wait could ever reach it.
    const beyond = await queries.position('acme', { minLogPosition: 1_000n })();
    expect(E.isLeft(beyond) && beyond.left).toMatchObject({ _tag: 'BeyondLog', logPosition: 1_000n, head: 8n });
    // One the log has but the projection has not folded (here: it has stopped following) is waited for.
    const stopped = await started();
    await stopped.projector.stop();
    const later = await run('record-mining-output', mined(9));
    const behind = await new PositionQueries(stopped.projector, clock, () => 0n, 50).position('acme', {
      minLogPosition: later.logPosition,
    })();
    expect(E.isLeft(behind) && behind.left).toMatchObject({ _tag: 'ProjectionBehind', logPosition: later.logPosition, checkpoint: 8n });
    // By default it waits for what this process acknowledged.
    const defaults = new PositionQueries(projector, clock, () => commands.lastAcknowledgedPosition, 2_000);
    await run('record-mining-output', mined(10));
    const fresh = await defaults.position('acme', {})();
    expect(E.isRight(fresh) && fresh.right.position.holdings.btc).toBe(900_000_000n);
    await projector.stop();
  });

  it('confines a failure to its book: that book answers 503 naming the event, others keep folding, and no snapshot is saved', async () => {
    const { projector } = await started(1);
    const snapshotBefore = readFileSync(snapshotPath());
    const foreign = await store.append(
      'book-acme',
      [{ eventId: '00000000-0000-4000-8000-00000000dead', type: 'MiningOutputReceived', data: { btc: 'lots' }, metadata: {} }],
      7,
    )();
    expect(E.isRight(foreign)).toBe(true);
    const other = await commands.execute({
      bookId: 'other',
      command: 'open-book',
      body: { name: 'Other', effectiveAt: '2026-01-01T00:00:00Z' },
      actor: 'test',
    })();
    if (E.isLeft(other)) throw new Error('open-book failed');
    expect(await projector.waitFor(other.right.logPosition, 2_000)).toBe(true);
    const queries = new PositionQueries(projector, clock, () => 0n, 50);
    const answer = await queries.position('acme', {})();
    expect(E.isLeft(answer) && answer.left).toMatchObject({
      _tag: 'ProjectionFailed',
      message: expect.stringContaining('does not decode'),
      event: {
        eventId: '00000000-0000-4000-8000-00000000dead',
        revision: 8,
        logPosition: E.isRight(foreign) ? foreign.right.logPosition : 0n,
      },
    });
    expect(E.isRight(await queries.position('other', {})())).toBe(true);
    expect(projector.failures()).toHaveLength(1);
    await projector.stop();
    // A failed state is never saved: the file is the one from before the failure, and the warning says why.
    expect(readFileSync(snapshotPath()).equals(snapshotBefore)).toBe(true);
    expect(warnings.join('\n')).toContain('snapshot not saved: book acme failed');
  });

  it('discards a snapshot of another store (an empty database beside it) and answers from the new log', async () => {
    const { projector } = await started();
    await projector.stop();
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `treasury.db${suffix}`), { force: true });
    store = new SqliteEventStore(join(dir, 'treasury.db'));
    commands = new BookCommandService(store, clock, new RandomIds());
    const fresh = await started();
    expect(fresh.report).toMatchObject({ fromSnapshot: 0, fromStore: 0 });
    expect(fresh.projector.snapshot).toMatchObject({ status: 'discarded', reason: expect.stringContaining('another store') });
    expect(fresh.projector.book('acme')).toBeUndefined();
    await run('open-book', { name: 'Acme again', effectiveAt: '2026-01-01T00:00:00Z' });
    const appended = await run('record-mining-output', mined(2));
    expect(await fresh.projector.waitFor(appended.logPosition, 2_000)).toBe(true);
    expect(btcOf(fresh.projector)).toBe(100_000_000n);
    await fresh.projector.stop();
  });

  it('an older database restored beside a newer snapshot: discarded, vanished events reported and carried, new writes folded', async () => {
    await store.close();
    for (const suffix of ['', '-wal'])
      if (existsSync(join(dir, `treasury.db${suffix}`))) copyFileSync(join(dir, `treasury.db${suffix}`), join(dir, `backup${suffix}`));
    store = new SqliteEventStore(join(dir, 'treasury.db'));
    commands = new BookCommandService(store, clock, new RandomIds());
    await run('record-mining-output', mined(9));
    await run('record-mining-output', mined(10));
    const newer = await started();
    expect(btcOf(newer.projector)).toBe(900_000_000n);
    await newer.projector.stop();
    await store.close();
    // The backup comes back: the store lost two acknowledged events.
    rmSync(join(dir, 'treasury.db-shm'), { force: true });
    rmSync(join(dir, 'treasury.db-wal'), { force: true });
    for (const suffix of ['', '-wal'])
      if (existsSync(join(dir, `backup${suffix}`))) copyFileSync(join(dir, `backup${suffix}`), join(dir, `treasury.db${suffix}`));
    store = new SqliteEventStore(join(dir, 'treasury.db'));
    commands = new BookCommandService(store, clock, new RandomIds());
    const restored = await started();
    expect(restored.projector.snapshot).toMatchObject({ status: 'discarded' });
    expect(restored.report).toMatchObject({ fromSnapshot: 0, fromStore: 8 });
    expect(btcOf(restored.projector)).toBe(700_000_000n);
    expect(restored.projector.findingOf('acme')).toMatchObject({
      reason: 'events-vanished',
      expected: { revision: 9 },
      found: { revision: 7 },
    });
    // New writes land at positions below the old checkpoint; they are folded.
    const below = await run('record-mining-output', mined(11));
    expect(await restored.projector.waitFor(below.logPosition, 2_000)).toBe(true);
    expect(btcOf(restored.projector)).toBe(800_000_000n);
    await restored.projector.stop();
    // A restart does not forget the finding; a rebuild clears it and says so.
    const again = await started();
    expect(again.projector.snapshot).toMatchObject({ status: 'loaded' });
    expect(again.projector.findingOf('acme')).toMatchObject({ reason: 'events-vanished' });
    const [first, second] = await Promise.all([again.projector.rebuild()(), again.projector.rebuild()()]);
    expect(first).toBe(second);
    expect(E.isRight(first) && first.right.clearedFindings).toEqual([
      expect.objectContaining({ bookId: 'acme', reason: 'events-vanished' }),
    ]);
    expect(again.projector.findings()).toEqual([]);
    await again.projector.stop();
  });

  it('discards a snapshot with any bit flipped (checksum), and still answers exactly', async () => {
    const { projector } = await started();
    await projector.stop();
    const good = readFileSync(snapshotPath());
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 25; trial++) {
      const bytes = Buffer.from(good);
      const bit = Math.floor(random() * bytes.length * 8);
      bytes[bit >> 3] = bytes[bit >> 3]! ^ (1 << (bit & 7));
      writeFileSync(snapshotPath(), bytes);
      const flipped = await started();
      expect({ bit, use: flipped.projector.snapshot.status }).toEqual({ bit, use: 'discarded' });
      expect(flipped.report.fromStore).toBe(8);
      expect(btcOf(flipped.projector)).toBe(700_000_000n);
      await flipped.projector.stop();
      writeFileSync(snapshotPath(), good);
    }
  });

  it('an unwritable snapshot path does not stop the projection: the failed save is reported', async () => {
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    const { projector, report } = await started(2, new FileProjectionSnapshots(join(dir, 'a-file', 'sub', 'treasury.projection')));
    expect(report).toMatchObject({ fromStore: 8 });
    expect(btcOf(projector)).toBe(700_000_000n);
    await projector.stop();
    expect(saveFailures.length).toBeGreaterThan(0);
  });

  it('writes its snapshot readable by its owner only', async () => {
    const previous = process.umask(0o022);
    try {
      const { projector } = await started();
      await projector.stop();
      expect(statSync(snapshotPath()).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});
