import 'reflect-metadata';
import * as E from 'fp-ts/Either';
import { createApp } from './app.factory';
import { configFromEnv } from './config/app-config';

const main = async (): Promise<void> => {
  const config = configFromEnv(process.env);
  if (E.isLeft(config)) {
    console.error(`treasury-engine: ${config.left}`);
    process.exit(2);
  }
  const app = await createApp(config.right);
  await app.listen(config.right.port);
  const store = config.right.eventStore.kind === 'sqlite' ? `SQLite at ${config.right.eventStore.path}` : 'EventStoreDB';
  console.log(`treasury-engine listening on http://localhost:${config.right.port} (${store}); OpenAPI at /docs`);
};

void main();
