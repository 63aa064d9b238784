import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { Clock } from '../ports/clock';
import { RandomIds } from '../ports/id-generator';
import { BookCommandService, CommandRequest } from './book-command.service';

const clock: Clock = { now: () => Date.parse('2026-03-01T00:00:00Z') };

/** Two services on one store stand for two processes writing the same book. */
describe('BookCommandService with another writer on the same store', () => {
  let store: SqliteEventStore;
  let mine: BookCommandService;
  let theirs: BookCommandService;
  beforeEach(() => {
    store = new SqliteEventStore(':memory:');
    mine = new BookCommandService(store, clock, new RandomIds());
    theirs = new BookCommandService(store, clock, new RandomIds());
  });
  afterEach(() => store.close());

  const run = async (service: BookCommandService, command: string, body: unknown, extra: Partial<CommandRequest> = {}) =>
    service.execute({ bookId: 'acme', command, body, actor: 'test', ...extra })();
  const mined = { effectiveAt: '2026-01-01T00:00:00Z', wallet: 'cold', btc: '2', usdPerBtc: '90000.00' };
  const sale = { effectiveAt: '2026-01-02T00:00:00Z', wallet: 'cold', btc: '2', proceedsUsd: '180000.00' };

  it('catches up with events the other writer appended before deciding', async () => {
    await run(mine, 'open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });
    await run(theirs, 'record-mining-output', mined);
    // `mine` has not seen the mining output; it must read it, or the sale would look like an overdraft.
    const sold = await run(mine, 'record-btc-sale', sale);
    expect(E.isRight(sold) && sold.right.revision).toBe(2);
    // And the BTC is gone for `theirs` too.
    const again = await run(theirs, 'record-btc-sale', sale);
    expect(E.isLeft(again) && again.left).toMatchObject({ _tag: 'RuleViolated', code: 'insufficient-unencumbered-btc' });
  });

  it("sees the other writer's idempotency keys", async () => {
    await run(mine, 'open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });
    const first = await run(theirs, 'record-mining-output', mined, { idempotencyKey: 'k1' });
    const replay = await run(mine, 'record-mining-output', mined, { idempotencyKey: 'k1' });
    expect(E.isRight(first) && E.isRight(replay) && replay.right).toEqual(E.isRight(first) && { ...first.right, replayed: true });
  });

  it('reports a stale If-Match as a mismatch with the current revision', async () => {
    await run(mine, 'open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });
    await run(theirs, 'record-mining-output', mined);
    const stale = await run(mine, 'record-mining-output', mined, { expectedRevision: 0 });
    expect(E.isLeft(stale) && stale.left).toEqual({ _tag: 'RevisionMismatch', expected: 0, actual: 1 });
  });

  it('refuses an unknown command and an invalid body before touching the store', async () => {
    expect(await run(mine, 'sell-everything', {})).toEqual(E.left({ _tag: 'UnknownCommand', command: 'sell-everything' }));
    const invalid = await run(mine, 'open-book', { name: 42 });
    expect(E.isLeft(invalid) && invalid.left).toMatchObject({ _tag: 'InvalidCommand', errors: [{ path: 'name' }] });
    expect(E.isRight(await store.readAll()()) && (await store.readAll()())).toEqual(E.right([]));
  });
});

describe('BookCommandService recorded time', () => {
  it('never records a book event before the previous one, even when the clock steps back', async () => {
    const store = new SqliteEventStore(':memory:');
    let now = Date.parse('2026-03-01T00:00:10Z');
    const service = new BookCommandService(store, { now: () => now }, new RandomIds());
    const run = (command: string, body: unknown) => service.execute({ bookId: 'acme', command, body, actor: 'test' })();
    await run('open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });
    now -= 5000; // NTP steps the clock back five seconds
    const price = await run('record-btc-price', { effectiveAt: '2026-02-01T00:00:00Z', usdPerBtc: '80000.00' });
    expect(E.isRight(price) && price.right.events[0]?.recordedAt).toBe(Date.parse('2026-03-01T00:00:10Z'));
    await store.close();
  });
});

describe('BookCommandService pipelining on one book', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pipelining-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('commits concurrent commands to one book together, in the order they were decided', async () => {
    const store = new SqliteEventStore(join(dir, 'events.db'));
    const service = new BookCommandService(store, clock, new RandomIds());
    const run = (command: string, body: unknown) => service.execute({ bookId: 'acme', command, body, actor: 'test' })();
    await run('open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        run('record-mining-output', { effectiveAt: '2026-01-01T00:00:00Z', wallet: 'cold', btc: '1', usdPerBtc: '90000.00' }),
      ),
    );
    expect(results.map((r) => E.isRight(r) && r.right.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await store.close();
  });

  it('never lets a command decided on a failed commit land: it is decided again after it', async () => {
    // Two processes on one file: `theirs` slips an event in just before our batch commits.
    const mineStore = new SqliteEventStore(join(dir, 'events.db'));
    const theirsStore = new SqliteEventStore(join(dir, 'events.db'));
    const mine = new BookCommandService(mineStore, clock, new RandomIds());
    const theirs = new BookCommandService(theirsStore, clock, new RandomIds());
    const run = (service: BookCommandService, command: string, body: unknown) =>
      service.execute({ bookId: 'acme', command, body, actor: 'test' })();
    await run(mine, 'open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });

    const price = run(theirs, 'record-btc-price', { effectiveAt: '2026-01-01T00:00:00Z', usdPerBtc: '90000.00' });
    // The sale is decided on top of the mining output, whose commit will fail (theirs took revision 1).
    const mined = run(mine, 'record-mining-output', {
      effectiveAt: '2026-01-01T00:00:00Z',
      wallet: 'cold',
      btc: '1',
      usdPerBtc: '90000.00',
    });
    const sold = run(mine, 'record-btc-sale', { effectiveAt: '2026-01-02T00:00:00Z', wallet: 'cold', btc: '1', proceedsUsd: '90000.00' });
    const [p, m, s] = await Promise.all([price, mined, sold]);
    expect([E.isRight(p), E.isRight(m), E.isRight(s)]).toEqual([true, true, true]);

    const log = await mineStore.readStream('book-acme')();
    expect(E.isRight(log) && log.right.map((e) => e.type)).toEqual(['BookOpened', 'BtcPriceObserved', 'MiningOutputReceived', 'BtcSold']);
    await mineStore.close();
    await theirsStore.close();
  });
});
