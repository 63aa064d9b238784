import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { AccessService, RandomIds, SystemClock } from '@treasury/application';
import { SqliteEventStore } from '@treasury/event-store-sqlite';

/** `npm run cli -- keys …`, the built CLI against a store file, checked through the access service. */
describe('CLI keys', () => {
  const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');
  let dir: string;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'treasury-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'keys', ...args], {
      cwd: dir,
      env: { ...process.env, TREASURY_DB: join(dir, 'treasury.db') },
      encoding: 'utf8',
    });
  const authenticate = async (token: string) => {
    const store = new SqliteEventStore(join(dir, 'treasury.db'));
    try {
      const access = new AccessService(store, new SystemClock(), new RandomIds());
      await access.start()();
      return await access.authenticateKey(token);
    } finally {
      await store.close();
    }
  };

  it('creates a key shown once on stdout, lists it, and revokes it; the access log names the OS user', async () => {
    const created = run('create', '--name', 'ops', '--role', 'auditor', '--book', 'acme', '--book', 'beta');
    expect(created.status).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^tek_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    const principal = await authenticate(token);
    expect(principal).toEqual(
      E.right({ id: `key:${token.slice(4, 12)}`, kind: 'api-key', name: 'ops', grants: [{ role: 'auditor', books: ['acme', 'beta'] }] }),
    );

    const listed = run('list');
    expect(listed.stdout).toContain(token.slice(4, 12));
    expect(listed.stdout).not.toContain(token.slice(13));
    expect(run('revoke', token.slice(4, 12), '--reason', 'rotated').status).toBe(0);
    expect(await authenticate(token)).toEqual(E.left({ _tag: 'KeyRevoked', keyPrefix: token.slice(4, 12) }));

    const store = new SqliteEventStore(join(dir, 'treasury.db'));
    const log = await store.readStream('treasury-access')();
    await store.close();
    expect(E.isRight(log) && log.right.map((e) => (e.metadata as { actor: string }).actor)).toEqual([
      `local:cli:${userInfo().username}`,
      `local:cli:${userInfo().username}`,
    ]);
  });

  it('refuses a bad role, book or expiry with exit code 2 and writes nothing', () => {
    const bad = run('create', '--name', 'x', '--role', 'owner', '--book', 'Not Valid', '--expires-at', 'tomorrow');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--role must be one of/);
    expect(bad.stderr).toMatch(/--book "Not Valid"/);
    expect(bad.stderr).toMatch(/--expires-at/);
    expect(run('list').stdout).not.toMatch(/tek_/);
  });
});
