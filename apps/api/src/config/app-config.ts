import * as E from 'fp-ts/Either';

/** How the API is wired, read once from the environment at start-up. */
export interface AppConfig {
  readonly port: number;
  readonly eventStore: { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'eventstoredb'; readonly connectionString: string };
}

export const DEFAULT_DB_PATH = './data/treasury.db';

/** Reads the environment; a bad value stops start-up with a message naming the variable. */
export const configFromEnv = (env: NodeJS.ProcessEnv): E.Either<string, AppConfig> => {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) return E.left(`PORT must be a TCP port number, got "${env.PORT}"`);
  const kind = env.EVENT_STORE ?? 'sqlite';
  if (kind === 'sqlite') return E.right({ port, eventStore: { kind, path: env.TREASURY_DB ?? DEFAULT_DB_PATH } });
  if (kind === 'eventstoredb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING;
    if (connectionString === undefined || connectionString === '') {
      return E.left('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false');
    }
    return E.right({ port, eventStore: { kind, connectionString } });
  }
  return E.left(`EVENT_STORE must be "sqlite" or "eventstoredb", got "${kind}"`);
};
