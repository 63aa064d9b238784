import * as E from 'fp-ts/Either';
import { BookCommandService, Clock, RandomIds, bookStream } from '@treasury/application';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { DryRunStore } from './dry-run-store';
import { importCsv, legacyRowKey } from './import-csv';
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
  const run = (name: string, text: string, dryRun = false) =>
    importCsv({ store, profile: profile(name), text, bookId: 'demo', actor: 'test', dryRun });
  const command = async (name: string, body: Record<string, unknown>) => {
    const done = await new BookCommandService(store, clock, new RandomIds()).execute({
      bookId: 'demo',
      actor: 'test',
      command: name,
      body,
    })();
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
    expect(await dry.append(bookStream('demo'), [event], 5)()).toEqual(
      E.left({ _tag: 'WrongExpectedRevision', stream: 'book-demo', expected: '5', actual: '0' }),
    );
    const appended = await dry.append(bookStream('demo'), [event], 0)();
    expect(E.isRight(appended) && appended.right.revision).toBe(1);
    const read = await dry.readStream(bookStream('demo'), { fromRevision: 1 })();
    expect(E.isRight(read) && read.right.map((e) => e.type)).toEqual(['X']);
    expect(await types()).toEqual(['BookOpened']);
  });

  // A repeated transaction id with the same cells is a duplicated export line (one on-chain payout), not two payouts.
  it("a row repeating an earlier row's Tx Id and cells is imported once and reported as a duplicate; again appends nothing", async () => {
    await run('daily-prices', PRICES);
    const first = await run('pool-payouts', PAYOUTS);
    expect(first).toMatchObject({ rows: 2, appended: 1, replayed: 0, duplicates: 1 });
    expect(first.planned.map((p) => [p.row, p.status])).toEqual([
      [2, 'new'],
      [3, 'duplicate in file'],
    ]);
    expect(first.planned[1]!.idempotencyKey).toBe(first.planned[0]!.idempotencyKey);
    expect(await run('pool-payouts', PAYOUTS)).toMatchObject({ appended: 0, replayed: 1, duplicates: 1 });
    expect((await types()).filter((t) => t === 'MiningOutputReceived')).toHaveLength(1);
  });

  it('one Tx Id on two rows with different values stops the file naming both rows, writing nothing', async () => {
    await run('daily-prices', PRICES);
    const before = await types();
    const clash = await run('pool-payouts', 'Date,Payout (BTC),Pool,Tx Id\n2026-01-02,0.1,F,tx-1\n2026-01-02,0.2,F,tx-1\n');
    expect(clash.failed).toEqual([
      { row: 3, column: 'Tx Id', message: expect.stringContaining('"tx-1" is also the id of row 2, with other values') },
    ]);
    expect(await types()).toEqual(before);
  });

  it('identical rows without a transaction id are imported once each (two equal payouts), and again appends nothing', async () => {
    await run('daily-prices', PRICES);
    const noIds = {
      ...profile('pool-payouts'),
      name: 'payouts-no-ids',
      columns: {
        effectiveAt: { column: 'Date', type: 'date' as const },
        btc: { column: 'Payout (BTC)', type: 'btc' as const },
        pool: { column: 'Pool', type: 'text' as const },
      },
    };
    const file = 'Date,Payout (BTC),Pool\n2026-01-02,0.1,F\n 2026-01-02 ,0.1,F\n';
    const first = await importCsv({ store, profile: noIds, text: file, bookId: 'demo', actor: 'test', dryRun: false });
    expect(first).toMatchObject({ rows: 2, appended: 2, duplicates: 0 });
    // The cells are trimmed: the second row is the same row again.
    expect(first.planned.map((p) => p.idempotencyKey.slice(-2))).toEqual([':1', ':2']);
    expect(await importCsv({ store, profile: noIds, text: file, bookId: 'demo', actor: 'test', dryRun: false })).toMatchObject({
      appended: 0,
      replayed: 2,
    });
  });

  it('a copy of a profile under another name, or with another date rule, never imports its rows again', async () => {
    const statement = 'Statement Date,Wallet,Asset,Closing Balance,Pledged\n01/31/2026,cold,BTC,"1,000.5",\n01/31/2026,hot,BTC,2,\n';
    expect(await run('custodian-statement', statement)).toMatchObject({ appended: 2 });
    const copy = { ...profile('custodian-statement'), name: 'my-custodian' };
    expect(await importCsv({ store, profile: copy, text: statement, bookId: 'demo', actor: 'test', dryRun: true })).toMatchObject({
      appended: 0,
      replayed: 2,
    });
    // Start of day instead of end of day: the same rows with another effectiveAt. Refused (the dry run says so), not imported twice.
    const earlier = { ...copy, dateOnlyAt: 'start-of-day' as const };
    const dry = await importCsv({ store, profile: earlier, text: statement, bookId: 'demo', actor: 'test', dryRun: true });
    expect(dry.failed).toEqual([{ row: 2, message: expect.stringContaining('imported before with other values') }]);
    expect((await types()).filter((t) => t === 'HoldingsReported')).toHaveLength(2);
  });

  it('recognises the keys of rows imported before keys left the profile out: a re-run appends nothing', async () => {
    await run('daily-prices', PRICES);
    // As the earlier version imported PAYOUTS: both rows, keyed on the profile and the parsed values.
    const body = {
      effectiveAt: '2026-01-02T23:59:59.999Z',
      btc: '0.10000000',
      pool: 'F',
      reference: 'tx-1',
      wallet: 'pool-payouts',
      usdPerBtc: '91000.00',
    };
    const facts = { command: 'record-mining-output', effectiveAt: body.effectiveAt, btc: body.btc, pool: 'F', reference: 'tx-1' };
    const service = new BookCommandService(store, clock, new RandomIds());
    for (const occurrence of [1, 2]) {
      const done = await service.execute({
        bookId: 'demo',
        actor: 'test',
        command: 'record-mining-output',
        body,
        idempotencyKey: legacyRowKey('pool-payouts', 'demo', facts, occurrence),
      })();
      expect(E.isRight(done)).toBe(true);
    }
    expect(await run('pool-payouts', PAYOUTS)).toMatchObject({ appended: 0, replayed: 1, duplicates: 1 });
    expect((await types()).filter((t) => t === 'MiningOutputReceived')).toHaveLength(2);
  });

  it('a payout imported before at another book price is refused, not imported twice', async () => {
    await run('daily-prices', PRICES);
    await run('pool-payouts', PAYOUTS);
    const before = await types();
    // The day's close is corrected after the payouts were valued at it.
    await command('record-btc-price', { effectiveAt: '2026-01-02T23:59:59.999Z', usdPerBtc: '95000.00' });
    const again = await run('pool-payouts', PAYOUTS);
    expect(again.failed).toEqual([{ row: 2, message: expect.stringContaining('was imported before with other values') }]);
    expect(await types()).toEqual([...before, 'BtcPriceObserved']);
  });

  it('a sale the approval policy holds becomes a proposal, counted as held', async () => {
    await command('record-opening-balance', { wallet: 'exchange', btc: '10', costBasisUsd: '0', acquiredAt: '2025-01-01T00:00:00Z' });
    await command('set-approval-policy', { reversals: false, salesAboveBtc: '1' });
    const fills =
      'Time,Side,BTC,USD,Fee,Trade ID\n2026-01-05T10:00:00Z,SELL,0.5,45000.00,10.00,T-1\n2026-01-06T10:00:00Z,SELL,2,180000.00,10.00,T-2\n';
    const dry = await run('exchange-fills', fills, true);
    expect(dry).toMatchObject({ appended: 2, held: 1, planned: [{ status: 'new' }, { status: 'held for approval' }] });
    expect((await types()).slice(-1)).toEqual(['ApprovalPolicySet']);
    expect(await run('exchange-fills', fills)).toMatchObject({ appended: 2, held: 1 });
    expect((await types()).slice(-2)).toEqual(['BtcSold', 'CommandProposed']);
  });
});
