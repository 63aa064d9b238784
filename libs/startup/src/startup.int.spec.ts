import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { NoProjectionSnapshots } from '@treasury/application';
import { EsdbEventStore } from '@treasury/event-store-esdb';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots } from '@treasury/projection-snapshots-file';
import { openConfiguredStore, storeConfigFromEnv } from '.';

describe('storeConfigFromEnv', () => {
  it('defaults to SQLite at ./data/treasury.db with its snapshot beside it', () => {
    expect(storeConfigFromEnv({})).toEqual(
      E.right({ eventStore: { kind: 'sqlite', path: './data/treasury.db' }, projectionSnapshotPath: './data/treasury.db.projection' }),
    );
  });

  it('keeps no snapshot for an in-memory store or with PROJECTION_SNAPSHOT=off, and takes any other value as the file', () => {
    expect(storeConfigFromEnv({ TREASURY_DB: ':memory:' })).toEqual(E.right({ eventStore: { kind: 'sqlite', path: ':memory:' } }));
    expect(storeConfigFromEnv({ TREASURY_DB: 'x.db', PROJECTION_SNAPSHOT: 'off' })).toEqual(
      E.right({ eventStore: { kind: 'sqlite', path: 'x.db' } }),
    );
    expect(storeConfigFromEnv({ TREASURY_DB: 'x.db', PROJECTION_SNAPSHOT: 'y.snap' })).toEqual(
      E.right({ eventStore: { kind: 'sqlite', path: 'x.db' }, projectionSnapshotPath: 'y.snap' }),
    );
  });

  it('opens EventStoreDB only with a connection string, and refuses an unknown store by name', () => {
    expect(storeConfigFromEnv({ EVENT_STORE: 'eventstoredb' })).toEqual(E.left(expect.stringContaining('EVENTSTORE_CONNECTION_STRING')));
    expect(storeConfigFromEnv({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' })).toEqual(
      E.right({
        eventStore: { kind: 'eventstoredb', connectionString: 'esdb://localhost:2113?tls=false' },
        projectionSnapshotPath: './data/eventstoredb.projection',
      }),
    );
    expect(storeConfigFromEnv({ EVENT_STORE: 'postgres' })).toEqual(
      E.left('EVENT_STORE must be "sqlite" or "eventstoredb", got "postgres"'),
    );
  });
});

describe('openConfiguredStore', () => {
  it('opens the adapter the configuration names, with the snapshot file it names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'startup-'));
    try {
      const sqlite = openConfiguredStore({
        eventStore: { kind: 'sqlite', path: join(dir, 't.db') },
        projectionSnapshotPath: join(dir, 't.snap'),
      });
      expect(sqlite.store).toBeInstanceOf(SqliteEventStore);
      expect(sqlite.snapshots).toBeInstanceOf(FileProjectionSnapshots);
      expect((sqlite.snapshots as FileProjectionSnapshots).path).toBe(join(dir, 't.snap'));
      await sqlite.store.close();
      const none = openConfiguredStore({ eventStore: { kind: 'sqlite', path: ':memory:' } });
      expect(none.snapshots).toBeInstanceOf(NoProjectionSnapshots);
      await none.store.close();
      // The client connects lazily: constructing it reaches no server.
      const esdb = openConfiguredStore({ eventStore: { kind: 'eventstoredb', connectionString: 'esdb://localhost:2113?tls=false' } });
      expect(esdb.store).toBeInstanceOf(EsdbEventStore);
      await esdb.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
