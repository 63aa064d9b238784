import Database from 'better-sqlite3';
import { startTestApp, TestApp } from '@treasury/test-support';

/** The hash chain over HTTP: a clean log verifies; an event edited in the SQLite file is named. */
describe('tamper evidence', () => {
  let app: TestApp;
  const ids: string[] = [];
  beforeAll(async () => {
    app = await startTestApp();
    const send = async (command: string, body: Record<string, unknown>) =>
      ids.push((await app.http.accepted('acme', command, body)).events[0].eventId);
    await send('open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
    await send('record-mining-output', { effectiveAt: '2026-01-31T00:00:00Z', wallet: 'cold', btc: '650.5', usdPerBtc: '90000.00' });
    await send('record-mining-output', { effectiveAt: '2026-02-28T00:00:00Z', wallet: 'cold', btc: '663.7', usdPerBtc: '85000.00' });
    await send('record-btc-sale', { effectiveAt: '2026-02-28T12:00:00Z', wallet: 'cold', btc: '100', proceedsUsd: '8500000.00' });
  });
  afterAll(() => app.dispose());

  it('verifies an untouched log, event by event from the first', async () => {
    const report = await app.http.get('/v1/books/acme/verify');
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      bookId: 'acme',
      ok: true,
      checked: 4,
      firstBroken: null,
      lastHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const events = await app.http.allEvents('acme');
    expect(events.map((e) => (e.metadata as { previousHash: string }).previousHash)).toEqual([
      '0'.repeat(64),
      ...events.slice(0, -1).map((e) => (e.metadata as { hash: string }).hash),
    ]);
    expect((events[3]!.metadata as { hash: string }).hash).toBe(report.body.lastHash);
  });

  it('names the first event whose hash does not hold after its amount is edited in the file', async () => {
    await app.stop();
    const db = new Database(app.dbPath);
    const changed = db.prepare("UPDATE events SET data = json_set(data, '$.btc', '6637.00000000') WHERE event_id = ?").run(ids[2]);
    db.close();
    expect(changed.changes).toBe(1);
    app = await app.restart();

    const report = await app.http.get('/v1/books/acme/verify');
    expect(report.body).toMatchObject({ ok: false, checked: 2, firstBroken: { eventId: ids[2], revision: 2, reason: 'hash-mismatch' } });
  });

  it('names a deleted event by the gap it leaves', async () => {
    await app.stop();
    const db = new Database(app.dbPath);
    db.prepare("UPDATE events SET data = json_set(data, '$.btc', '663.70000000') WHERE event_id = ?").run(ids[2]);
    db.prepare('DELETE FROM events WHERE event_id = ?').run(ids[1]);
    db.close();
    app = await app.restart();
    const report = await app.http.get('/v1/books/acme/verify');
    expect(report.body).toMatchObject({
      ok: false,
      checked: 1,
      firstBroken: { eventId: ids[2], reason: 'revision-gap', expected: '1', found: '2' },
    });
  });

  it('answers 404 for a book never opened', async () => {
    expect((await app.http.get('/v1/books/nobody/verify')).status).toBe(404);
  });
});
