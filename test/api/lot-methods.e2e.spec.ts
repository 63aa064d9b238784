import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * The lot method, chosen per query, over HTTP. Lot A (pool, 1 BTC at $10,000), lot B (cold, 1 BTC at
 * $20,000), lot C (pool, 1 BTC at $30,000); 0.5 BTC moved pool -> cold with a 0.001 BTC fee; cold sells
 * 0.6 BTC for $30,000; price $40,000. Company-wide FIFO relieves the oldest sats anywhere: the fee
 * ($10.00) then 0.6 of A ($6,000). Wallet-by-wallet: the fee, then cold's own queue, where the moved
 * half of A (acquired Jan 2, $5,000) sits before B: $5,000 + 0.1 of B ($2,000).
 */
describe('lot methods over HTTP', () => {
  let app: TestApp;
  const ids: Record<string, string> = {};
  const send = async (recordedAt: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return (await app.http.accepted('lots', command, body)).events[0].eventId as string;
  };

  beforeAll(async () => {
    app = await startTestApp();
    await send('2026-01-01T00:00:00Z', 'open-book', { name: 'Lots', effectiveAt: '2026-01-01T00:00:00Z' });
    ids.a = await send('2026-01-02T01:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-02T00:00:00Z',
      wallet: 'pool',
      btc: '1',
      usdPerBtc: '10000.00',
    });
    ids.b = await send('2026-01-03T01:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-03T00:00:00Z',
      wallet: 'cold',
      btc: '1',
      usdPerBtc: '20000.00',
    });
    ids.c = await send('2026-01-04T01:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-04T00:00:00Z',
      wallet: 'pool',
      btc: '1',
      usdPerBtc: '30000.00',
    });
    ids.transfer = await send('2026-01-05T01:00:00Z', 'transfer-btc', {
      effectiveAt: '2026-01-05T00:00:00Z',
      fromWallet: 'pool',
      toWallet: 'cold',
      btc: '0.5',
      feeBtc: '0.001',
    });
    ids.sale = await send('2026-01-06T01:00:00Z', 'record-btc-sale', {
      effectiveAt: '2026-01-06T00:00:00Z',
      wallet: 'cold',
      btc: '0.6',
      proceedsUsd: '30000.00',
    });
    await send('2026-01-07T01:00:00Z', 'record-btc-price', { effectiveAt: '2026-01-07T00:00:00Z', usdPerBtc: '40000.00' });
    app.clock.set('2026-02-01T00:00:00Z');
  });
  afterAll(() => app.dispose());

  it('position: costBasis under each method, fifo by default', async () => {
    const byDefault = await app.http.get('/v1/books/lots/position');
    const fifo = await app.http.get('/v1/books/lots/position?method=fifo');
    const wallet = await app.http.get('/v1/books/lots/position?method=wallet-fifo&asOf=2026-01-31');
    expect([byDefault.status, fifo.status, wallet.status]).toEqual([200, 200, 200]);
    // Open 2.399 BTC worth $95,960.00; acquired $60,000.00.
    expect(byDefault.body).toMatchObject({
      method: 'fifo',
      holdings: { btc: '2.39900000' },
      costBasis: { totalUsd: '53990.00', realizedGainUsd: '23990.00', unrealizedGainUsd: '41970.00' },
    });
    expect(fifo.body).toMatchObject({ method: 'fifo', costBasis: byDefault.body.costBasis });
    expect(wallet.body).toMatchObject({
      method: 'wallet-fifo',
      holdings: { btc: '2.39900000' },
      costBasis: { totalUsd: '52990.00', realizedGainUsd: '22990.00', unrealizedGainUsd: '42970.00' },
    });
    // Before the sale both methods agree (only the fee was disposed of, from A's first sats either way).
    const early = await app.http.get('/v1/books/lots/position?method=wallet-fifo&asOf=2026-01-05T12:00:00Z');
    expect(early.body.costBasis).toEqual({ totalUsd: '59990.00', realizedGainUsd: '-10.00', unrealizedGainUsd: null });
  });

  it('lots: under wallet-fifo each slice names its wallet; under fifo the listing is as before', async () => {
    const wallet = await app.http.get('/v1/books/lots/lots?method=wallet-fifo');
    expect(wallet.status).toBe(200);
    expect(wallet.body).toMatchObject({ method: 'wallet-fifo', totalBtc: '2.39900000', totalCostUsd: '52990.00' });
    expect(wallet.body.lots.map((l: Record<string, string>) => [l.wallet, l.lotEventId, l.acquiredAt, l.btc, l.costUsd])).toEqual([
      ['cold', ids.b, '2026-01-03T00:00:00.000Z', '0.90000000', '18000.00'],
      ['pool', ids.a, '2026-01-02T00:00:00.000Z', '0.49900000', '4990.00'],
      ['pool', ids.c, '2026-01-04T00:00:00.000Z', '1.00000000', '30000.00'],
    ]);
    const fifo = await app.http.get('/v1/books/lots/lots');
    expect(fifo.body).toMatchObject({ method: 'fifo', totalBtc: '2.39900000', totalCostUsd: '53990.00' });
    expect(fifo.body.lots).toEqual([
      {
        lotEventId: ids.a,
        acquiredAt: '2026-01-02T00:00:00.000Z',
        btc: '0.39900000',
        costUsd: '3990.00',
        lotBtc: '1.00000000',
        lotCostUsd: '10000.00',
      },
      {
        lotEventId: ids.b,
        acquiredAt: '2026-01-03T00:00:00.000Z',
        btc: '1.00000000',
        costUsd: '20000.00',
        lotBtc: '1.00000000',
        lotCostUsd: '20000.00',
      },
      {
        lotEventId: ids.c,
        acquiredAt: '2026-01-04T00:00:00.000Z',
        btc: '1.00000000',
        costUsd: '30000.00',
        lotBtc: '1.00000000',
        lotCostUsd: '30000.00',
      },
    ]);
  });

  it('disposals: the fee and the sale with the wallet each left from and the lots it relieved', async () => {
    const wallet = await app.http.get('/v1/books/lots/disposals?method=wallet-fifo&from=2026-01-01');
    expect(wallet.status).toBe(200);
    expect(wallet.body.method).toBe('wallet-fifo');
    expect(wallet.body.disposals).toEqual([
      {
        eventId: ids.transfer,
        type: 'BtcTransferred',
        wallet: 'pool',
        effectiveAt: '2026-01-05T00:00:00.000Z',
        btc: '0.00100000',
        proceedsUsd: '0.00',
        relievedCostUsd: '10.00',
        realizedGainUsd: '-10.00',
        lots: [{ lotEventId: ids.a, acquiredAt: '2026-01-02T00:00:00.000Z', btc: '0.00100000', costUsd: '10.00' }],
      },
      {
        eventId: ids.sale,
        type: 'BtcSold',
        wallet: 'cold',
        effectiveAt: '2026-01-06T00:00:00.000Z',
        btc: '0.60000000',
        proceedsUsd: '30000.00',
        relievedCostUsd: '7000.00',
        realizedGainUsd: '23000.00',
        lots: [
          { lotEventId: ids.a, acquiredAt: '2026-01-02T00:00:00.000Z', btc: '0.50000000', costUsd: '5000.00' },
          { lotEventId: ids.b, acquiredAt: '2026-01-03T00:00:00.000Z', btc: '0.10000000', costUsd: '2000.00' },
        ],
      },
    ]);
    const fifo = await app.http.get('/v1/books/lots/disposals?from=2026-01-06');
    expect(fifo.body.method).toBe('fifo');
    expect(fifo.body.disposals.map((d: Record<string, unknown>) => [d.eventId, d.wallet, d.relievedCostUsd])).toEqual([
      [ids.sale, undefined, '6000.00'],
    ]);
  });

  it('refuses any other method with 400 naming query.method, on all three routes', async () => {
    for (const path of ['position', 'lots', 'disposals']) {
      for (const bad of ['lifo', 'FIFO', '', 'wallet-fifo&method=fifo']) {
        const response = await app.http.get(`/v1/books/lots/${path}?method=${bad}`);
        expect([path, bad, response.status, response.contentType]).toEqual([
          path,
          bad,
          400,
          expect.stringContaining('application/problem+json'),
        ]);
        expect(response.body.errors).toEqual([expect.objectContaining({ path: 'query.method' })]);
      }
    }
  });
});
