import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../apps/api/src/app.factory';
import type { AppConfig } from '../../apps/api/src/config/app-config';
import { FixedClock } from './fixed-clock';
import { HttpClient } from './http-client';

export interface TestApp {
  /** A client authenticated with the bootstrap admin key. */
  readonly http: HttpClient;
  readonly adminKey: string;
  /** The Nest application itself, for tests that inspect its routes. */
  readonly nest: INestApplication;
  readonly clock: FixedClock;
  readonly dbPath: string;
  /** Stops the server; the database file stays until `dispose`. */
  stop(): Promise<void>;
  /** A second server on the same database file, as after a restart. */
  restart(): Promise<TestApp>;
  dispose(): Promise<void>;
}

/** The bootstrap admin key the server wrote beside its database file. */
export const readAdminKey = (dbPath: string): string => readFileSync(join(dirname(dbPath), 'admin.key'), 'utf8').trim();

/** The test server's clock starts here: after every effectiveAt the tests use. */
export const TEST_NOW = '2026-03-01T12:00:00Z';

/** Configuration a test changes (auth, HTTP limits); everything else is the test app's. */
export type TestConfig = Partial<Omit<AppConfig, 'port' | 'eventStore'>>;

const listen = async (dbPath: string, clock: FixedClock, dir: string, config: TestConfig): Promise<TestApp> => {
  const app: INestApplication = await createApp(
    {
      port: 0,
      eventStore: { kind: 'sqlite', path: dbPath },
      projectionSnapshotPath: `${dbPath}.projection`,
      ...config,
      // Whatever a test sets of auth, the bootstrap key goes where readAdminKey finds it.
      ...(config.auth === undefined ? {} : { auth: { ...config.auth, bootstrapKeyFile: join(dir, 'admin.key') } }),
    },
    { clock },
    false,
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      await app.close();
    }
  };
  // A fresh store makes a bootstrap admin key beside its file: the test client acts with it.
  const adminKey = readAdminKey(dbPath);
  return {
    http: new HttpClient(`http://127.0.0.1:${port}`, { authorization: `Bearer ${adminKey}` }),
    adminKey,
    nest: app,
    clock,
    dbPath,
    stop,
    restart: async () => {
      await stop();
      return listen(dbPath, clock, dir, config);
    },
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** The real API on a fresh SQLite file in a temporary directory, with a fixed clock. */
export const startTestApp = async (now = TEST_NOW, config: TestConfig = {}): Promise<TestApp> => {
  const dir = mkdtempSync(join(tmpdir(), 'treasury-e2e-'));
  return listen(join(dir, 'treasury.db'), new FixedClock(Date.parse(now)), dir, config);
};
