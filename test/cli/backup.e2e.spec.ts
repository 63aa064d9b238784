import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots } from '@treasury/projection-snapshots-file';
import { ServerProcess, startServerProcess } from '@treasury/test-support';

const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI as `npm run cli -- …` runs it; asynchronous, so the test's own clients keep writing meanwhile. */
const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });

const stop = async (server: ServerProcess): Promise<void> => {
  server.child.kill('SIGTERM');
  await server.exited;
};

/** Every event of a store file, as the port reads it, up to `until` when given. */
const eventsOf = async (path: string, until?: bigint) => {
  const store = new SqliteEventStore(path);
  try {
    const all = await store.readAll()();
    if (E.isLeft(all)) throw new Error(all.left._tag);
    return all.right.filter((event) => until === undefined || event.logPosition <= until);
  } finally {
    await store.close();
  }
};

/** A server needs its admin key beside the database file; the key is in the restored access log. */
const withAdminKey = (dbPath: string, from: string): string => {
  mkdirSync(dirname(dbPath), { recursive: true });
  copyFileSync(join(dirname(from), 'admin.key'), join(dirname(dbPath), 'admin.key'));
  return dbPath;
};

const POSITION = '/v1/books/miner/position?asOf=2026-02-01T00:00:00Z&knownAt=2030-01-01T00:00:00Z';

/**
 * `npm run cli -- backup` while a server process takes commands, then `restore`: the restored store is
 * exactly the original's log up to the backup's head (a consistent cut), its chains verify, and a
 * server started on it answers the same figures as one started on the original cut at that head.
 */
