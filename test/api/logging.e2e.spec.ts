import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, SERVER_ENTRY, freePort, readAdminKey } from '@treasury/test-support';

/**
 * The server's logs as an operator sees them: the built server in its own process, its stdout read
 * line by line. Every line is JSON; each request has one line with its request id, which is also the
 * correlation id of the events its command wrote; no line carries a key or an amount.
 */
describe('structured logs (pino JSON on stdout)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'treasury-logs-'));
  const dbPath = join(dir, 'treasury.db');
  let child: ChildProcess | undefined;
  let stdout = '';
  let http: HttpClient;
  let adminKey: string;

  beforeAll(async () => {
    if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run "npm run build" first (npm test does)`);
    const port = await freePort();
    child = spawn(process.execPath, [SERVER_ENTRY], {
      env: { ...process.env, PORT: String(port), TREASURY_DB: dbPath, EVENT_STORE: 'sqlite', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const base = new HttpClient(`http://127.0.0.1:${port}`);
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null || attempt > 200) throw new Error(`server did not start: ${stdout}`);
      if ((await base.get('/health').catch(() => undefined))?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    adminKey = readAdminKey(dbPath);
    http = base.as(adminKey);
  });
  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every line of stdout so far, parsed: a line that is not JSON fails the test. */
  const lines = (): Array<Record<string, unknown>> =>
    stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new Error(`not a JSON line: ${line}`);
        }
      });
  const requestLine = async (requestId: string): Promise<Record<string, unknown>> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const found = lines().find((line) => line['requestId'] === requestId);
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no line for request ${requestId}`);
  };

  it("logs one line per request with its id, which becomes the command's correlation id; no key, no amount in any line", async () => {
    const opened = await http.command(
      'acme',
      'open-book',
      { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' },
      { 'x-request-id': 'req-0001.open' },
    );
    expect(opened.status).toBe(201);
    expect(opened.headers.get('x-request-id')).toBe('req-0001.open');
    const price = await http.command(
      'acme',
      'record-btc-price',
      { effectiveAt: '2025-06-02T00:00:00Z', usdPerBtc: '87654.32' },
      { 'x-request-id': 'req-0002.price' },
    );
    expect(price.status).toBe(201);
    const mined = await http.command('acme', 'record-mining-output', {
      effectiveAt: '2025-06-03T00:00:00Z',
      wallet: 'cold',
      btc: '1.23456789',
      usdPerBtc: '87654.32',
    });
    expect(mined.status).toBe(201);
    // No X-Request-Id: one is made up and answered.
    const generated = mined.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // Not a plain token (a space, markup): replaced, never echoed.
    const odd = await http.get('/v1/books/acme/position', { 'x-request-id': 'a b<script>' });
    expect(odd.status).toBe(200);
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // A caller's own X-Correlation-Id wins over the request id.
    const correlated = await http.command(
      'acme',
      'record-btc-price',
      { effectiveAt: '2025-06-04T00:00:00Z', usdPerBtc: '88000.00' },
      { 'x-request-id': 'req-0003.price', 'x-correlation-id': 'erp-batch-7' },
    );
    expect(correlated.status).toBe(201);
    const refused = await http.command(
      'acme',
      'record-btc-price',
      { effectiveAt: 'soon', usdPerBtc: '73456.19' },
      { 'x-request-id': 'req-0004.bad' },
    );
    expect(refused.status).toBe(400);

    // The events' metadata carries the request id as their correlation id (GET events).
    const events = await http.allEvents('acme');
    const correlation = (eventId: string) =>
      (events.find((event) => event['eventId'] === eventId)!['metadata'] as Record<string, unknown>)['correlationId'];
    expect(correlation(opened.body.events[0].eventId)).toBe('req-0001.open');
    expect(correlation(price.body.events[0].eventId)).toBe('req-0002.price');
    expect(correlation(mined.body.events[0].eventId)).toBe(generated);
    expect(correlation(correlated.body.events[0].eventId)).toBe('erp-batch-7');

    // The request lines: route template (not the URL), status, duration, level.
    expect(await requestLine('req-0001.open')).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      service: 'treasury-engine',
      pid: expect.any(Number),
      hostname: expect.any(String),
      requestId: 'req-0001.open',
      method: 'POST',
      route: '/v1/books/:bookId/commands/:command',
      status: 201,
      durationMs: expect.any(Number),
      msg: 'request',
    });
    expect(await requestLine('req-0004.bad')).toMatchObject({ status: 400, route: '/v1/books/:bookId/commands/:command' });
    expect(await requestLine(generated)).toMatchObject({ method: 'POST', status: 201 });
    expect(lines().filter((line) => line['requestId'] === 'req-0002.price')).toHaveLength(1);

    // Nest's own messages are JSON lines too, with their context.
    expect(lines()).toContainEqual(expect.objectContaining({ level: 'info', context: 'Projection' }));
    expect(lines()).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('treasury-engine listening on') }));

    // Nothing secret, nothing about money: no key (nor its secret half), no Authorization, no body, no amount.
    const all = stdout;
    expect(all).not.toContain(adminKey);
    expect(all).not.toContain(adminKey.slice(-16));
    expect(all.toLowerCase()).not.toContain('bearer');
    expect(all.toLowerCase()).not.toContain('authorization');
    // Amounts no timestamp or duration can spell by chance (a short one such as 1.50 can: "…:11.502Z").
    for (const amount of ['87654.32', '1.23456789', '88000.00', '73456.19']) expect(all).not.toContain(amount);
    expect(all).not.toContain('acme/');
  });
});
