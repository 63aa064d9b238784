import * as E from 'fp-ts/Either';

/** Which event store a process opens. */
export type EventStoreConfig =
  { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'eventstoredb'; readonly connectionString: string };

/** The store every entry point (server, CLI, rebuild) opens, read once from the environment at start-up. */
export interface StoreConfig {
  readonly eventStore: EventStoreConfig;
  /** Where the position projection keeps its snapshot; absent means it re-reads the log on every start. */
  readonly projectionSnapshotPath?: string;
}

export const DEFAULT_DB_PATH = './data/treasury.db';
export const DEFAULT_ESDB_SNAPSHOT_PATH = './data/eventstoredb.projection';

/** The snapshot sits beside the SQLite file it was folded from; an in-memory store gets none. */
export const defaultSnapshotPath = (eventStore: EventStoreConfig): string | undefined =>
  eventStore.kind === 'eventstoredb'
    ? DEFAULT_ESDB_SNAPSHOT_PATH
    : eventStore.path === ':memory:'
      ? undefined
      : `${eventStore.path}.projection`;

/**
 * EVENT_STORE (sqlite, the default, or eventstoredb), TREASURY_DB, EVENTSTORE_CONNECTION_STRING and
 * PROJECTION_SNAPSHOT; a bad value stops start-up with a message naming the variable.
 */
export const storeConfigFromEnv = (env: NodeJS.ProcessEnv): E.Either<string, StoreConfig> => {
  const kind = env.EVENT_STORE ?? 'sqlite';
  let eventStore: EventStoreConfig;
  if (kind === 'sqlite') eventStore = { kind, path: env.TREASURY_DB ?? DEFAULT_DB_PATH };
  else if (kind === 'eventstoredb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING;
    if (connectionString === undefined || connectionString === '') {
      return E.left('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false');
    }
    eventStore = { kind, connectionString };
  } else return E.left(`EVENT_STORE must be "sqlite" or "eventstoredb", got "${kind}"`);
  // PROJECTION_SNAPSHOT=off keeps no snapshot; any other value is the file to use.
  const snapshot = env.PROJECTION_SNAPSHOT;
  const projectionSnapshotPath =
    snapshot === 'off' ? undefined : snapshot !== undefined && snapshot !== '' ? snapshot : defaultSnapshotPath(eventStore);
  return E.right({ eventStore, ...(projectionSnapshotPath === undefined ? {} : { projectionSnapshotPath }) });
};
