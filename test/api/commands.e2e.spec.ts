import { bookCommandCodecs } from '@treasury/domain';
import { startTestApp, TestApp, TEST_NOW } from '@treasury/test-support';

/** The README's curl session, step by step, over real HTTP on a real SQLite file. */
describe('command API: recording a treasury', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.dispose());

  it('opens a book and records mining, a price, a loan with collateral and a sale', async () => {
    const { http } = app;
    const opened = await http.command(
      'acme',
      'open-book',
      { name: 'Acme Mining Corp.', effectiveAt: '2025-06-01T00:00:00Z' },
      { 'X-Actor': 'treasurer@acme' },
    );
    expect(opened.status).toBe(201);
    expect(opened.headers.get('etag')).toBe('"0"');
    expect(opened.body).toMatchObject({ bookId: 'acme', command: 'open-book', revision: 0, replayed: false });
    expect(opened.body.events).toEqual([
      {
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'BookOpened',
        effectiveAt: '2025-06-01T00:00:00.000Z',
        recordedAt: '2026-03-01T12:00:00.000Z',
      },
    ]);

    const mined = await http.command('acme', 'record-mining-output', {
      effectiveAt: '2025-06-30T23:59:59Z',
      wallet: 'custody-cold',
      btc: '716.5',
      usdPerBtc: '107135.33',
      pool: 'Foundry USA',
      periodStart: '2025-06-01T00:00:00Z',
      periodEnd: '2025-06-30T23:59:59Z',
      reference: 'pool-statement-2025-06',
    });
    expect(mined.status).toBe(201);
    expect(mined.body.revision).toBe(1);
    expect(BigInt(mined.body.logPosition)).toBeGreaterThan(BigInt(opened.body.logPosition));

    const steps = [
      http.command('acme', 'record-btc-price', { effectiveAt: '2025-06-30T23:59:59Z', usdPerBtc: '107135.33', source: 'CoinDesk close' }),
      http.command('acme', 'draw-loan', {
        effectiveAt: '2025-07-01T00:00:00Z',
        loanId: 'coinbase-2025',
        lender: 'Coinbase Credit',
        principalUsd: '50000000.00',
        annualRate: '0.085',
        marginCallLtv: '0.70',
        liquidationLtv: '0.85',
        maturityAt: '2027-07-01T00:00:00Z',
      }),
      http.command('acme', 'pledge-collateral', {
        effectiveAt: '2025-07-01T00:00:00Z',
        loanId: 'coinbase-2025',
        wallet: 'custody-cold',
        btc: '600',
      }),
      http.command('acme', 'record-btc-sale', {
        effectiveAt: '2025-07-15T14:00:00Z',
        wallet: 'custody-cold',
        btc: '100',
        proceedsUsd: '11800000.00',
        feesUsd: '5900.00',
        venue: 'Coinbase Prime',
      }),
    ];
    for (const step of steps) expect((await step).status).toBe(201);

    const events = await http.allEvents('acme');
    expect(events.map((e) => e.type)).toEqual([
      'BookOpened',
      'MiningOutputReceived',
      'BtcPriceObserved',
      'LoanDrawn',
      'CollateralPledged',
      'BtcSold',
    ]);
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
    const mining = events[1];
    expect(mining).toMatchObject({
      type: 'MiningOutputReceived',
      effectiveAt: '2025-06-30T23:59:59.000Z',
      recordedAt: new Date(TEST_NOW).toISOString(),
      // Amounts come back at full scale, whatever precision was sent.
      data: { wallet: 'custody-cold', btc: '716.50000000', usdPerBtc: '107135.33', pool: 'Foundry USA' },
      metadata: {
        command: 'record-mining-output',
        actor: `key:${app.adminKey.slice(4, 12)}`,
        actorName: 'bootstrap admin',
        reference: 'pool-statement-2025-06',
        commandId: mined.body.commandId,
      },
    });
    // X-Actor cannot make anyone else the actor: it is kept only as a labelled note.
    expect(events[0]?.metadata).toMatchObject({ actor: `key:${app.adminKey.slice(4, 12)}`, onBehalfOf: 'treasurer@acme' });
    expect(mining?.metadata).not.toHaveProperty('onBehalfOf');
    expect(events[3]).toMatchObject({ data: { principalUsd: '50000000.00', annualRate: '0.085000', cashAccount: 'operating' } });
  });

  it('records the correlation id given, and the command id as causation of every event', async () => {
    const answer = await app.http.command(
      'acme',
      'record-cash-movement',
      { effectiveAt: '2025-07-31T00:00:00Z', cashAccount: 'operating', amountUsd: '-2500000.00', category: 'power' },
      { 'X-Correlation-Id': 'month-end-2025-07' },
    );
    expect(answer.status).toBe(201);
    const events = await app.http.allEvents('acme');
    expect(events.at(-1)).toMatchObject({
      data: { cashAccount: 'operating', amountUsd: '-2500000.00', category: 'power' },
      metadata: { correlationId: 'month-end-2025-07', causationId: answer.body.commandId },
    });
  });

  it('pages through events in recorded order', async () => {
    const first = await app.http.get('/v1/books/acme/events?limit=4');
    expect(first.body.events.map((e: { revision: number }) => e.revision)).toEqual([0, 1, 2, 3]);
    expect(first.body.next).toBe(3);
    const second = await app.http.get(`/v1/books/acme/events?after=${first.body.next}&limit=4`);
    expect(second.body.events.map((e: { revision: number }) => e.revision)).toEqual([4, 5, 6]);
    expect(second.body.next).toBeNull();
  });

  it('keeps a book and its decisions across a restart', async () => {
    app = await app.restart();
    // 616.5 BTC remain after the 100 sold and 600 of them are pledged: 16.50000001 is one satoshi too many.
    const tooMuch = await app.http.command('acme', 'record-btc-sale', {
      effectiveAt: '2025-08-01T00:00:00Z',
      wallet: 'custody-cold',
      btc: '16.50000001',
      proceedsUsd: '1.00',
    });
    expect(tooMuch.status).toBe(422);
    const exact = await app.http.command('acme', 'record-btc-sale', {
      effectiveAt: '2025-08-01T00:00:00Z',
      wallet: 'custody-cold',
      btc: '16.5',
      proceedsUsd: '1900000.00',
    });
    expect(exact.status).toBe(201);
    expect(exact.body.revision).toBe(7);
  });

  it('answers health and serves an OpenAPI document generated from the codecs', async () => {
    const health = await app.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');

    const docs = await app.http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toBe('3.1.0');
    const commands = Object.keys(docs.body.paths).filter((path) => path.includes('/commands/'));
    // Every command the codecs define, and nothing else (each command's engineer once had to bump a count here).
    expect(commands.map((path) => path.split('/').pop()).sort()).toEqual(Object.keys(bookCommandCodecs).sort());
    const sale = docs.body.paths['/v1/books/{bookId}/commands/record-btc-sale'].post.requestBody.content['application/json'].schema;
    expect(sale.required).toEqual(expect.arrayContaining(['effectiveAt', 'wallet', 'btc', 'proceedsUsd']));
    expect(sale.additionalProperties).toBe(false);
    expect(sale.properties.btc).toMatchObject({ type: 'string', pattern: expect.stringContaining('8') });
  });
});
