import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { GENESIS_HASH, PositionProjector, PositionQueries, toEventsToAppend } from '@treasury/application';
import type { EventToAppend } from '@treasury/event-store';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { batchImport } from './batch-import';
import { IMPORT_CHUNK } from '../../cli/src/import-commands';
import { runLoad } from './http-load';
import { startBareServer, startServer } from './server';
import { consolePhase } from './console';
import { twoInstancesPhase } from './two-instances';
import { STARTUP_TARGET, replayRows, startupResult } from './replay-rows';
import { int, ms, summarise } from './stats';
import { DecidedEvent, buildSyntheticBook } from './synthetic-book';

/**
 * `npm run bench`: builds a ten-year synthetic book (about 1.06 million events) on the embedded
 * store and prints one table. Knobs: BENCH_YEARS, BENCH_QUERIES, BENCH_HTTP_SECONDS, BENCH_HTTP_CLIENTS,
 * BENCH_IMPORT_LINES, and BENCH_ONLY=batch-import (that phase alone) or BENCH_ONLY=http (the HTTP stack's floor and commands over HTTP, no big book) or BENCH_ONLY=in-process (the book, rebuild and
 * in-process queries only) or BENCH_ONLY=console (the book, then the web console in Chromium).
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const YEARS = env('BENCH_YEARS', 10);
const QUERIES = env('BENCH_QUERIES', 5_000);
const HTTP_SECONDS = env('BENCH_HTTP_SECONDS', 10);
const HTTP_CLIENTS = env('BENCH_HTTP_CLIENTS', 32);
const IMPORT_LINES = env('BENCH_IMPORT_LINES', 100_000);
const ONLY = process.env.BENCH_ONLY;
const APPEND_BATCH = 5_000;
const BOOK = 'synthetic';

const rows: Array<[string, string, string]> = [];
const row = (measure: string, result: string, target = '') => {
  rows.push([measure, result, target]);
  console.error(`  ${measure}: ${result}`);
};

const bulkAppend = async (store: SqliteEventStore) => {
  const decided: Array<{ decided: DecidedEvent; eventId: string }> = [];
  const book = buildSyntheticBook({ years: YEARS, seed: 2026 }, (d, eventId) => decided.push({ decided: d, eventId }));
  row(
    'Synthetic book (real decider)',
    `${int(decided.length)} events in ${(book.decideMs / 1000).toFixed(1)} s, ${int(book.refused)} commands refused`,
    '≥ 1,000,000 events',
  );
  let appendMs = 0;
  let expected: number | 'no-stream' = 'no-stream';
  let lastHash = GENESIS_HASH;
  for (let start = 0; start < decided.length; start += APPEND_BATCH) {
    const batch: EventToAppend[] = decided.slice(start, start + APPEND_BATCH).map(({ decided: d, eventId }, index) => {
      const metadata = {
        recordedAt: d.recordedAt,
        command: d.command,
        commandId: eventId,
        actor: 'bench',
        correlationId: eventId,
        causationId: eventId,
      };
      const sealed = toEventsToAppend(BOOK, start + index, lastHash, [{ eventId, event: d.event }], metadata);
      lastHash = sealed.lastHash;
      return sealed.events[0]!;
    });
    const began = performance.now();
    const appended = await store.append(`book-${BOOK}`, batch, expected)();
    appendMs += performance.now() - began;
    if (E.isLeft(appended)) throw new Error(`bulk append failed: ${JSON.stringify(appended.left)}`);
    expected = appended.right.revision;
  }
  row(`Bulk append (SQLite, ${int(APPEND_BATCH)} events per append)`, `${int((decided.length * 1000) / appendMs)} events/s`);
  return { count: decided.length, first: decided[0]!.decided.event.effectiveAt, last: decided[decided.length - 1]!.decided.recordedAt };
};

const randomCut = (first: number, last: number) => {
  const asOf = first + Math.floor(Math.random() * (last - first));
  // Half "as known now", half as known at a random earlier moment.
  const knownAt = Math.random() < 0.5 ? undefined : first + Math.floor(Math.random() * (last - first));
  return { asOf, knownAt };
};

const inProcessQueries = async (projector: PositionProjector, first: number, last: number) => {
  const queries = new PositionQueries(projector, { now: () => last }, () => 0n);
  const samples: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const cut = randomCut(first, last);
    const began = performance.now();
    const answer = await queries.position(BOOK, { asOf: cut.asOf, ...(cut.knownAt === undefined ? {} : { knownAt: cut.knownAt }) })();
    samples.push(performance.now() - began);
    if (E.isLeft(answer)) throw new Error(JSON.stringify(answer.left));
  }
  const s = summarise(samples);
  row(`position query in process (${int(s.count)} random asOf/knownAt)`, `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}`, 'p99 < 5 ms');
};

/** A plain keep-alive GET: lighter on the client than fetch, so the latency measured is mostly the server's. */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
const getStatus = (url: string, authorization: string): Promise<number> =>
  new Promise((resolve, reject) => {
    get(url, { agent: keepAlive, headers: { authorization } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    }).on('error', reject);
  });

