import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The built CLI, as `npm run cli` and `npm run demo` run it (`npm test` builds first). */
const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

describe('CLI import and demo', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'treasury-cli-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { ...process.env, TREASURY_DB: join(dir, 'treasury.db'), ...env },
      encoding: 'utf8',
    });
  const line = (command: string, body: Record<string, unknown>) => JSON.stringify({ book: 'acme', command, body });
  const eventTypes = () => {
    const db = new Database(join(dir, 'treasury.db'), { readonly: true });
    const types = db
      .prepare('SELECT type FROM events ORDER BY position')
      .all()
      .map((row) => (row as { type: string }).type);
    db.close();
    return types;
  };

  it('stops at a bad line, keeps what came before, and a re-run after the fix appends only the rest', () => {
    const good = [
      line('open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' }),
      line('record-mining-output', { effectiveAt: '2026-01-31T00:00:00Z', wallet: 'cold', btc: '10', usdPerBtc: '90000.00' }),
      '',
      line('record-btc-price', { effectiveAt: '2026-01-31T00:00:00Z', usdPerBtc: '90000.00' }),
    ];
    const badSale = line('record-btc-sale', { effectiveAt: '2026-02-01T00:00:00Z', wallet: 'cold', btc: 2.5, proceedsUsd: '225000.00' });
    const rest = [line('record-mining-output', { effectiveAt: '2026-02-28T00:00:00Z', wallet: 'cold', btc: '10', usdPerBtc: '85000.00' })];
    const file = join(dir, 'commands.jsonl');
    writeFileSync(file, [...good, badSale, ...rest].join('\n'));

    const first = run(['import', file]);
    expect(first.status).toBe(1);
    expect(first.stderr).toContain('line 5: invalid: btc must be a decimal string');
    expect(first.stdout).toContain('5 lines, 3 commands appended, 0 already imported');
    expect(eventTypes()).toEqual(['BookOpened', 'MiningOutputReceived', 'BtcPriceObserved']);

    writeFileSync(file, [...good, badSale.replace('2.5', '"2.5"'), ...rest].join('\n'));
    const second = run(['import', file]);
    expect([second.status, second.stderr]).toEqual([0, expect.stringContaining('100%')]);
    expect(second.stdout).toContain('5 lines, 2 commands appended, 3 already imported');
    expect(eventTypes()).toEqual(['BookOpened', 'MiningOutputReceived', 'BtcPriceObserved', 'BtcSold', 'MiningOutputReceived']);
  });

  it('reports a refused command and a line that is not JSON by their line numbers', () => {
    const file = join(dir, 'refused.jsonl');
    writeFileSync(
      file,
      [
        line('open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' }),
        line('record-btc-sale', { effectiveAt: '2026-01-02T00:00:00Z', wallet: 'cold', btc: '1', proceedsUsd: '1.00' }),
      ].join('\n'),
    );
    expect(run(['import', file]).stderr).toContain('line 2: refused (insufficient-unencumbered-btc)');
    writeFileSync(file, '{"book": "acme", ');
    expect(run(['import', file]).stderr).toContain('line 1: not JSON');
    writeFileSync(file, JSON.stringify({ book: 'Not A Book', command: 'open-book', body: {} }));
    expect(run(['import', file]).stderr).toContain('line 1: not an import line: book');
  });

  it('loads the example book with its opening lots and prints the BTC and USD roll-forwards, the P&L and the reconciliation', () => {
    const demo = run(['demo']);
    expect(demo.status).toBe(0);
    const out = demo.stdout;
    // Each report is a title, a blank line and its table.
    const blocks = out.split('\n\n');
    const section = (title: string) => {
      const at = blocks.findIndex((block) => block.startsWith(title));
      return `${blocks[at]}\n${blocks[at + 1]}`;
    };
    // BTC: month, opening, opening balances, mined, purchased, sold, paid, fees, closing, check.
    const btc = section('BTC roll-forward');
    expect(btc).toMatch(
      /2026-01\s+7528\.30000000\s+0\.00000000\s+496\.35000000\s+0\.00000000\s+550\.03000000\s+0\.00000000\s+0\.00000000\s+7474\.62000000\s+0\.00000000/,
    );
    expect(btc).toMatch(
      /2026-02\s+7474\.62000000\s+0\.00000000\s+0\.00000000\s+0\.00000000\s+4451\.00000000\s+0\.00000000\s+0\.00000000\s+3023\.62000000\s+0\.00000000/,
    );
    // The 30 June holdings are opening lots, not July's mining: July mined exactly what was published.
    expect(btc).toMatch(/2025-07\s+3879\.20000000\s+0\.00000000\s+650\.50000000\s/);
    // USD: every month's check closes to the cent; January's sale of 550.03 BTC relieves the oldest
    // opening lot (2021, $57,000/BTC): 48,952,670.00 - 550.03 x 57,000 = 17,600,960.00 realized.
    const usd = section('USD roll-forward');
    const usdRows = usd.split('\n').filter((line) => /^20\d\d-\d\d\s/.test(line));
    expect(usdRows).toHaveLength(8);
    for (const line of usdRows) expect(line).toMatch(/\s0\.00$/);
    expect(usd).toMatch(/2026-01\s+658792724\.89\s+39023592\.91\s+48952670\.00\s+17600960\.00\s/);
    // P&L: power and hosting are the production costs of the book's account mapping.
    const pnl = section('P&L');
    expect(pnl).toContain('production costs: hosting, power');
    expect(pnl).toMatch(/2025-07\s+75300709\.10\s+0\.00\s+33449837\.30\s+0\.00\s+32140000\.00\s+76610546\.40\s+49408\.15/);
    expect(pnl).toMatch(/\ntotal\s+421717627\.10\s/);
    expect(out).toMatch(
      /2026-01-31\s+operational-update\s+7474\.60000000\s+7474\.62000000\s+-0\.02000000\s+0\.00000000\s+0\.00000000\s+no/,
    );
  });
});
