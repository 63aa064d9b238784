import * as E from 'fp-ts/Either';

/** How the API is wired, read once from the environment at start-up. */
export interface AppConfig {
  readonly port: number;
  readonly eventStore: { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'eventstoredb'; readonly connectionString: string };
  /** Where the position projection keeps its snapshot; absent means it re-reads the log on every start. */
  readonly projectionSnapshotPath?: string;
}

export const DEFAULT_DB_PATH = './data/treasury.db';
export const DEFAULT_ESDB_SNAPSHOT_PATH = './data/eventstoredb.projection';

/** The snapshot sits beside the SQLite file it was folded from; an in-memory store gets none. */
export const defaultSnapshotPath = (eventStore: AppConfig['eventStore']): string | undefined =>
  eventStore.kind === 'eventstoredb' ? DEFAULT_ESDB_SNAPSHOT_PATH : eventStore.path === ':memory:' ? undefined : `${eventStore.path}.projection`;

/** Reads the environment; a bad value stops start-up with a message naming the variable. */
export const configFromEnv = (env: NodeJS.ProcessEnv): E.Either<string, AppConfig> => {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) return E.left(`PORT must be a TCP port number, got "${env.PORT}"`);
  const kind = env.EVENT_STORE ?? 'sqlite';
  let eventStore: AppConfig['eventStore'];
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
  const projectionSnapshotPath = snapshot === 'off' ? undefined : snapshot !== undefined && snapshot !== '' ? snapshot : defaultSnapshotPath(eventStore);
  return E.right({ port, eventStore, ...(projectionSnapshotPath === undefined ? {} : { projectionSnapshotPath }) });
};
