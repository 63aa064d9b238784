import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { HttpClient } from './http-client';
import { readAdminKey } from './test-app';

/** The built server, as `npm start` runs it. `npm test` builds before jest runs. */
export const SERVER_ENTRY = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

export interface ServerProcess {
  readonly http: HttpClient;
  readonly child: ChildProcess;
  /** Resolves once the process has exited. */
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

/**
 * Starts the built server in its own process on `dbPath` and waits until /health answers. `env` adds
 * to or overrides the server's environment (PROJECTION_SNAPSHOT for a second instance on the same file).
 */
export const startServerProcess = async (dbPath: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> => {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run "npm run build" first (npm test does)`);
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: { ...process.env, PORT: String(port), TREASURY_DB: dbPath, EVENT_STORE: 'sqlite', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const http = new HttpClient(`http://127.0.0.1:${port}`);
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await http.get('/health')).status === 200) return { http: http.as(readAdminKey(dbPath)), child, exited };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become healthy: ${stderr}`);
};
