import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * Opening balances, opening cash, a purchase and a BTC payment over HTTP, on the hand-computed book of
 * libs/projections/src/book/acquisitions.unit.spec.ts: lot A 2 BTC for 20,000.00 acquired 2021, lot B
 * 1 BTC for 30,000.00 acquired 2020, 100,000.00 cash; June: 1 BTC mined at 60,000.00, 0.5 BTC bought
 * for 40,000.00 + 100.00, 1.5 BTC paid for hosting at 100,000.00 (FIFO relieves B, then 0.5 of A).
 */
describe('record-opening-balance, record-opening-cash, record-btc-purchase, record-btc-payment', () => {
  let app: TestApp;
  const send = (recordedAt: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return app.http.command('acme', command, body);
  };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set('2025-06-01T00:00:00Z');
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
  });
  afterAll(() => app.dispose());

  it('records each command (201) and refuses bad input with 400 naming the field, writing nothing', async () => {
    const a = await send('2025-06-01T01:00:00Z', 'record-opening-balance', {
      wallet: 'cold',
      btc: '2',
      costBasisUsd: '20000.00',
      acquiredAt: '2021-03-01T00:00:00Z',
    });
    // Without effectiveAt the lot is held from the book's opening; acquiredAt keeps its real date.
    expect([a.status, a.body.events[0].type, a.body.events[0].effectiveAt]).toEqual([
      201,
      'OpeningBalanceRecorded',
      '2025-06-01T00:00:00.000Z',
    ]);
    ids.lotA = a.body.events[0].eventId;
    const stored = (await app.http.allEvents('acme')).find((e) => e.eventId === ids.lotA);
    expect(JSON.stringify(stored)).toContain('"acquiredAt":"2021-03-01T00:00:00.000Z"');
    ids.lotB = (
      await send('2025-06-01T02:00:00Z', 'record-opening-balance', {
        wallet: 'cold',
        btc: '1',
        costBasisUsd: '30000.00',
        acquiredAt: '2020-01-01T00:00:00Z',
      })
    ).body.events[0].eventId;
    expect(
      (
        await send('2025-06-01T03:00:00Z', 'record-opening-cash', {
          effectiveAt: '2025-06-01T00:00:00Z',
          cashAccount: 'operating',
          amountUsd: '100000.00',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await send('2025-06-10T00:00:00Z', 'record-mining-output', {
          effectiveAt: '2025-06-10T00:00:00Z',
          wallet: 'pool',
          btc: '1',
          usdPerBtc: '60000.00',
        })
      ).status,
    ).toBe(201);
    const bought = await send('2025-06-15T00:00:00Z', 'record-btc-purchase', {
      effectiveAt: '2025-06-15T00:00:00Z',
      wallet: 'hot',
      btc: '0.5',
      costUsd: '40000.00',
      feesUsd: '100.00',
      venue: 'Kraken',
    });
    expect([bought.status, bought.body.events[0].type]).toEqual([201, 'BtcPurchased']);
    const paid = await send('2025-06-20T00:00:00Z', 'record-btc-payment', {
      effectiveAt: '2025-06-20T00:00:00Z',
      wallet: 'cold',
      btc: '1.5',
      usdPerBtc: '100000.00',
      category: 'hosting',
      counterparty: 'HostCo',
    });
    expect([paid.status, paid.body.events[0].type]).toEqual([201, 'BtcPaid']);
    ids.paid = paid.body.events[0].eventId;

    const before = (await app.http.allEvents('acme')).length;
    const bad = [
      ['record-opening-balance', { wallet: 'cold', btc: '1', costBasisUsd: '-1.00', acquiredAt: '2020-01-01T00:00:00Z' }, 'costBasisUsd'],
      ['record-opening-cash', { effectiveAt: '2025-06-01T00:00:00Z', cashAccount: 'operating', amountUsd: '0' }, 'amountUsd'],
      [
        'record-btc-purchase',
        { effectiveAt: '2025-06-21T00:00:00Z', wallet: 'hot', btc: '0.1', costUsd: '10.00', feesUsd: '1.001' },
        'feesUsd',
      ],
      ['record-btc-payment', { effectiveAt: '2025-06-21T00:00:00Z', wallet: 'cold', btc: '0.1', usdPerBtc: '100.00' }, 'category'],
    ] as const;
    for (const [command, body, path] of bad) {
      const answer = await send('2025-06-21T00:00:00Z', command, body);
      expect([command, answer.status, answer.headers.get('content-type'), answer.body.errors.map((e: { path: string }) => e.path)]).toEqual(
        [command, 400, expect.stringContaining('application/problem+json'), [path]],
      );
    }
    // Rules: a payment beyond the wallet's BTC, a purchase beyond the cash, a lot acquired after it is held.
    const overpay = await send('2025-06-21T00:00:00Z', 'record-btc-payment', {
      effectiveAt: '2025-06-21T00:00:00Z',
      wallet: 'cold',
      btc: '1.50000001',
      usdPerBtc: '100.00',
      category: 'power',
    });
    expect([overpay.status, overpay.body.rule]).toEqual([422, 'insufficient-unencumbered-btc']);
    const overbuy = await send('2025-06-21T00:00:00Z', 'record-btc-purchase', {
      effectiveAt: '2025-06-21T00:00:00Z',
      wallet: 'hot',
      btc: '1',
      costUsd: '59900.01',
    });
    expect([overbuy.status, overbuy.body.rule]).toEqual([422, 'insufficient-cash']);
    const future = await send('2025-06-21T00:00:00Z', 'record-opening-balance', {
      wallet: 'cold',
      btc: '1',
      costBasisUsd: '1.00',
      acquiredAt: '2025-06-02T00:00:00Z',
    });
    expect([future.status, future.body.errors?.[0]?.path]).toEqual([400, 'acquiredAt']);
    // An opening lot held from after a live disposal it would sit before in FIFO: FIFO would relieve it before it is held.
    const notHeld = await send('2025-06-25T00:00:00Z', 'record-opening-balance', {
      wallet: 'cold',
      btc: '1',
      costBasisUsd: '1.00',
      acquiredAt: '2019-01-01T00:00:00Z',
      effectiveAt: '2025-06-25T00:00:00Z',
    });
    expect([notHeld.status, notHeld.body.rule]).toEqual([422, 'disposal-before-opening-balance-held']);
    expect((await app.http.allEvents('acme')).length).toBe(before);
  });

  it('values the lots at cost, the payment at fair value against FIFO by acquiredAt, and shows the columns in the month-end report', async () => {
    const position = await app.http.get('/v1/books/acme/position?asOf=2025-06-30T23:59:59.999Z');
    expect(position.status).toBe(200);
    expect(position.body).toMatchObject({
      holdings: { btc: '3.00000000' },
      cash: { totalUsd: '59900.00' },
      costBasis: { totalUsd: '115100.00', realizedGainUsd: '115000.00' },
    });
    const disposals = await app.http.get('/v1/books/acme/disposals?from=2025-06-01T00:00:00Z&to=2025-07-01T00:00:00Z');
    expect(disposals.status).toBe(200);
    expect(JSON.stringify(disposals.body)).toContain(ids.paid);
    expect(JSON.stringify(disposals.body)).toContain('35000.00');
    const report = await app.http.get('/v1/books/acme/reports/month-end?from=2025-06&to=2025-06');
    expect(report.body.months).toEqual([
      expect.objectContaining({
        openingBtc: '0.00000000',
        openingBalancesBtc: '3.00000000',
        minedBtc: '1.00000000',
        purchasedBtc: '0.50000000',
        paidBtc: '1.50000000',
        closingBtc: '3.00000000',
        rollforwardCheckBtc: '0.00000000',
      }),
    ]);
  });

  it('lists the four commands in the OpenAPI document, generated from their codecs', async () => {
    const docs = await app.http.get('/docs');
    for (const command of ['record-opening-balance', 'record-opening-cash', 'record-btc-purchase', 'record-btc-payment']) {
      const schema = docs.body.paths[`/v1/books/{bookId}/commands/${command}`]?.post.requestBody.content['application/json'].schema;
      expect([command, schema?.additionalProperties]).toEqual([command, false]);
    }
    const opening =
      docs.body.paths['/v1/books/{bookId}/commands/record-opening-balance'].post.requestBody.content['application/json'].schema;
    expect(opening.required).toEqual(expect.arrayContaining(['wallet', 'btc', 'costBasisUsd', 'acquiredAt']));
    expect(opening.required).not.toContain('effectiveAt');
  });
});
