import * as E from 'fp-ts/Either';
import { BookCommandService, Clock, RandomIds, bookStream } from '@treasury/application';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { DryRunStore } from './dry-run-store';
import { importCsv } from './import-csv';
import { loadProfile } from './profiles';

const clock: Clock = { now: () => Date.parse('2026-03-01T00:00:00Z') };
const profile = (name: string) => {
  const loaded = loadProfile(name);
  if (E.isLeft(loaded)) throw new Error(loaded.left);
  return loaded.right;
};
const PRICES = 'Date,Open,High,Low,Close,Volume\n2026-01-01,1,1,1,90000.00,1\n2026-01-02,1,1,1,91000.00,1\n';
const PAYOUTS = 'Date,Payout (BTC),Pool,Tx Id\n2026-01-02,0.1,F,tx-1\n2026-01-02,0.1,F,tx-1\n';

describe('importCsv against a store', () => {
  let store: SqliteEventStore;
  const types = async () => {
    const read = await store.readStream(bookStream('demo'))();
    return E.isRight(read) ? read.right.map((event) => event.type) : [];
  };
  const run = (name: string, text: string, dryRun = false) => importCsv({ store, profile: profile(name), text, bookId: 'demo', actor: 'test', dryRun });
  const command = async (name: string, body: Record<string, unknown>) => {
    const done = await new BookCommandService(store, clock, new RandomIds()).execute({ bookId: 'demo', actor: 'test', command: name, body })();
    if (E.isLeft(done)) throw new Error(JSON.stringify(done.left));
    return done.right;
  };

  beforeEach(async () => {
    store = new SqliteEventStore(':memory:');
    await command('open-book', { name: 'Demo', effectiveAt: '2025-12-01T00:00:00Z' });
  });
  afterEach(() => store.close());

  it('the dry-run store keeps appends in memory, reads them back on top of the log and checks the expected revision', async () => {
    const dry = new DryRunStore(store);
    const event = { eventId: '00000000-0000-4000-8000-000000000001', type: 'X', data: {}, metadata: {} };
    expect(await dry.append(bookStream('demo'), [event], 5)()).toEqual(E.left({ _tag: 'WrongExpectedRevision', stream: 'book-demo', expected: '5', actual: '0' }));
    const appended = await dry.append(bookStream('demo'), [event], 0)();
    expect(E.isRight(appended) && appended.right.revision).toBe(1);
    const read = await dry.readStream(bookStream('demo'), { fromRevision: 1 })();
    expect(E.isRight(read) && read.right.map((e) => e.type)).toEqual(['X']);
    expect(await types()).toEqual(['BookOpened']);
  });

  it('identical rows are imported once each, and again appends nothing', async () => {
    await run('daily-prices', PRICES);
    const first = await run('pool-payouts', PAYOUTS);
    expect(first).toMatchObject({ rows: 2, appended: 2, replayed: 0 });
    expect(first.planned.map((p) => p.idempotencyKey.slice(-2))).toEqual([':1', ':2']);
    expect(await run('pool-payouts', PAYOUTS)).toMatchObject({ appended: 0, replayed: 2 });
    expect((await types()).filter((t) => t === 'MiningOutputReceived')).toHaveLength(2);
  });

  it('a payout imported before at another book price is refused, not imported twice', async () => {
    await run('daily-prices', PRICES);
    await run('pool-payouts', PAYOUTS);
    const before = await types();
    // The day's close is corrected after the payouts were valued at it.
    await command('record-btc-price', { effectiveAt: '2026-01-02T23:59:59.999Z', usdPerBtc: '95000.00' });
    const again = await run('pool-payouts', PAYOUTS);
    expect(again.failed).toEqual([{ row: 2, message: expect.stringContaining('this row was imported before with other values') }]);
    expect(await types()).toEqual([...before, 'BtcPriceObserved']);
  });

  it('a sale the approval policy holds becomes a proposal, counted as held', async () => {
    await command('record-opening-balance', { wallet: 'exchange', btc: '10', costBasisUsd: '0', acquiredAt: '2025-01-01T00:00:00Z' });
    await command('set-approval-policy', { reversals: false, salesAboveBtc: '1' });
    const fills = 'Time,Side,BTC,USD,Fee,Trade ID\n2026-01-05T10:00:00Z,SELL,0.5,45000.00,10.00,T-1\n2026-01-06T10:00:00Z,SELL,2,180000.00,10.00,T-2\n';
    const dry = await run('exchange-fills', fills, true);
    expect(dry).toMatchObject({ appended: 2, held: 1, planned: [{ status: 'new' }, { status: 'held for approval' }] });
    expect((await types()).slice(-1)).toEqual(['ApprovalPolicySet']);
    expect(await run('exchange-fills', fills)).toMatchObject({ appended: 2, held: 1 });
    expect((await types()).slice(-2)).toEqual(['BtcSold', 'CommandProposed']);
  });
});
