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
