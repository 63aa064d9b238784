import 'reflect-metadata';
import * as E from 'fp-ts/Either';
import { createApp } from './app.factory';
import { DEFAULT_HOST, configFromEnv } from './config/app-config';

// Belt and braces: every file this process creates (the SQLite database, its journal, the projection
// snapshot, key files) is readable by its owner only, whatever mode the code creating it forgets to set.
process.umask(0o077);

const main = async (): Promise<void> => {
  const config = configFromEnv(process.env);
  if (E.isLeft(config)) {
    console.error(`treasury-engine: ${config.left}`);
    process.exit(2);
  }
  const host = config.right.host ?? DEFAULT_HOST;
  const app = await createApp(config.right);
  await app.listen(config.right.port, host);
  const store = config.right.eventStore.kind === 'sqlite' ? `SQLite at ${config.right.eventStore.path}` : 'EventStoreDB';
  const shown = host.includes(':') ? `[${host}]` : host;
  const exposure = host === '0.0.0.0' || host === '::' ? ' on every interface' : '';
  console.log(`treasury-engine listening on http://${shown}:${config.right.port}${exposure} (${store}); OpenAPI at /docs`);
};

void main();