const httpQueries = async (dbPath: string, first: number, last: number) => {
  const server = await startServer(dbPath);
  row('API start-up on the 1M-event book (snapshot + catch-up)', startupResult(server.startupMs), STARTUP_TARGET);
  const samples: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const cut = randomCut(first, last);
    const url = `${server.baseUrl}/v1/books/${BOOK}/position?asOf=${new Date(cut.asOf).toISOString()}${cut.knownAt === undefined ? '' : `&knownAt=${new Date(cut.knownAt).toISOString()}`}`;
    const began = performance.now();
    const status = await getStatus(url, server.authorization);
    samples.push(performance.now() - began);
    if (status !== 200) throw new Error(`position answered ${status}`);
  }
  await server.stop();
  const s = summarise(samples);
  row(`GET /position over HTTP (${int(s.count)} random asOf/knownAt)`, `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}`, 'p99 < 5 ms');
};

const COMMAND_BODY = JSON.stringify({ effectiveAt: '2026-01-02T00:00:00Z', wallet: 'pool', btc: '0.05', usdPerBtc: '90000.00' });
const rate = (sent: number, elapsedMs: number) => (sent * 1000) / elapsedMs;
/** Server CPU per request of each HTTP row, for the note under the table that says where a command's time goes. */
const httpCpu: { floor?: number; stack?: number; command?: number; commandRate?: number } = {};
const cpu = (us: number) => `${int(us)} µs`;

const httpCommands = async (dir: string, books: number) => {
  const server = await startServer(join(dir, `commands-${books}.db`));
  const headers = { 'content-type': 'application/json', authorization: server.authorization };
  const bookIds = Array.from({ length: books }, (_, i) => `http-${i}`);
  for (const book of bookIds) {
    const opened = await fetch(`${server.baseUrl}/v1/books/${book}/commands/open-book`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: book, effectiveAt: '2026-01-01T00:00:00Z' }),
    });
    if (opened.status !== 201) throw new Error(`open-book answered ${opened.status}: ${await opened.text()}`);
  }
  const result = await runLoad(server.baseUrl, HTTP_CLIENTS, HTTP_SECONDS, server.cpuMs, (client) => ({
    method: 'POST',
    path: `/v1/books/${bookIds[client % bookIds.length]!}/commands/record-mining-output`,
    headers,
    body: COMMAND_BODY,
    expect: 201,
  }));
  await server.stop();
  if (books === 1) Object.assign(httpCpu, { command: result.serverCpuUs, commandRate: rate(result.sent, result.elapsedMs) });
  const s = summarise(result.samples);
  row(
    `Durable commands via HTTP (${HTTP_CLIENTS} clients, ${books} book${books === 1 ? '' : 's'}, group commit)`,
    `${int(rate(result.sent, result.elapsedMs))} commands/s (p50 ${ms(s.p50)}, p99 ${ms(s.p99)}; server CPU ${cpu(result.serverCpuUs)}/command, client ${cpu(result.clientCpuUs)})`,
    '≥ 2,000 commands/s',
  );
};

/**
 * What the HTTP stack costs before any command is decided: the same clients against node:http alone
 * (a POST with the command's body, parsed, answered 201) and against the API's GET /health (Express,
 * NestJS, security headers, query limits, the guard's route lookup; no credentials, no store write).
 */
const httpFramework = async (dir: string) => {
  const bare = await startBareServer();
  const floor = await runLoad(bare.baseUrl, HTTP_CLIENTS, HTTP_SECONDS / 2, bare.cpuMs, () => ({
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/json' },
    body: COMMAND_BODY,
    expect: 201,
  }));
  await bare.stop();
  row(
    `HTTP floor: node:http alone, POST a command body (${HTTP_CLIENTS} clients)`,
    `${int(rate(floor.sent, floor.elapsedMs))} requests/s (server CPU ${cpu(floor.serverCpuUs)}/request, client ${cpu(floor.clientCpuUs)})`,
  );
  const server = await startServer(join(dir, 'framework.db'));
  const health = await runLoad(server.baseUrl, HTTP_CLIENTS, HTTP_SECONDS / 2, server.cpuMs, () => ({
    method: 'GET',
    path: '/health',
    headers: {},
    expect: 200,
  }));
  await server.stop();
  Object.assign(httpCpu, { floor: floor.serverCpuUs, stack: health.serverCpuUs });
  row(
    `GET /health through the API's HTTP stack (${HTTP_CLIENTS} clients)`,
    `${int(rate(health.sent, health.elapsedMs))} requests/s (server CPU ${cpu(health.serverCpuUs)}/request, ${(health.serverCpuUs / floor.serverCpuUs).toFixed(1)}× the floor)`,
  );
};

