import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../apps/api/src/app.factory';
import { FixedClock } from './fixed-clock';
import { HttpClient } from './http-client';

export interface TestApp {
  readonly http: HttpClient;
  readonly clock: FixedClock;
  readonly dbPath: string;
  /** Stops the server; the database file stays until `dispose`. */
  stop(): Promise<void>;
  /** A second server on the same database file, as after a restart. */
  restart(): Promise<TestApp>;
  dispose(): Promise<void>;
}

/** The test server's clock starts here: after every effectiveAt the tests use. */
export const TEST_NOW = '2026-03-01T12:00:00Z';

const listen = async (dbPath: string, clock: FixedClock, dir: string): Promise<TestApp> => {
  const app: INestApplication = await createApp({ port: 0, eventStore: { kind: 'sqlite', path: dbPath }, projectionSnapshotPath: `${dbPath}.projection` }, { clock }, false);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      await app.close();
    }
  };
  return {
    http: new HttpClient(`http://127.0.0.1:${port}`),
    clock,
    dbPath,
    stop,
    restart: async () => {
      await stop();
      return listen(dbPath, clock, dir);
    },
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** The real API on a fresh SQLite file in a temporary directory, with a fixed clock. */
export const startTestApp = async (now = TEST_NOW): Promise<TestApp> => {
  const dir = mkdtempSync(join(tmpdir(), 'treasury-e2e-'));
  return listen(join(dir, 'treasury.db'), new FixedClock(Date.parse(now)), dir);
};
