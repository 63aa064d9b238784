import { startTestApp, TestApp } from '@treasury/test-support';

describe('command API: exactly once and one at a time', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await app.http.command('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });
    await app.http.command('acme', 'record-mining-output', {
      effectiveAt: '2026-01-10T00:00:00Z',
      wallet: 'cold',
      btc: '10',
      usdPerBtc: '90000.00',
    });
  });
  afterAll(() => app.dispose());

  const price = { effectiveAt: '2026-01-31T00:00:00Z', usdPerBtc: '82000.00', source: 'CoinDesk', reference: 'px-2026-01' };

  it('replays an Idempotency-Key with the same body: the original result, marked, nothing appended', async () => {
    const first = await app.http.command('acme', 'record-btc-price', price, { 'Idempotency-Key': 'px-jan' });
    expect(first.status).toBe(201);
    const count = await app.http.eventCount('acme');

    // Same body with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(price).reverse());
    const again = await app.http.command('acme', 'record-btc-price', reordered, { 'Idempotency-Key': 'px-jan' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(await app.http.eventCount('acme')).toBe(count);
  });

  it('remembers idempotency keys across a restart, from the events metadata', async () => {
    const first = await app.http.command(
      'acme',
      'record-btc-price',
      { ...price, usdPerBtc: '83000.00' },
      { 'Idempotency-Key': 'px-restart' },
    );
    app = await app.restart();
    const count = await app.http.eventCount('acme');
    const again = await app.http.command(
      'acme',
      'record-btc-price',
      { ...price, usdPerBtc: '83000.00' },
      { 'Idempotency-Key': 'px-restart' },
    );
    expect(again.body).toEqual({ ...first.body, replayed: true });
    const reused = await app.http.command(
      'acme',
      'record-btc-price',
      { ...price, usdPerBtc: '84000.00' },
      { 'Idempotency-Key': 'px-restart' },
    );
    expect(reused.status).toBe(422);
    expect(await app.http.eventCount('acme')).toBe(count);
  });

  it('a refused command does not consume its Idempotency-Key', async () => {
    const refused = await app.http.command(
      'acme',
      'record-btc-sale',
      { effectiveAt: '2026-02-01T00:00:00Z', wallet: 'cold', btc: '11', proceedsUsd: '1.00' },
      { 'Idempotency-Key': 'sale-1' },
    );
    expect(refused.status).toBe(422);
    const accepted = await app.http.command(
      'acme',
      'record-btc-sale',
      { effectiveAt: '2026-02-01T00:00:00Z', wallet: 'cold', btc: '1', proceedsUsd: '80000.00' },
      { 'Idempotency-Key': 'sale-1' },
    );
    expect(accepted.status).toBe(201);
  });

  it('If-Match with the current revision appends; the returned ETag chains to the next command', async () => {
    const events = await app.http.allEvents('acme');
    const current = events.length - 1;
    const first = await app.http.command('acme', 'record-btc-price', { ...price, usdPerBtc: '85000.00' }, { 'If-Match': `"${current}"` });
    expect(first.status).toBe(201);
    expect(first.headers.get('etag')).toBe(`"${current + 1}"`);
    const second = await app.http.command(
      'acme',
      'record-btc-price',
      { ...price, usdPerBtc: '86000.00' },
      { 'If-Match': first.headers.get('etag') ?? '' },
    );
    expect(second.status).toBe(201);
    const stale = await app.http.command(
      'acme',
      'record-btc-price',
      { ...price, usdPerBtc: '87000.00' },
      { 'If-Match': first.headers.get('etag') ?? '' },
    );
    expect(stale.status).toBe(412);
  });

  it('serialises concurrent commands: each is decided against the state it is appended onto', async () => {
    // 9 BTC left in cold; 20 concurrent sales of 1 BTC: exactly 9 can succeed, whatever the interleaving.
    const before = await app.http.eventCount('acme');
    const sales = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.http.command('acme', 'record-btc-sale', {
          effectiveAt: '2026-02-02T00:00:00Z',
          wallet: 'cold',
          btc: '1',
          proceedsUsd: '80000.00',
          reference: `sale-${i}`,
        }),
      ),
    );
    const statuses = sales.map((answer) => answer.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(9);
    expect(statuses.filter((s) => s === 422)).toHaveLength(11);
    const revisions = sales
      .filter((answer) => answer.status === 201)
      .map((answer) => answer.body.revision as number)
      .sort((a, b) => a - b);
    expect(revisions).toEqual(Array.from({ length: 9 }, (_, i) => before + i));
    const events = await app.http.allEvents('acme');
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
  });

  it('books are independent: concurrent commands on different books all succeed', async () => {
    const books = ['north', 'south', 'east', 'west'];
    const opened = await Promise.all(books.map((book) => app.http.command(book, 'open-book', { name: book })));
    expect(opened.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(opened.map((a) => a.body.revision)).toEqual([0, 0, 0, 0]);
  });
});
