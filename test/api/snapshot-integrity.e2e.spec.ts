import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { BookEvent } from '@treasury/domain';
import { GENESIS_HASH, bookStream, toEventsToAppend } from '@treasury/application';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { TestApp, startTestApp } from '../support';

const B = '/v1/books';
const mined = (day: number, btc = '1') => ({
  effectiveAt: `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`,
  wallet: 'cold',
  btc,
  usdPerBtc: '90000.00',
});
const btcOf = async (app: TestApp, book: string) =>
  (await app.http.get(`${B}/${book}/position?asOf=2026-02-01T00:00:00Z`)).body?.holdings?.btc;

const removeDb = (dbPath: string) => ['', '-wal', '-shm'].forEach((suffix) => rmSync(`${dbPath}${suffix}`, { force: true }));

/** Projection snapshots are bound to the log they came from and checked before use; when in doubt, the log wins. */
describe('projection integrity over HTTP', () => {
  // No wall-clock bound (flaky on a shared machine; timings live in the bench): a rebuild that held the
  // event loop would let /health answer once, after it; one folding in slices is seen "rebuilding" by it.
  let app: TestApp;
  afterEach(async () => app.dispose());

  it('an older database restored beside a newer snapshot: correct figures, vanished events reported by /health and verify, cleared by a rebuild', async () => {
    app = await startTestApp();
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
    await app.http.accepted('acme', 'record-mining-output', mined(2));
    await app.stop();
    copyFileSync(app.dbPath, `${app.dbPath}.backup`); // the server closed the file: the WAL is checkpointed into it
    app = await app.restart();
    await app.http.accepted('acme', 'record-mining-output', mined(3));
    await app.http.accepted('acme', 'record-mining-output', mined(4));
    expect(await btcOf(app, 'acme')).toBe('3.00000000');
    await app.stop(); // saves the newer snapshot

    removeDb(app.dbPath);
    copyFileSync(`${app.dbPath}.backup`, app.dbPath);
    app = await app.restart();
    expect(await btcOf(app, 'acme')).toBe('1.00000000'); // the log as it is, not the snapshot
    const health = await app.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'degraded',
      projection: {
        caughtUp: true,
        snapshot: { status: 'discarded' },
        vanishedEvents: [{ bookId: 'acme', reason: 'events-vanished', expected: { revision: 3 }, found: { revision: 1 } }],
      },
    });
    const verify = await app.http.get(`${B}/acme/verify`);
    expect(verify.body).toMatchObject({ ok: false, firstBroken: { reason: 'events-vanished', revision: 3 } });
    expect((await app.http.get('/ready')).status).toBe(200);

    // A book opened now answers, and writes at positions below the old checkpoint are folded.
    await app.http.accepted('beta', 'open-book', { name: 'Beta', effectiveAt: '2026-01-01T00:00:00Z' });
    await app.http.accepted('beta', 'record-mining-output', mined(5, '2'));
    await app.http.accepted('acme', 'record-mining-output', mined(6));
    expect(await btcOf(app, 'beta')).toBe('2.00000000');
    expect(await btcOf(app, 'acme')).toBe('2.00000000');

    // A restart does not forget the finding.
    app = await app.restart();
    expect((await app.http.get('/health')).body.projection.vanishedEvents).toHaveLength(1);
    expect((await app.http.get(`${B}/acme/verify`)).body.ok).toBe(false);

    const rebuilt = await app.http.post('/v1/admin/projections/rebuild', {});
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.clearedFindings).toEqual([expect.objectContaining({ bookId: 'acme', reason: 'events-vanished' })]);
    expect((await app.http.get('/health')).body).toMatchObject({ status: 'ok', projection: { vanishedEvents: [], failedBooks: [] } });
    expect((await app.http.get(`${B}/acme/verify`)).body.ok).toBe(true);
  });

  it('an empty database beside a snapshot: the snapshot is discarded, old books are gone, new ones answer', async () => {
    app = await startTestApp();
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
    await app.http.accepted('acme', 'record-mining-output', mined(2));
    await app.stop();
    expect(existsSync(`${app.dbPath}.projection`)).toBe(true);
    removeDb(app.dbPath);
    app = await app.restart();
    expect((await app.http.get(`${B}/acme/position`)).status).toBe(404);
    expect((await app.http.get('/health')).body.projection.snapshot).toMatchObject({
      status: 'discarded',
      reason: expect.stringContaining('another store'),
    });
    await app.http.accepted('acme', 'open-book', { name: 'Acme, new', effectiveAt: '2026-01-01T00:00:00Z' });
    await app.http.accepted('acme', 'record-mining-output', mined(3, '5'));
    expect(await btcOf(app, 'acme')).toBe('5.00000000');
  });

  it('/health keeps answering (and says so) while a rebuild folds the log, and concurrent rebuilds share one', async () => {
    app = await startTestApp();
    await app.stop();
    // A long book written straight to the file (through the real encoder and hash chain), then served.
    const store = new SqliteEventStore(app.dbPath);
    const events: Array<{ eventId: string; event: BookEvent }> = [
      { eventId: randomUUID(), event: { type: 'BookOpened', effectiveAt: Date.parse('2025-01-01T00:00:00Z'), name: 'Long' } as BookEvent },
    ];
    for (let i = 0; i < 40_000; i++) {
      events.push({
        eventId: randomUUID(),
        event: {
          type: 'MiningOutputReceived',
          effectiveAt: Date.parse('2025-01-02T00:00:00Z') + i * 60_000,
          wallet: 'cold',
          btc: 1_000n,
          usdPerBtc: 9_000_000n,
        } as BookEvent,
      });
    }
    const metadata = {
      recordedAt: Date.parse('2026-01-01T00:00:00Z'),
      command: 'bulk',
      commandId: randomUUID(),
      actor: 'test',
      correlationId: 'bulk',
      causationId: 'bulk',
    };
    const { events: encoded } = toEventsToAppend('long', 0, GENESIS_HASH, events, metadata);
    const appended = await store.append(bookStream('long'), encoded, 'no-stream')();
    expect(appended._tag).toBe('Right');
    await store.close();
    app = await app.restart();

    const latencies: number[] = [];
    const rebuilds = Promise.all([app.http.post('/v1/admin/projections/rebuild', {}), app.http.post('/v1/admin/projections/rebuild', {})]);
    let done = false;
    void rebuilds.finally(() => (done = true));
    let sawRebuilding = false;
    while (!done) {
      const started = performance.now();
      const health = await app.http.get('/health');
      latencies.push(performance.now() - started);
      expect(health.status).toBe(200);
      sawRebuilding ||= health.body.projection.rebuilding === true;
    }
    const [first, second] = await rebuilds;
    expect(sawRebuilding).toBe(true);
    expect(first.body).toMatchObject({ events: 40_001 });
    expect(second.body).toEqual(first.body); // one rebuild, one answer
    expect(latencies.length).toBeGreaterThanOrEqual(3);
  });
});
