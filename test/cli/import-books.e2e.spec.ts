import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { NoProjectionSnapshots, PositionProjector, PositionQueries } from '@treasury/application';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { monthEndAnswer } from '../../apps/api/src/reports/month-end.view';
import { pnlAnswer } from '../../apps/api/src/reports/pnl.view';

/** The built CLI, as `npm run cli` runs it (`npm test` builds first). */
const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

/**
 * A real book brought in through the CLI: opening lots and cash, a purchase, a BTC payment, the account
 * mapping, then an amendment of the payment in a second file (its event id read back from the store),
 * and the accountant's figures read from the store the CLI wrote.
 */
describe('CLI import of a real book: opening balances, purchases, BTC payments, account mapping, amend-event', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'treasury-cli-books-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const db = () => join(dir, 'treasury.db');
  const run = (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, TREASURY_DB: db() }, encoding: 'utf8' });
  const line = (command: string, body: Record<string, unknown>) => JSON.stringify({ book: 'acme', command, body });
  const importLines = (name: string, lines: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, lines.join('\n'));
    return run(['import', file]);
  };
  const eventIdOf = (type: string) => {
    const store = new Database(db(), { readonly: true });
    const row = store.prepare('SELECT event_id FROM events WHERE type = ? ORDER BY position DESC LIMIT 1').get(type) as {
      event_id: string;
    };
    store.close();
    return row.event_id;
  };
  const read = async <A>(query: (queries: PositionQueries) => Promise<E.Either<unknown, A>>): Promise<A> => {
    const store = new SqliteEventStore(db());
    const projector = new PositionProjector(store, new NoProjectionSnapshots());
    try {
      const started = await projector.start()();
      if (E.isLeft(started)) throw started.left;
      const answer = await query(new PositionQueries(projector, { now: () => Date.now() }, () => started.right.checkpoint));
      if (E.isLeft(answer)) throw new Error(JSON.stringify(answer.left));
      return answer.right;
    } finally {
      await projector.stop();
      await store.close();
    }
  };

  it('loads the book, amends a payment in one command, and the month-end, roll-forward and P&L show it', async () => {
    const book = [
      line('open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' }),
      line('record-opening-balance', { wallet: 'cold', btc: '10', costBasisUsd: '300000.00', acquiredAt: '2023-06-30T00:00:00Z' }),
      line('record-opening-cash', { effectiveAt: '2026-01-01T00:00:00Z', cashAccount: 'operating', amountUsd: '1000000.00' }),
      line('set-account-mapping', {
        expenseAccounts: { hosting: { code: '6120', name: 'Hosting' } },
        productionCostCategories: ['hosting'],
      }),
      line('record-btc-price', { effectiveAt: '2026-01-01T00:00:00Z', usdPerBtc: '90000.00' }),
      line('record-btc-purchase', {
        effectiveAt: '2026-01-10T00:00:00Z',
        wallet: 'cold',
        btc: '2',
        costUsd: '180000.00',
        feesUsd: '500.00',
      }),
      line('record-mining-output', {
        effectiveAt: '2026-01-15T00:00:00Z',
        wallet: 'cold',
        btc: '1',
        usdPerBtc: '95000.00',
        pool: 'foundry',
      }),
      // Hosting paid in BTC: 1.5 BTC at fair value, a disposal of the oldest lot (cost 30,000/BTC).
      line('record-btc-payment', {
        effectiveAt: '2026-01-20T00:00:00Z',
        wallet: 'cold',
        btc: '1.5',
        usdPerBtc: '100000.00',
        category: 'hosting',
        counterparty: 'Hoster',
      }),
      line('record-btc-price', { effectiveAt: '2026-01-31T00:00:00Z', usdPerBtc: '100000.00' }),
    ];
    const loaded = importLines('book.jsonl', book);
    expect(loaded.stderr).not.toMatch(/line \d+:/);
    expect(loaded.status).toBe(0);
    expect(loaded.stdout).toContain('9 commands appended');

    // The payment was 0.5 BTC, not 1.5: one amend-event, reversal and replacement in one commit.
    const payment = eventIdOf('BtcPaid');
    const amended = importLines('amend.jsonl', [
      line('amend-event', {
        eventId: payment,
        reason: 'the hosting invoice was 50,000.00: 0.5 BTC',
        replacement: {
          effectiveAt: '2026-01-20T00:00:00Z',
          wallet: 'cold',
          btc: '0.5',
          usdPerBtc: '100000.00',
          category: 'hosting',
          counterparty: 'Hoster',
        },
      }),
    ]);
    expect(amended.status).toBe(0);
    const store = new Database(db(), { readonly: true });
    const tail = store.prepare('SELECT type, data FROM events ORDER BY position DESC LIMIT 2').all() as Array<{
      type: string;
      data: string;
    }>;
    store.close();
    expect(tail.map((row) => row.type).sort()).toEqual(['BtcPaid', 'EventReversed']);

    const month = { from: { year: 2026, month: 1 }, to: { year: 2026, month: 1 } };
    const report = monthEndAnswer(await read((queries) => queries.monthEnd('acme', month)()));
    const january = report.months[0]!;
    expect(january).toMatchObject({
      openingBtc: '0.00000000',
      openingBalancesBtc: '10.00000000',
      purchasedBtc: '2.00000000',
      minedBtc: '1.00000000',
      paidBtc: '0.50000000',
      closingBtc: '12.50000000',
      rollforwardCheckBtc: '0.00000000',
    });
    // USD: additions = opening lot 300,000 + purchase 180,500 + mining 95,000; proceeds = the payment at
    // fair value 50,000 relieving 0.5 of the opening lot (15,000): realized 35,000; closing 12.5 x 100,000.
    expect(january.usd).toMatchObject({
      openingFairValueUsd: '0.00',
      additionsUsd: '575500.00',
      proceedsUsd: '50000.00',
      realizedGainUsd: '35000.00',
      closingFairValueUsd: '1250000.00',
      rollforwardCheckUsd: '0.00',
    });
    const pnl = pnlAnswer(await read((queries) => queries.pnl('acme', month)()));
    expect(pnl.months[0]).toMatchObject({
      miningRevenue: { totalUsd: '95000.00', byPool: { foundry: '95000.00' }, withoutPoolUsd: '0.00' },
      realizedGain: { onSalesUsd: '0.00', onPaymentsUsd: '35000.00', onLiquidationsUsd: '0.00' },
      expensesPaidInBtc: { totalUsd: '50000.00', byCategory: { hosting: '50000.00' } },
      costPerBtcMinedUsd: '50000.00',
    });
  });
});
