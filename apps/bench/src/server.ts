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
  /** CPU (user + system) the server process has used so far, in milliseconds; NaN where /proc is missing. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Linux: utime + stime of a process, from /proc/<pid>/stat (in clock ticks, 100 a second). */
const processCpuMs = (pid: number | undefined): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
};

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

export const startServer = async (dbPath: string, env: NodeJS.ProcessEnv = {}): Promise<BenchServer> => {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=8192', SERVER_ENTRY], {
    // The bench drives thousands of requests a second from one client: a limit far above that keeps the limiter in the measured path.
    env: { ...process.env, PORT: String(port), TREASURY_DB: dbPath, EVENT_STORE: 'sqlite', RATE_LIMIT_PER_MINUTE: '100000000', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 6_000; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    const healthy = await fetch(`${baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) {
      const startupMs = performance.now() - started;
      return {
        baseUrl,
        authorization: `Bearer ${readFileSync(join(dirname(dbPath), 'admin.key'), 'utf8').trim()}`,
        startupMs,
        cpuMs: () => processCpuMs(child.pid),
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

/**
 * The floor under any framework: node:http alone in its own process, reading a JSON body and answering
 * 201 with a small JSON document, as a command does. The bench sends it the same requests as the API.
 */
const BARE_SERVER = `
const { createServer } = require('node:http');
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const answer = JSON.stringify({ ok: true, fields: Object.keys(body).length });
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write('listening'));
`;

export const startBareServer = async (): Promise<Omit<BenchServer, 'authorization' | 'startupMs'>> => {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', BARE_SERVER], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stderr?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    cpuMs: () => processCpuMs(child.pid),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
};
