import { NoProjectionSnapshots, ProjectionSnapshots } from '@treasury/application';
import type { EventStore } from '@treasury/event-store';
import { EsdbEventStore } from '@treasury/event-store-esdb';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots } from '@treasury/projection-snapshots-file';
import type { EventStoreConfig, StoreConfig } from './store-config';

/** The one place an entry point turns configuration into adapters: nothing else names SqliteEventStore or EsdbEventStore. */
export const openEventStore = (config: EventStoreConfig): EventStore =>
  config.kind === 'sqlite' ? new SqliteEventStore(config.path) : EsdbEventStore.connect(config.connectionString);

/** No path: no snapshot (the projection re-reads the log on every start). */
export const openProjectionSnapshots = (path: string | undefined): ProjectionSnapshots =>
  path === undefined ? new NoProjectionSnapshots() : new FileProjectionSnapshots(path);

export interface ConfiguredStore {
  readonly store: EventStore;
  readonly snapshots: ProjectionSnapshots;
}

/** The configured event store and projection snapshots; the caller closes the store. */
export const openConfiguredStore = (config: StoreConfig): ConfiguredStore => ({
  store: openEventStore(config.eventStore),
  snapshots: openProjectionSnapshots(config.projectionSnapshotPath),
});