const httpPhase = async (dir: string) => {
  await httpFramework(dir);
  await httpCommands(dir, 1);
  await httpCommands(dir, 8);
  await twoInstancesPhase(dir, row);
};

const importPhase = async (dir: string) => {
  const { rate, seconds, cpuSeconds } = await batchImport(dir, IMPORT_LINES);
  row(
    `Batch import (${int(IMPORT_LINES)} commands, CLI path)`,
    `${int(rate)} commands/s (${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} s CPU, ${int(IMPORT_CHUNK)} per commit)`,
    '≥ 20,000 commands/s',
  );
};

/** The accountant's reports over the book's last twelve months, under each lot method (timed once each: the first wallet-fifo read simulates the book). */
const accountingReports = async (projector: PositionProjector, last: number) => {
  const queries = new PositionQueries(projector, { now: () => last }, () => 0n);
  const end = new Date(last);
  const to = { year: end.getUTCFullYear(), month: end.getUTCMonth() + 1 };
  const from = to.month === 12 ? { year: to.year, month: 1 } : { year: to.year - 1, month: to.month + 1 };
  const timed = async (label: string, run: () => Promise<E.Either<unknown, unknown>>) => {
    const began = performance.now();
    const answer = await run();
    if (E.isLeft(answer)) throw new Error(`${label}: ${JSON.stringify(answer.left)}`);
    return performance.now() - began;
  };
  for (const method of ['fifo', 'wallet-fifo'] as const) {
    const first = await timed('month-end', () => queries.monthEnd(BOOK, { from, to, method })());
    const again = await timed('month-end', () => queries.monthEnd(BOOK, { from, to, method })());
    const pnl = await timed('pnl', () => queries.pnl(BOOK, { from, to, method })());
    row(`Month-end report with USD roll-forward, 12 months (${method})`, `${ms(first)} first, ${ms(again)} again; P&L ${ms(pnl)}`);
  }
};

/** In its own function so the bench process drops the projection before the HTTP phase (its GC would skew latencies). */
const inProcessPhase = async (store: SqliteEventStore, snapshotPath: string, first: number, last: number) => {
  const projector = await replayRows(store, snapshotPath, row);
  await inProcessQueries(projector, first, last);
  await accountingReports(projector, last);
  await projector.stop();
};

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'treasury-bench-'));
  const dbPath = join(dir, 'treasury.db');
  console.error(`treasury-engine bench: ${YEARS}-year synthetic book in ${dir}`);
  try {
    if (ONLY === 'http') await httpPhase(dir);
    else if (ONLY !== 'batch-import') {
      const store = new SqliteEventStore(dbPath);
      const { first, last } = await bulkAppend(store);
      if (ONLY !== 'console') await inProcessPhase(store, `${dbPath}.projection`, first, last);
      await store.close();
      if (ONLY !== 'in-process' && ONLY !== 'console') {
        await httpQueries(dbPath, first, last);
        await httpPhase(dir);
      }
      if (ONLY === undefined || ONLY === 'console') await consolePhase(dbPath, BOOK, first, last, row);
    }
    if (ONLY === undefined || ONLY === 'batch-import') await importPhase(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const width = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length), ['Measure', 'Result', 'Target'][c]!.length));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(width[c]!)).join(' | ')} |`;
  console.log(
    `\ntreasury-engine bench, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${require('node:os').cpus().length} cores\n`,
  );
  console.log(line(['Measure', 'Result', 'Target']));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  const { floor, stack, command, commandRate } = httpCpu;
  if (floor !== undefined && stack !== undefined && command !== undefined && commandRate !== undefined && commandRate < 2_000) {
    console.log(
      `\nCommands via HTTP are below 2,000/s: the API is one Node process, so one core, and a command cost it ${cpu(command)} of CPU ` +
        `(a ceiling of ${int(1e6 / command)}/s on a core of its own): ${cpu(floor)} node:http's floor, ${cpu(stack - floor)} the HTTP stack ` +
        `(Express, NestJS, middleware; GET /health less the floor), ${cpu(command - stack)} the command (body, key, decide, hash chain, SQLite commit, projection).`,
    );
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