describe('CLI backup and restore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'treasury-backup-'));
  const live = join(dir, 'live', 'treasury.db');
  const backup = join(dir, 'backup.db');
  const servers: ServerProcess[] = [];
  let head: bigint;
  let backupOut: CliRun;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  });
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) await stop(server);
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (dbPath: string): Promise<ServerProcess> => {
    const server = await startServerProcess(dbPath);
    servers.push(server);
    return server;
  };

  it('backs up while commands are being written: a consistent cut, mode 0600, with its head and chain hash printed', async () => {
    const server = await start(live);
    await server.http.accepted('miner', 'open-book', { name: 'Miner', effectiveAt: '2025-01-01T00:00:00Z' });
    let acknowledged = 0;
    let running = true;
    const worker = async (w: number) => {
      for (let i = 0; running; i++) {
        await server.http.accepted('miner', 'record-mining-output', {
          effectiveAt: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
          wallet: `pool-${w}`,
          btc: '0.01953125',
          usdPerBtc: '94000.00',
          reference: `payout-${w}-${i}`,
        });
        acknowledged += 1;
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    while (acknowledged < 50) await new Promise((resolve) => setTimeout(resolve, 5));
    const before = acknowledged;
    backupOut = await cli(['backup', backup], { TREASURY_DB: live });
    const after = acknowledged;
    while (acknowledged < after + 20) await new Promise((resolve) => setTimeout(resolve, 5));
    running = false;
    await Promise.all(workers);
    await stop(server);

    expect(backupOut).toMatchObject({ status: 0, stderr: '' });
    expect(after).toBeGreaterThan(before);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    head = BigInt(/log head: logPosition (\d+)/.exec(backupOut.stdout)![1]!);
    const copied = await eventsOf(backup);
    const original = await eventsOf(live);
    // The original went on past the backup's head, and the backup is exactly its log up to there.
    expect(original.length).toBeGreaterThan(copied.length);
    expect(copied).toEqual(await eventsOf(live, head));
    expect(copied.at(-1)!.logPosition).toBe(head);
    const book = copied.filter((event) => event.stream === 'book-miner');
    expect(backupOut.stdout).toContain(`events: ${copied.length}\n`);
    expect(backupOut.stdout).toContain(`book miner: ${book.length} events, chain head hash ${book.at(-1)!.metadata['hash']}\n`);
    expect(backupOut.stdout).toMatch(/access log: \d+ events, chain head hash [0-9a-f]{64}\n/);
  });

  it('restores to a new path: verified, and a server on it answers what the original cut at the head answers', async () => {
    const restored = withAdminKey(join(dir, 'restored', 'treasury.db'), live);
    // A running server's snapshot, named by the environment (as in the container): a restore elsewhere
    // (--to) judges the new file's own snapshot path and leaves this one alone.
    const runningServersSnapshot = join(dir, 'running.projection');
    writeFileSync(runningServersSnapshot, 'the running server snapshot');
    const run = await cli(['restore', backup, '--to', restored], { PROJECTION_SNAPSHOT: runningServersSnapshot });
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(runningServersSnapshot, 'utf8')).toBe('the running server snapshot');
    expect(run.stdout).toContain(`no projection snapshot at ${restored}.projection`);
    expect(run.stdout).toContain('every hash chain verified');
    expect(run.stdout).toContain(`log head: logPosition ${head} `);
    expect(statSync(restored).mode & 0o777).toBe(0o600);
    expect(readdirSync(dirname(restored)).sort()).toEqual(['admin.key', 'treasury.db']);

    // The original's own log cut at the backup's head, folded from zero by a server of its own.
    const cut = withAdminKey(join(dir, 'cut', 'treasury.db'), live);
    copyFileSync(live, cut);
    const db = new Database(cut);
    db.prepare('DELETE FROM events WHERE position > ?').run(head);
    db.close();

    const [onRestored, onCut] = [await start(restored), await start(cut)];
    const [mine, theirs] = [await onRestored.http.get(POSITION), await onCut.http.get(POSITION)];
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(theirs.body);
    expect(Number(mine.body.holdings.btc)).toBeGreaterThan(0);
    const verify = await onRestored.http.get('/v1/books/miner/verify');
    expect(verify.body).toMatchObject({ ok: true });
    expect(backupOut.stdout).toContain(`chain head hash ${verify.body.lastHash}\n`);
    expect((await onRestored.http.get('/health')).body).toMatchObject({ status: 'ok', projection: { vanishedEvents: [] } });
    await stop(onRestored);
    await stop(onCut);
  });

  it('refuses a tampered backup and leaves nothing at the target', async () => {
    const tampered = join(dir, 'tampered.db');
    copyFileSync(backup, tampered);
    const db = new Database(tampered);
    const victim = db.prepare<[], { position: number }>("SELECT position FROM events WHERE stream = 'book-miner' AND revision = 10").get()!;
    db.prepare("UPDATE events SET data = replace(data, '0.01953125', '0.01953126') WHERE position = ?").run(victim.position);
    db.close();
    const target = join(dir, 'from-tampered', 'treasury.db');
    const run = await cli(['restore', tampered, '--to', target]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('book miner: BROKEN at revision 10');
    expect(run.stderr).toContain('hash-mismatch');
    expect(run.stderr).toContain('nothing was restored');
    expect(readdirSync(dirname(target))).toEqual([]);
  });

  it("leaves nothing at the backup's name (nor beside it) when the store cannot be opened, and never overwrites a backup", async () => {
    const unopenable = join(dir, 'not-a-store');
    mkdirSync(join(unopenable, 'treasury.db'), { recursive: true }); // a directory where the file should be
    const target = join(dir, 'failed', 'backup.db');
    mkdirSync(dirname(target));
    const run = await cli(['backup', target], { TREASURY_DB: join(unopenable, 'treasury.db') });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('cannot open the store');
    expect(readdirSync(dirname(target))).toEqual([]);
    const again = await cli(['backup', backup], { TREASURY_DB: live });
    expect([again.status, again.stderr]).toEqual([2, `${backup} exists: a backup never overwrites a file\n`]);
  });

  it('never restores over an existing store', async () => {
    const run = await cli(['restore', backup, '--to', live]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('restore never replaces a store');
  });

  it("discards a snapshot of another store, and the original's snapshot taken after the backup; keeps one that belongs", async () => {
    const other = join(dir, 'other', 'treasury.db');
    await new FileProjectionSnapshots(`${other}.projection`).save({
      storeId: 'another-store',
      checkpoint: 1n,
      checkpointEvent: null,
      books: [],
      heads: [],
      findings: [],
    })();
    const otherRun = await cli(['restore', backup, '--to', other]);
    expect(otherRun.status).toBe(0);
    expect(otherRun.stdout).toContain(
      `discarded the projection snapshot at ${other}.projection: it was made from another store (another-store)`,
    );
    expect(existsSync(`${other}.projection`)).toBe(false);

    // The server on the original saved its snapshot when it stopped, past the backup's head.
    const later = withAdminKey(join(dir, 'later', 'treasury.db'), live);
    copyFileSync(`${live}.projection`, `${later}.projection`);
    const laterRun = await cli(['restore', backup, '--to', later]);
    expect(laterRun.stdout).toMatch(
      /discarded the projection snapshot at .*: it has folded the log up to logPosition \d+; the restored log ends at /,
    );
    // Left in place, it would make the server report the events after the head as vanished from the log.
    const onLater = await start(later);
    expect((await onLater.http.get('/health')).body).toMatchObject({ status: 'ok', projection: { vanishedEvents: [] } });
    await stop(onLater);

    // The cut's server saved a snapshot of the same log at the same head: it belongs, and is used.
    const same = withAdminKey(join(dir, 'same', 'treasury.db'), live);
    copyFileSync(join(dir, 'cut', 'treasury.db.projection'), `${same}.projection`);
    const sameRun = await cli(['restore', backup, '--to', same]);
    expect(sameRun.stdout).toContain(`kept the projection snapshot at ${same}.projection: it belongs to the restored store`);
    const onSame = await start(same);
    expect((await onSame.http.get('/health')).body.projection.snapshot).toMatchObject({ status: 'loaded', checkpoint: String(head) });
    await stop(onSame);
  });
});
