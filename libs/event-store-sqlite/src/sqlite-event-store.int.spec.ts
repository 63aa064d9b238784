import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '@treasury/event-store/testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';
import { prefixUpperBound, typeFilterSql } from './type-filter.sql';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

// Each test gets its own database file: the real WAL + fsync path, not :memory:.
eventStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'treasury-store-'));
  dirs.push(dir);
  return { store: new SqliteEventStore(join(dir, 'events.db')), streamPrefix: 'book' };
});

describe('SqliteEventStore durability settings', () => {
  it('runs in WAL mode with synchronous=FULL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'treasury-store-'));
    dirs.push(dir);
    const store = new SqliteEventStore(join(dir, 'events.db'));
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    await store.close();
  });
});

describe('SqliteEventStore group commit', () => {
  const event = (eventId: string) => ({ eventId, type: 'Noted', data: { n: 1 }, metadata: {} });
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  it('commits appends issued together in one transaction, each succeeding or failing alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'treasury-store-'));
    dirs.push(dir);
    const store = new SqliteEventStore(join(dir, 'events.db'));
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    const commits = { count: 0 };
    const original = db.transaction.bind(db);
    // Count outermost transactions: the batch is one, its appends are savepoints inside it.
    (db as unknown as { transaction: typeof db.transaction }).transaction = ((fn: (...args: never[]) => unknown) => {
      const wrapped = original(fn);
      const counted =
        (run: (...args: never[]) => unknown) =>
        (...args: never[]) => {
          if (!db.inTransaction) commits.count += 1;
          return run(...args);
        };
      return Object.assign(counted(wrapped), wrapped, { immediate: counted(wrapped.immediate) });
    }) as typeof db.transaction;

    const results = await Promise.all([
      store.append('a', [event(id(1))], 'no-stream')(),
      store.append('a', [event(id(2))], 0)(), // pipelined behind the first, in the same batch
      store.append('b', [event(id(3))], 5)(), // wrong expected revision
      store.append('c', [event(id(4)), event(id(1))], 'no-stream')(), // fails part-way: duplicate event id
      store.append('d', [event(id(5))], 'any')(),
    ]);
    expect(commits.count).toBe(1);
    expect(results.map((r) => r._tag)).toEqual(['Right', 'Right', 'Left', 'Left', 'Right']);
    const all = await store.readAll()();
    expect(all._tag === 'Right' && all.right.map((e) => [e.stream, e.revision, e.eventId])).toEqual([
      ['a', 0, id(1)],
      ['a', 1, id(2)],
      ['d', 0, id(5)],
    ]);
    await store.close();
  });
});

describe('SqliteEventStore identity and files', () => {
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'treasury-store-'));
    dirs.push(dir);
    return join(dir, 'events.db');
  };

  it('keeps its identity across reopening; another file has another', async () => {
    const path = fresh();
    const first = new SqliteEventStore(path);
    const id = await first.identity()();
    await first.close();
    const again = new SqliteEventStore(path);
    expect(await again.identity()()).toEqual(id);
    await again.close();
    const other = new SqliteEventStore(fresh());
    expect(await other.identity()()).not.toEqual(id);
    await other.close();
  });

  it('creates its database, WAL and shared-memory files readable by their owner only, whatever the umask', async () => {
    const path = fresh();
    const previous = process.umask(0o022);
    try {
      const store = new SqliteEventStore(path);
      await store.append('a', [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'Noted', data: {}, metadata: {} }], 'no-stream')();
      for (const file of [path, `${path}-wal`, `${path}-shm`])
        expect({ file, mode: statSync(file).mode & 0o777 }).toEqual({ file, mode: 0o600 });
      await store.close();
    } finally {
      process.umask(previous);
    }
  });
});

