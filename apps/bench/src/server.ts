import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The built API in its own process (its own core), as `npm start` runs it. */
export interface BenchServer {
  readonly baseUrl: string;
  /** The bootstrap admin key the server wrote beside its database, as an Authorization header value. */
  readonly authorization: string;
  readonly startupMs: number;
  stop(): Promise<void>;
}

const SERVER_ENTRY = join(__dirname, '..', '..', 'api', 'src', 'main.js');

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

export const startServer = async (dbPath: string): Promise<BenchServer> => {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=8192', SERVER_ENTRY], {
    // The bench drives thousands of requests a second from one client: a limit far above that keeps the limiter in the measured path.
    env: { ...process.env, PORT: String(port), TREASURY_DB: dbPath, EVENT_STORE: 'sqlite', RATE_LIMIT_PER_MINUTE: '100000000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 6_000; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    const healthy = await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false);
    if (healthy) {
      const startupMs = performance.now() - started;
      return {
        baseUrl,
        authorization: `Bearer ${readFileSync(join(dirname(dbPath), 'admin.key'), 'utf8').trim()}`,
        startupMs,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become healthy: ${stderr}`);
};
