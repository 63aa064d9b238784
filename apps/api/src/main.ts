import 'reflect-metadata';
import * as E from 'fp-ts/Either';
import { createApp } from './app.factory';
import { DEFAULT_HOST, configFromEnv } from './config/app-config';
import { createLogger, logLevelFromEnv } from './logging/logger';
import { metricsConfigFromEnv } from './metrics/metrics-config';
import { Metrics } from './metrics/metrics.service';

// Belt and braces: every file this process creates (the SQLite database, its journal, the projection
// snapshot, key files) is readable by its owner only, whatever mode the code creating it forgets to set.
process.umask(0o077);

const main = async (): Promise<void> => {
  const level = logLevelFromEnv(process.env);
  if (E.isLeft(level)) {
    console.error(`treasury-engine: ${level.left}`);
    process.exit(2);
  }
  // Everything the process writes from here on is a pino JSON line on stdout.
  const log = createLogger(level.right);
  const config = configFromEnv(process.env);
  const metrics = metricsConfigFromEnv(process.env);
  if (E.isLeft(config) || E.isLeft(metrics)) {
    log.fatal(`treasury-engine: ${E.isLeft(config) ? config.left : E.isLeft(metrics) ? metrics.left : ''}`);
    process.exit(2);
  }
  const host = config.right.host ?? DEFAULT_HOST;
  const app = await createApp(config.right, {}, log);
  await app.listen(config.right.port, host);
  if (metrics.right !== undefined) {
    const { address, port } = await app.get(Metrics).serve(metrics.right);
    log.info(`metrics for Prometheus at http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`);
  }
  const store = config.right.eventStore.kind === 'sqlite' ? `SQLite at ${config.right.eventStore.path}` : 'EventStoreDB';
  const shown = host.includes(':') ? `[${host}]` : host;
  const exposure = host === '0.0.0.0' || host === '::' ? ' on every interface' : '';
  log.info(`treasury-engine listening on http://${shown}:${config.right.port}${exposure} (${store}); OpenAPI at /docs`);
};

// A start that fails (the store unreachable, say) ends the process with one line and exit code 1, for
// the supervisor (systemd, compose's restart policy) to try again, never as an unhandled rejection.
main().catch((error: unknown) => {
  console.error(
    JSON.stringify({
      level: 'fatal',
      time: new Date().toISOString(),
      service: 'treasury-engine',
      msg: `start failed: ${error instanceof Error ? error.message : String(error)}`,
    }),
  );
  process.exit(1);
});
