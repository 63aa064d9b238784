import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '@treasury/event-store/testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

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
      return Object.assign((...args: never[]) => {
        if (!db.inTransaction) commits.count += 1;
        return wrapped(...args);
      }, wrapped);
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