/** Runs one of testing/*-child.ts as a second process on the same files; it prints its result as one JSON line. */
const runChild = <A>(script: string, args: ReadonlyArray<string | number>) =>
  new Promise<A>((resolve, reject) => {
    const argv = ['-r', join(__dirname, 'testing', 'register-ts.cjs'), join(__dirname, 'testing', script), ...args.map(String)];
    execFile(process.execPath, argv, { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${script} ${args[1]}: ${error.message} ${stderr}`)) : resolve(JSON.parse(stdout) as A),
    );
  });

describe('SqliteEventStore shared by two processes', () => {
  const child = (path: string, name: string, count: number, startAt: number) =>
    runChild<{ name: string; failures: unknown[]; firstAttemptAt: number; lastDoneAt: number }>('append-child.ts', [
      path,
      name,
      count,
      startAt,
    ]);

  it('two processes appending to one file concurrently both succeed, and nothing is lost or doubled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'treasury-store-'));
    dirs.push(dir);
    const path = join(dir, 'events.db');
    const COUNT = 1_000;
    const startAt = Date.now() + 3_000;
    const results = await Promise.all([child(path, 'a', COUNT, startAt), child(path, 'b', COUNT, startAt)]);
    expect(results.map((r) => [r.name, r.failures])).toEqual([
      ['a', []],
      ['b', []],
    ]);
    const store = new SqliteEventStore(path);
    const all = await store.readAll()();
    if (all._tag === 'Left') throw new Error('read failed');
    expect(all.right).toHaveLength(2 * COUNT);
    const shared = all.right.filter((e) => e.stream === 'shared');
    expect(shared.map((e) => e.revision)).toEqual([...Array(COUNT).keys()]);
    // Both really wrote at the same time: each started before the other had finished, so every append
    // of the one started first competed for the lock with the other. (How finely the stream interleaves
    // depends on SQLite's busy-wait back-off and the machine's load, so it is not asserted.)
    const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
    expect(a.firstAttemptAt < b.lastDoneAt && b.firstAttemptAt < a.lastDoneAt).toBe(true);
    for (const name of ['a', 'b'])
      expect(all.right.filter((e) => e.stream === `own-${name}`).map((e) => e.revision)).toEqual([...Array(COUNT / 2).keys()]);
    await store.close();
  });
});

describe('SqliteEventStore opened by several processes at the same instant', () => {
  const opener = (dir: string, name: string, rounds: number, startAt: number, gapMs: number) =>
    runChild<{ name: string; failures: string[] }>('open-child.ts', [dir, name, rounds, startAt, gapMs]);

  // Switching a fresh file to WAL while another process opens it failed at once with SQLITE_BUSY
  // (SQLite's busy handler does not cover it); before the fix about one round in ten failed here.
  it('four processes opening the same fresh files together all open them, each file with one identity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'treasury-open-'));
    dirs.push(dir);
    const ROUNDS = 25;
    const startAt = Date.now() + 4_000;
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((name) => opener(dir, name, ROUNDS, startAt, 120)));
    expect(results.map((r) => [r.name, r.failures])).toEqual([
      ['a', []],
      ['b', []],
      ['c', []],
      ['d', []],
    ]);
    for (const round of [0, ROUNDS - 1]) {
      const store = new SqliteEventStore(join(dir, `${round}.db`));
      const all = await store.readAll()();
      expect(all._tag === 'Right' && all.right.map((e) => e.stream).sort()).toEqual(['own-a', 'own-b', 'own-c', 'own-d']);
      await store.close();
    }
  });
});

describe('SqliteEventStore filtered subscription', () => {
  it('finds its few events in SQL (a non-matching row is never parsed), in windows that let the event loop run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'treasury-store-'));
    dirs.push(dir);
    const store = new SqliteEventStore(join(dir, 'events.db'));
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    const insert = db.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
    // 60,000 rows that do not match, their bodies not even JSON, around two that do.
    db.transaction(() => {
      for (let n = 0; n < 60_000; n++) {
        const type = n === 10 || n === 59_990 ? 'WebhookRegistered' : 'BtcSold';
        insert.run('book-big', n, `id-${n}`, type, type === 'BtcSold' ? 'not json {' : JSON.stringify({ n }), '{}');
      }
    })();
    const seen: number[] = [];
    const checkpoints: Array<{ logPosition: bigint; ticks: number }> = [];
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 1);
    const subscription = store.subscribeToAll(
      { eventTypes: { prefixes: ['Webhook'] }, onCheckpoint: (logPosition) => void checkpoints.push({ logPosition, ticks }) },
      (e) => void seen.push(e.data['n'] as number),
    );
    for (let i = 0; i < 400 && !checkpoints.some((c) => c.logPosition === 60_000n); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    clearInterval(ticker);
    await subscription.close();
    expect(seen).toEqual([10, 59_990]);
    // One checkpoint per 20,000-position window, and timers ran between windows (not one long task).
    expect(checkpoints.map((c) => c.logPosition)).toEqual([20_000n, 40_000n, 60_000n]);
    expect(checkpoints[2]!.ticks).toBeGreaterThan(checkpoints[0]!.ticks);
    await store.close();
  });
});

describe('prefixUpperBound', () => {
  it('is the least string above every string with the prefix, in UTF-8 byte order', () => {
    expect(prefixUpperBound('Webhook')).toBe('Webhool');
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{10FFFF}')).toBeUndefined();
    expect(prefixUpperBound('x\uD7FF')).toBe('x\uE000');
    expect(prefixUpperBound('é')).toBe('ê');
    expect(typeFilterSql({ prefixes: ['A', ''] })).toEqual({ sql: '1', params: [] });
  });
});
