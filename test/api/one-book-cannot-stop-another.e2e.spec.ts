import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * The overflow case, end to end: amounts past any bound are refused with the field named; the
 * largest accepted ones add up exactly; and an event no fold can take (here, a row edited in the
 * SQLite file) stops only its own book, whose queries name that event, while every other book keeps
 * answering, before and after a restart.
 */
describe('one book cannot stop another', () => {
  let app: TestApp;
  const payout = (btc: string, usdPerBtc: string, effectiveAt: string) => ({ effectiveAt, wallet: 'cold', btc, usdPerBtc });

  beforeAll(async () => {
    app = await startTestApp();
    for (const book of ['big', 'calm']) await app.http.accepted(book, 'open-book', { name: book, effectiveAt: '2025-01-01T00:00:00Z' });
    await app.http.accepted('calm', 'record-mining-output', payout('6.25', '100000.00', '2025-02-01T00:00:00Z'));
  });
  afterAll(() => app.dispose());

  it('refuses the payouts that overflowed 64 bits before, naming the field, and writes nothing', async () => {
    for (let i = 0; i < 2; i++) {
      const answer = await app.http.command('big', 'record-mining-output', payout('50000000000', '100000.00', '2025-02-01T00:00:00Z'));
      expect([answer.status, answer.body.errors?.[0]?.path]).toEqual([400, 'btc']);
    }
    expect(await app.http.eventCount('big')).toBe(1);
  });

  it('adds up the largest accepted amounts exactly, and every book still answers after a restart', async () => {
    // 21,000,000 BTC is the most one amount may be; at $476.19 the lot's cost stays within $10bn.
    for (let i = 0; i < 3; i++)
      await app.http.accepted('big', 'record-mining-output', payout('21000000', '476.19', `2025-02-0${i + 1}T00:00:00Z`));
    await app.http.accepted('big', 'record-cash-movement', {
      effectiveAt: '2025-02-05T00:00:00Z',
      cashAccount: 'operating',
      amountUsd: '10000000000.00',
      category: 'equity raise',
    });
    const big = (await app.http.get('/v1/books/big/position')).body;
    expect([big.holdings.btc, big.costBasis.totalUsd, big.cash.totalUsd]).toEqual([
      '63000000.00000000',
      '29999970000.00',
      '10000000000.00',
    ]);
    app = await app.restart();
    expect((await app.http.get('/v1/books/big/position')).body.holdings.btc).toBe('63000000.00000000');
    expect((await app.http.get('/v1/books/calm/position')).body.holdings.btc).toBe('6.25000000');
  });

  it('an event no fold can take stops only its book, is named in its answers, and is never saved into a snapshot', async () => {
    const poisoned = await app.http.accepted('big', 'record-btc-price', { effectiveAt: '2025-03-01T00:00:00Z', usdPerBtc: '90000.00' });
    await app.stop();
    // Someone edits the stored event into something no codec accepts.
    const db = new Database(app.dbPath);
    db.prepare("UPDATE events SET data = json_set(data, '$.usdPerBtc', 'lots') WHERE event_id = ?").run(poisoned.events[0].eventId);
    db.close();
    // The snapshot still holds the event as it was folded (verify is what finds an edit): drop it so the log is re-folded.
    rmSync(`${app.dbPath}.projection`, { force: true });
    app = await app.restart();
    const failed = await app.http.get('/v1/books/big/position');
    expect([failed.status, failed.body.type, failed.body.eventId]).toEqual([
      503,
      'https://treasury-engine.dev/problems/projection-failed',
      poisoned.events[0].eventId,
    ]);
    for (const path of [
      '/v1/books/calm/position',
      '/v1/books/calm/lots',
      '/v1/books/calm/position/series?from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z&every=1mo',
    ]) {
      expect([path, (await app.http.get(path)).status]).toEqual([path, 200]);
    }
    await app.http.accepted('calm', 'record-mining-output', payout('3.125', '100000.00', '2025-03-01T00:00:00Z'));
    expect((await app.http.get('/v1/books/calm/position')).body.holdings.btc).toBe('9.37500000');
    const health = (await app.http.get('/health')).body;
    expect(JSON.stringify(health)).toContain(poisoned.events[0].eventId);
    // And the server starts again, with the same confinement, rather than dying on a saved half-state.
    app = await app.restart();
    expect((await app.http.get('/v1/books/big/position')).status).toBe(503);
    expect((await app.http.get('/v1/books/calm/position')).body.holdings.btc).toBe('9.37500000');
  });
});
