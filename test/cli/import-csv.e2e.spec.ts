import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { NoProjectionSnapshots, PositionProjector, PositionQueries, SystemClock } from '@treasury/application';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { positionAnswer } from '../../apps/api/src/positions/position.view';
import { reconciliationAnswer } from '../../apps/api/src/reports/reconciliation.view';

/** The built CLI, as `npm run cli` runs it (`npm test` builds first). */
const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');
const EXAMPLES = join(__dirname, '..', '..', 'examples', 'statements');
const sample = (name: string) => join(EXAMPLES, name);

describe('CLI import-csv: the four shipped profiles and their sample statements', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'treasury-csv-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const db = () => join(dir, 'treasury.db');
  const run = (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, TREASURY_DB: db() }, encoding: 'utf8' });
  const csv = (profile: string, file: string, ...more: string[]) =>
    run(['import-csv', '--profile', profile, file, '--book', 'demo', ...more]);
  const eventTypes = (): string[] => {
    if (!existsSync(db())) return [];
    const database = new Database(db(), { readonly: true });
    const types = database
      .prepare('SELECT type FROM events ORDER BY position')
      .all()
      .map((row) => (row as { type: string }).type);
    database.close();
    return types;
  };
  const openDemoBook = () => expect(run(['import', sample('demo-book.jsonl')]).status).toBe(0);
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  /** The book as the projection reads it, at the end of January. */
  const readBook = async () => {
    const store = new SqliteEventStore(db());
    const projector = new PositionProjector(store, new NoProjectionSnapshots());
    const started = await projector.start()();
    if (E.isLeft(started)) throw started.left;
    const queries = new PositionQueries(projector, new SystemClock(), () => started.right.checkpoint);
    const position = await queries.position('demo', { asOf: Date.parse('2026-01-31T23:59:59.999Z') })();
    const reconciliation = await queries.reconciliation('demo', {})();
    await projector.stop();
    await store.close();
    if (E.isLeft(position) || E.isLeft(reconciliation)) throw new Error('the book could not be read');
    return { position: positionAnswer(position.right), reconciliation: reconciliationAnswer(reconciliation.right) };
  };

  it('imports prices, payouts, fills and the custodian statement to the hand-computed position; re-runs append nothing', async () => {
    openDemoBook();
    const steps: ReadonlyArray<readonly [string, string, number]> = [
      ['daily-prices', 'daily-prices.csv', 32],
      ['pool-payouts', 'pool-payouts.csv', 31],
      ['exchange-fills', 'exchange-fills.csv', 4],
      ['custodian-statement', 'custodian-statement.csv', 2],
    ];
    for (const [profile, file, rows] of steps) {
      const result = csv(profile, sample(file));
      expect([result.status, result.stdout.trim()]).toEqual([0, `${sample(file)}: ${rows} rows, ${rows} appended, 0 already imported`]);
    }
    const written = eventTypes();
    expect(written.filter((t) => t === 'BtcPriceObserved')).toHaveLength(32);
    expect(written.filter((t) => t === 'MiningOutputReceived')).toHaveLength(31);
    expect(written.filter((t) => t === 'BtcPurchased')).toHaveLength(2);
    expect(written.filter((t) => t === 'BtcSold')).toHaveLength(2);
    expect(written.filter((t) => t === 'HoldingsReported')).toHaveLength(2);

    const { position, reconciliation } = await readBook();
    // Opening 1,250.5 + payouts 4.68408915 + bought 3.75 - sold 1.75.
    expect(position.holdings.btc).toBe('1257.18408915');
    expect(position.holdings.wallets).toEqual({
      'custody-cold': { btc: '1250.50000000', pledgedBtc: '0.00000000' },
      exchange: { btc: '2.00000000', pledgedBtc: '0.00000000' },
      'pool-payouts': { btc: '4.68408915', pledgedBtc: '0.00000000' },
    });
    expect(position.price).toMatchObject({ usdPerBtc: '98384.12', effectiveAt: '2026-01-31T23:59:59.999Z' });
    // 500,000.00 - (243,430.85 + 608.58) - (120,555.51 + 301.39) + (98,109.52 - 245.27) + (73,269.39 - 183.17).
    expect(position.cash.accounts).toEqual({ operating: '306054.14' });
    // Opening lot 45,018,000.00 + payouts at each day's close 452,925.18 + purchases 364,896.33, less the
    // 1.75 BTC of the opening lot (36,000.00 a BTC) that company-wide FIFO relieves for the two sales.
    expect(position.costBasis).toMatchObject({ totalUsd: '45772821.51', realizedGainUsd: '107950.47' });
    expect(reconciliation.reports.map((r) => [r.source, r.scope, r.btc?.reported, r.btc?.difference, r.flagged])).toEqual([
      ['custodian-statement', { wallet: 'custody-cold' }, '1250.50000000', '0.00000000', false],
      ['custodian-statement', { wallet: 'pool-payouts' }, '4.68408915', '0.00000000', false],
    ]);

    for (const [profile, file, rows] of steps) {
      const again = csv(profile, sample(file));
      expect([again.status, again.stdout.trim()]).toEqual([0, `${sample(file)}: ${rows} rows, 0 appended, ${rows} already imported`]);
    }
    expect(eventTypes()).toEqual(written);
  });

  it('--dry-run prints the commands it would append and writes nothing; payouts before prices stop with the row', () => {
    openDemoBook();
    const before = eventTypes();
    const dry = csv('daily-prices', sample('daily-prices.csv'), '--dry-run');
    expect(dry.status).toBe(0);
    const planned = dry.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { row: number; command: string; body: unknown; status: string });
    expect(planned).toHaveLength(32);
    expect(planned[0]).toMatchObject({
      row: 2,
      command: 'record-btc-price',
      body: { effectiveAt: '2025-12-31T23:59:59.999Z', usdPerBtc: '94224.90', source: 'daily close' },
      status: 'new',
    });
    expect(dry.stderr).toContain('32 rows, would append 32, 0 already imported; nothing written');
    expect(eventTypes()).toEqual(before);

    const payouts = csv('pool-payouts', sample('pool-payouts.csv'), '--dry-run');
    expect(payouts.status).toBe(1);
    expect(payouts.stderr).toContain(
      'row 2, column "Date": the book has no BTC price at or before 2026-01-01T23:59:59.999Z for usdPerBtc: import the daily prices first',
    );
    expect(payouts.stderr).toContain('stopped reading after 10 bad rows');

    // With the prices in, the payouts' dry run values each at its day's close, still writing nothing.
    expect(csv('daily-prices', sample('daily-prices.csv')).status).toBe(0);
    const priced = eventTypes();
    const valued = csv('pool-payouts', sample('pool-payouts.csv'), '--dry-run');
    expect(JSON.parse(valued.stdout.split('\n')[0]!)).toMatchObject({
      row: 2,
      body: {
        effectiveAt: '2026-01-01T23:59:59.999Z',
        btc: '0.15000000',
        usdPerBtc: '93020.40',
        wallet: 'pool-payouts',
        pool: 'Foundry USA',
      },
    });
    expect(eventTypes()).toEqual(priced);
  });

  it('a bad cell stops the file with its row and column, and nothing of the file is written', () => {
    openDemoBook();
    const fills = readFileSync(sample('exchange-fills.csv'), 'utf8').split('\n');
    fills[3] = fills[3]!.replace(',1.00000000,', ',1.000000001,');
    const bad = csv('exchange-fills', write('fills.csv', fills.join('\n')));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('row 4, column "BTC": not a decimal amount with at most 8 decimals (got "1.000000001")');
    expect(bad.stderr).toContain('nothing was written');
    expect(eventTypes()).toEqual(['BookOpened', 'OpeningCashRecorded', 'OpeningBalanceRecorded']);

    const side = csv('exchange-fills', write('side.csv', readFileSync(sample('exchange-fills.csv'), 'utf8').replace('SELL', 'TRANSFER')));
    expect(side.stderr).toContain('row 4, column "Side": "TRANSFER" is not one of "buy", "sell"');
    const short = csv('daily-prices', write('short.csv', 'Date,Open,High,Low,Close,Volume\n2026-01-01,1,2,3,4,5\n\n2026-01-02,1,2,3\n'));
    expect(short.stderr).toContain('row 4: not valid CSV: Invalid Record Length: expect 6, got 4');
    const missing = csv('daily-prices', write('header.csv', 'Day,Close\n2026-01-01,90000\n'));
    expect(missing.stderr).toContain('row 1: no column "Date" in the header (it has "Day", "Close")');
    expect(eventTypes()).toEqual(['BookOpened', 'OpeningCashRecorded', 'OpeningBalanceRecorded']);
  });

  it('a row the rules refuse stops the whole file before anything is written, naming the row', () => {
    openDemoBook();
    // The third fill sells more than the exchange wallet holds: the two buys before it are not written either.
    const oversold = readFileSync(sample('exchange-fills.csv'), 'utf8').replace('SELL,1.00000000', 'SELL,9.00000000');
    const result = csv('exchange-fills', write('oversold.csv', oversold));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('row 4: refused (insufficient-unencumbered-btc)');
    expect(eventTypes()).toEqual(['BookOpened', 'OpeningCashRecorded', 'OpeningBalanceRecorded']);
  });

  it('takes a profile file: semicolons, decimal commas, DD.MM.YYYY in a zone, satoshis; refuses a bad profile by its path', () => {
    openDemoBook();
    const profile = write(
      'my-pool.json',
      JSON.stringify({
        name: 'my-pool',
        command: 'record-mining-output',
        dateFormat: 'DD.MM.YYYY',
        timeZone: 'Europe/Zurich',
        delimiter: ';',
        decimalMark: ',',
        thousandsSeparator: '.',
        skipRows: 2,
        columns: {
          effectiveAt: { column: 'Datum', type: 'date' },
          btc: { column: 'Satoshi', type: 'sats' },
          usdPerBtc: { column: 'Kurs USD', type: 'usd' },
        },
        constants: { wallet: 'pool-ch', pool: 'Braiins' },
      }),
    );
    const file = write(
      'auszahlungen.csv',
      '\ufeffAuszahlungen Januar\nKonto 4711\nDatum;Satoshi;Kurs USD\n15.01.2026;15.000.000;95.123,45\n',
    );
    const result = run(['import-csv', '--profile', profile, file, '--book', 'demo', '--dry-run']);
    expect(result.status).toBe(0);
    // The end of 15 January in Zurich (UTC+1) is 22:59:59.999 UTC.
    expect(JSON.parse(result.stdout)).toMatchObject({
      row: 4,
      body: { effectiveAt: '2026-01-15T22:59:59.999Z', btc: '0.15000000', usdPerBtc: '95123.45', wallet: 'pool-ch' },
    });

    writeFileSync(
      profile,
      JSON.stringify({
        name: 'my-pool',
        command: 'record-btc-sale',
        dateFormat: 'YYYY-MM-DD',
        columns: { effectiveAt: { column: 'Date', type: 'date', colour: 'red' } },
      }),
    );
    const refused = run(['import-csv', '--profile', profile, file, '--book', 'demo']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('columns.effectiveAt.colour is not a known field');
    expect(run(['import-csv', '--profile', 'no-such-profile', file, '--book', 'demo']).stderr).toContain(
      'neither a shipped profile (pool-payouts, exchange-fills, custodian-statement, daily-prices) nor a profile file',
    );
  });

  it('refuses a book that is not open, and bad arguments, writing nothing', () => {
    const result = csv('daily-prices', sample('daily-prices.csv'));
    expect([result.status, result.stderr]).toEqual([1, expect.stringContaining('the book "demo" has not been opened (open-book first)')]);
    expect(eventTypes()).toEqual([]);
    expect(run(['import-csv', '--profile', 'daily-prices', sample('daily-prices.csv')]).status).toBe(2);
    expect(run(['import-csv', '--profile', 'daily-prices', sample('daily-prices.csv'), '--book', 'Not A Book']).stderr).toContain(
      '--book <id> is required',
    );
  });
});
