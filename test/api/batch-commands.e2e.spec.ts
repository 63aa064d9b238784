import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * POST /v1/books/{bookId}/commands: an array of {command, body}, decided in order (each against the
 * items before it) and appended in one commit, or nothing at all; the first refusal named by its index.
 */
describe('batch commands', () => {
  let app: TestApp;
  const batch = (bookId: string, items: unknown, headers: Record<string, string> = {}) =>
    app.http.post(`/v1/books/${bookId}/commands`, items, headers);
  const mined = (day: number, btc = '1') => ({
    command: 'record-mining-output',
    body: { effectiveAt: `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`, wallet: 'cold', btc, usdPerBtc: '90000.00' },
  });
  const sale = (btc: string) => ({
    command: 'record-btc-sale',
    body: { effectiveAt: '2026-01-20T00:00:00Z', wallet: 'cold', btc, proceedsUsd: '1000.00' },
  });
  const btcOf = async (bookId: string) => (await app.http.get(`/v1/books/${bookId}/position`)).body.holdings.btc;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.dispose());

  it('appends a valid batch in one commit, each item decided on the ones before it, with the principal as actor', async () => {
    const answer = await batch('acme', [
      { command: 'open-book', body: { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' } },
      mined(2, '3'),
      sale('2.5'),
    ]);
    expect(answer.status).toBe(201);
    expect(
      answer.body.items.map((item: { index: number; command: string; events: Array<{ type: string }> }) => [
        item.index,
        item.command,
        item.events.map((e) => e.type),
      ]),
    ).toEqual([
      [0, 'open-book', ['BookOpened']],
      [1, 'record-mining-output', ['MiningOutputReceived']],
      [2, 'record-btc-sale', ['BtcSold']],
    ]);
    expect([answer.body.revision, answer.headers.get('etag'), answer.body.replayed]).toEqual([2, '"2"', false]);
    expect(BigInt(answer.body.logPosition)).toBeGreaterThan(0n);
    expect(await btcOf('acme')).toBe('0.50000000');
    const events = await app.http.allEvents('acme');
    expect(events.map((e) => e.type)).toEqual(['BookOpened', 'MiningOutputReceived', 'BtcSold']);
    // One commit, one correlation id; each item its own command id; the actor is who authenticated.
    const metadata = events.map((e) => e.metadata as { actor: string; correlationId: string; commandId: string; command: string });
    expect(new Set(metadata.map((m) => m.correlationId)).size).toBe(1);
    expect(new Set(metadata.map((m) => m.commandId)).size).toBe(3);
    expect(metadata.map((m) => m.command)).toEqual(['open-book', 'record-mining-output', 'record-btc-sale']);
    expect(new Set(metadata.map((m) => m.actor))).toEqual(new Set([expect.stringMatching(/^key:/)]));
  });

  it('a refused item writes nothing of the batch and is named by its index, field paths under [i].body', async () => {
    const before = await app.http.eventCount('acme');
    const invalid = await batch('acme', [
      mined(3),
      mined(4),
      { command: 'record-btc-price', body: { effectiveAt: '2026-01-05T00:00:00Z', usdPerBtc: 90000 } },
    ]);
    expect([invalid.status, invalid.contentType, invalid.body.index, invalid.body.command]).toEqual([
      400,
      'application/problem+json; charset=utf-8',
      2,
      'record-btc-price',
    ]);
    expect(invalid.body.errors.map((e: { path: string }) => e.path)).toEqual(['[2].body.usdPerBtc']);

    // Decided against the items before it: 1 BTC mined in the batch is not enough for a 2 BTC sale after 0.5 held.
    const rule = await batch('acme', [mined(5), sale('2')]);
    expect([rule.status, rule.body.index, rule.body.rule]).toEqual([422, 1, 'insufficient-unencumbered-btc']);
    expect(await app.http.eventCount('acme')).toBe(before);
    expect(await btcOf('acme')).toBe('0.50000000');

    // The state the refused batch was decided on is not kept: the next command sees the log.
    const next = await batch('acme', [sale('0.5')]);
    expect(next.status).toBe(201);
    expect(await btcOf('acme')).toBe('0.00000000');
    await batch('acme', [mined(6, '10')]);
  });

  it('refuses a bad shape with each path, an unknown command by index, and a batch outside 1..10,000', async () => {
    const before = await app.http.eventCount('acme');
    const shape = await batch('acme', [mined(7), { command: 3, body: [] }, 'x', { ...mined(8), extra: true }]);
    expect([shape.status, shape.body.errors.map((e: { path: string }) => e.path)]).toEqual([
      400,
      ['[1].command', '[1].body', '[2]', '[3].extra'],
    ]);
    expect((await batch('acme', { command: 'record-btc-price', body: {} })).status).toBe(400);
    const unknown = await batch('acme', [mined(7), { command: 'mint-btc', body: {} }]);
    expect([unknown.status, unknown.body.index]).toEqual([404, 1]);
    const empty = await batch('acme', []);
    expect([empty.status, empty.body.errors]).toEqual([400, [{ path: '', message: 'must hold 1 to 10000 commands (got 0)' }]]);
    const tooMany = await batch(
      'acme',
      Array.from({ length: 10_001 }, () => mined(9, '0.001')),
    );
    expect([tooMany.status, tooMany.body.errors[0].message]).toEqual([400, 'must hold 1 to 10000 commands (got 10001)']);
    expect(await app.http.eventCount('acme')).toBe(before);

    // 10,000 is allowed (about 1.5 MB, above the 1 MB of a single command), in one commit.
    const most = await batch(
      'acme',
      Array.from({ length: 10_000 }, () => mined(9, '0.001')),
    );
    expect([most.status, most.body.items.length, most.body.revision - answerRevision(before)]).toEqual([201, 10_000, 10_000]);
    expect(await btcOf('acme')).toBe('20.00000000');
    const huge = await batch('acme', [{ ...mined(9), body: { ...mined(9).body, memo: 'x'.repeat(17 * 1024 * 1024) } }]);
    expect([huge.status, huge.body.detail]).toEqual([413, 'The request body exceeds 16mb.']);
    const single = await app.http.command('acme', 'record-btc-price', {
      effectiveAt: '2026-01-09T00:00:00Z',
      usdPerBtc: '90000.00',
      memo: 'x'.repeat(2 * 1024 * 1024),
    });
    expect([single.status, single.body.detail]).toEqual([413, 'The request body exceeds 1mb.']);
  }, 60_000);

  /** The revision after `count` events (revisions are 0-based). */
  const answerRevision = (count: number) => count - 1;

  it('checks every item against the role it needs: a bookkeeper batch holding a sale is refused 403 naming its index', async () => {
    const clerk = app.http.as((await app.http.post('/v1/admin/api-keys', { name: 'clerk', role: 'bookkeeper', books: ['acme'] })).body.key);
    const viewer = app.http.as((await app.http.post('/v1/admin/api-keys', { name: 'viewer', role: 'viewer', books: ['acme'] })).body.key);
    const before = await app.http.eventCount('acme');
    const refused = await clerk.post('/v1/books/acme/commands', [mined(10), mined(11), sale('1')]);
    expect([refused.status, refused.body.index, refused.body.requiredRole, refused.body.command]).toEqual([
      403,
      2,
      'treasurer',
      'record-btc-sale',
    ]);
    expect((await viewer.post('/v1/books/acme/commands', [mined(10)])).body).toMatchObject({
      status: 403,
      index: 0,
      requiredRole: 'bookkeeper',
    });
    expect((await app.http.as(undefined).post('/v1/books/acme/commands', [mined(10)])).status).toBe(401);
    expect(await app.http.eventCount('acme')).toBe(before);
    const allowed = await clerk.post('/v1/books/acme/commands', [mined(10), mined(11)]);
    expect(allowed.status).toBe(201);
    expect(await app.http.eventCount('acme')).toBe(before + 2);
  });

  it('replays a batch sent again with the same Idempotency-Key, after a restart too; a different batch with it is refused', async () => {
    const items = [mined(12), mined(13)];
    const first = await batch('acme', items, { 'idempotency-key': 'batch-12' });
    expect(first.status).toBe(201);
    const count = await app.http.eventCount('acme');
    const again = await batch('acme', items, { 'idempotency-key': 'batch-12' });
    expect([again.status, again.headers.get('idempotent-replayed'), again.body.replayed]).toEqual([201, 'true', true]);
    expect(again.body.items).toEqual(first.body.items);
    expect([again.body.revision, again.body.logPosition]).toEqual([first.body.revision, first.body.logPosition]);
    const other = await batch('acme', [mined(12), mined(14)], { 'idempotency-key': 'batch-12' });
    expect([other.status, other.body.type]).toEqual([422, 'https://treasury-engine.dev/problems/idempotency-key-reused']);
    const asSingle = await app.http.command('acme', 'record-mining-output', mined(12).body, { 'idempotency-key': 'batch-12' });
    expect(asSingle.status).toBe(422);
    expect(await app.http.eventCount('acme')).toBe(count);

    const restarted = await app.restart();
    try {
      const afterRestart = await restarted.http.post('/v1/books/acme/commands', items, { 'idempotency-key': 'batch-12' });
      expect([afterRestart.status, afterRestart.body.replayed, afterRestart.body.items, afterRestart.body.revision]).toEqual([
        201,
        true,
        first.body.items,
        first.body.revision,
      ]);
      expect(await restarted.http.eventCount('acme')).toBe(count);
    } finally {
      app = restarted;
    }
  });

  it('applies If-Match to the whole batch', async () => {
    const current = (await batch('acme', [mined(15)])).body.revision as number;
    const stale = await batch('acme', [mined(16)], { 'if-match': `"${current - 1}"` });
    expect([stale.status, stale.body.currentRevision]).toEqual([412, current]);
    const fresh = await batch('acme', [mined(16), mined(17)], { 'if-match': `"${current}"` });
    expect([fresh.status, fresh.body.revision]).toEqual([201, current + 2]);
  });

  it('a held command inside a batch becomes its proposal, as it would alone', async () => {
    await app.http.accepted('acme', 'set-approval-policy', { reversals: true, salesAboveBtc: '5' });
    const answer = await batch('acme', [mined(18), sale('6'), sale('1')]);
    expect(answer.status).toBe(201);
    expect(answer.body.items.map((item: { events: Array<{ type: string }> }) => item.events.map((e) => e.type))).toEqual([
      ['MiningOutputReceived'],
      ['CommandProposed'],
      ['BtcSold'],
    ]);
    const proposals = (await app.http.get('/v1/books/acme/proposals')).body.proposals;
    expect(proposals.at(-1)).toMatchObject({ command: 'record-btc-sale', body: { btc: '6.00000000' }, status: 'open' });
  });
});
