import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The built CLI, as `npm run cli` runs it (`npm test` builds first). */
const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

/**
 * The CLI import in migration mode: each line may carry `knownAt` beside its body; its events are
 * recorded at that instant, flagged migrated; a line going back in time stops the import by its number.
 */
describe('CLI import with knownAt (migration mode)', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'treasury-cli-migration-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { ...process.env, TREASURY_DB: join(dir, 'treasury.db') },
      encoding: 'utf8',
    });
  const line = (command: string, body: Record<string, unknown>, knownAt?: string) =>
    JSON.stringify({ book: 'acme', command, body, ...(knownAt === undefined ? {} : { knownAt }) });
  const stored = () => {
    const db = new Database(join(dir, 'treasury.db'), { readonly: true });
    const rows = db.prepare('SELECT type, metadata FROM events ORDER BY position').all() as Array<{ type: string; metadata: string }>;
    db.close();
    return rows.map(({ type, metadata }) => {
      const { recordedAt, migrated } = JSON.parse(metadata) as { recordedAt: string; migrated?: boolean };
      return [type, recordedAt, migrated ?? false];
    });
  };

  it('records each line at its knownAt, flags it migrated, and stops at a line that goes back in time', () => {
    const history = [
      line('open-book', { name: 'Acme', effectiveAt: '2024-01-01T00:00:00Z', mode: 'migrating' }, '2024-01-02T09:00:00Z'),
      line(
        'record-mining-output',
        { effectiveAt: '2024-01-31T00:00:00Z', wallet: 'cold', btc: '10', usdPerBtc: '40000.00' },
        '2024-02-01T10:00:00Z',
      ),
      line(
        'record-btc-sale',
        { effectiveAt: '2024-03-15T00:00:00Z', wallet: 'cold', btc: '2', proceedsUsd: '100000.00' },
        '2024-03-16T08:00:00Z',
      ),
    ];
    const backwards = line('record-btc-price', { effectiveAt: '2024-02-29T00:00:00Z', usdPerBtc: '60000.00' }, '2024-03-01T00:00:00Z');
    const file = join(dir, 'history.jsonl');
    writeFileSync(file, [...history, backwards].join('\n'));

    const first = run(['import', file]);
    expect(first.status).toBe(1);
    expect(first.stderr).toContain("line 4: invalid: knownAt must not be before the book's last recordedAt (2024-03-16T08:00:00.000Z)");
    expect(stored()).toEqual([
      ['BookOpened', '2024-01-02T09:00:00.000Z', true],
      ['MiningOutputReceived', '2024-02-01T10:00:00.000Z', true],
      ['BtcSold', '2024-03-16T08:00:00.000Z', true],
    ]);

    // Fixed, re-run: the lines already imported are recognised; go-live then takes the server clock.
    writeFileSync(file, [...history, backwards.replace('2024-03-01T00:00:00Z', '2024-03-31T00:00:00Z'), line('go-live', {})].join('\n'));
    const second = run(['import', file]);
    expect([second.status, second.stdout]).toEqual([0, expect.stringContaining('5 lines, 2 commands appended, 3 already imported')]);
    const events = stored();
    expect(events[3]).toEqual(['BtcPriceObserved', '2024-03-31T00:00:00.000Z', true]);
    expect(events[4]).toEqual(['BookWentLive', expect.any(String), false]);
    expect(Date.parse(events[4]![1] as string)).toBeGreaterThan(Date.parse('2025-01-01T00:00:00Z'));
  });

  it('names a bad knownAt, a knownAt inside the body, and a knownAt on a book opened live by their line numbers', () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(
      file,
      JSON.stringify({ book: 'acme', command: 'open-book', body: { name: 'Acme', mode: 'migrating' }, knownAt: 'March' }),
    );
    expect(run(['import', file]).stderr).toContain('line 1: not an import line: knownAt');
    writeFileSync(file, line('open-book', { name: 'Acme', mode: 'migrating', knownAt: '2024-01-01T00:00:00Z' }));
    expect(run(['import', file]).stderr).toContain('line 1: not an import line: body.knownAt');
    writeFileSync(
      file,
      [
        line('open-book', { name: 'Acme', effectiveAt: '2024-01-01T00:00:00Z' }),
        line('record-btc-price', { effectiveAt: '2024-01-31T00:00:00Z', usdPerBtc: '1.00' }, '2024-02-01T00:00:00Z'),
      ].join('\n'),
    );
    expect(run(['import', file]).stderr).toContain('line 2: invalid: knownAt is taken only by a book in migration mode');
    expect(stored()).toEqual([['BookOpened', expect.any(String), false]]);
  });
});
