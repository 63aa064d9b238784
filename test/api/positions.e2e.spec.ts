import { existsSync, rmSync } from 'node:fs';
import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * The position queries over HTTP, on the FIFO book of the projection unit tests: 2 BTC mined at
 * $50,000, 1 BTC at $60,000, a $70,000 price, 2.5 BTC sold for $175,000; a late 1 BTC payout at $40,000
 * recorded on Jan 20 effective Jan 3, reversed on Jan 25. Each command is sent at its recording time.
 */
describe('position queries over HTTP', () => {
  let app: TestApp;
  const ids: Record<string, string> = {};
  const send = (recordedAt: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return app.http.accepted('fifo', command, body);
  };

  beforeAll(async () => {
    app = await startTestApp();
    await send('2026-01-01T00:00:00Z', 'open-book', { name: 'FIFO Mining', effectiveAt: '2026-01-01T00:00:00Z' });
    ids.firstLot = (
      await send('2026-01-02T01:00:00Z', 'record-mining-output', {
        effectiveAt: '2026-01-02T00:00:00Z',
        wallet: 'pool',
        btc: '2',
        usdPerBtc: '50000.00',
      })
    ).events[0].eventId;
    ids.secondLot = (
      await send('2026-01-05T01:00:00Z', 'record-mining-output', {
        effectiveAt: '2026-01-05T00:00:00Z',
        wallet: 'pool',
        btc: '1',
        usdPerBtc: '60000.00',
      })
    ).events[0].eventId;
    await send('2026-01-06T01:00:00Z', 'record-btc-price', { effectiveAt: '2026-01-06T00:00:00Z', usdPerBtc: '70000.00' });
    ids.sale = (
      await send('2026-01-10T01:00:00Z', 'record-btc-sale', {
        effectiveAt: '2026-01-10T00:00:00Z',
        wallet: 'pool',
        btc: '2.5',
        proceedsUsd: '175000.00',
      })
    ).events[0].eventId;
    ids.late = (
      await send('2026-01-20T00:00:00Z', 'record-mining-output', {
        effectiveAt: '2026-01-03T00:00:00Z',
        wallet: 'pool',
        btc: '1',
        usdPerBtc: '40000.00',
      })
    ).events[0].eventId;
    await send('2026-01-25T00:00:00Z', 'reverse-event', { eventId: ids.late, reason: 'payout belonged to a hosting client' });
    app.clock.set('2026-03-01T12:00:00Z');
  });
  afterAll(() => app.dispose());

  it('answers "as of Jan 15, as known on Jan 21" with the late payout, and as known now without it', async () => {
    const then = await app.http.get('/v1/books/fifo/position?asOf=2026-01-15T00:00:00Z&knownAt=2026-01-21T00:00:00Z');
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({
      bookId: 'fifo',
      asOf: '2026-01-15T00:00:00.000Z',
      knownAt: '2026-01-21T00:00:00.000Z',
      revision: 5,
      holdings: {
        btc: '1.50000000',
        pledgedBtc: '0.00000000',
        unencumberedBtc: '1.50000000',
        wallets: { pool: { btc: '1.50000000', pledgedBtc: '0.00000000' } },
      },
      price: { usdPerBtc: '70000.00', effectiveAt: '2026-01-06T00:00:00.000Z' },
      costBasis: { totalUsd: '80000.00', realizedGainUsd: '55000.00', unrealizedGainUsd: '25000.00' },
      cash: { totalUsd: '175000.00', accounts: { operating: '175000.00' } },
      loans: {},
      leverage: {
        totalDebtUsd: '0.00',
        totalAssetsUsd: '280000.00',
        netDebtUsd: '-175000.00',
        debtToAssets: '0.000000',
        aggregateLtv: null,
      },
      liquidity: { cashUsd: '175000.00', unencumberedBtcValueUsd: '105000.00', availableLiquidityUsd: '280000.00' },
    });
    const now = await app.http.get('/v1/books/fifo/position?asOf=2026-01-15T00:00:00Z');
    expect(now.body).toMatchObject({
      knownAt: '2026-03-01T12:00:00.000Z',
      revision: 6,
      holdings: { btc: '0.50000000' },
      costBasis: { realizedGainUsd: '45000.00' },
    });
  });

  it('lists open lots and disposals with the lots each relieved', async () => {
    const lots = await app.http.get('/v1/books/fifo/lots?asOf=2026-01-15T00:00:00Z&knownAt=2026-01-21T00:00:00Z');
    expect(lots.status).toBe(200);
    expect(lots.body).toMatchObject({ totalBtc: '1.50000000', totalCostUsd: '80000.00' });
    expect(lots.body.lots).toEqual([
      {
        lotEventId: ids.late,
        acquiredAt: '2026-01-03T00:00:00.000Z',
        btc: '0.50000000',
        costUsd: '20000.00',
        lotBtc: '1.00000000',
        lotCostUsd: '40000.00',
      },
      {
        lotEventId: ids.secondLot,
        acquiredAt: '2026-01-05T00:00:00.000Z',
        btc: '1.00000000',
        costUsd: '60000.00',
        lotBtc: '1.00000000',
        lotCostUsd: '60000.00',
      },
    ]);
    const disposals = await app.http.get('/v1/books/fifo/disposals?from=2026-01-01T00:00:00Z&to=2026-01-31T23:59:59Z');
    expect(disposals.status).toBe(200);
    expect(disposals.body.disposals).toEqual([
      {
        eventId: ids.sale,
        type: 'BtcSold',
        effectiveAt: '2026-01-10T00:00:00.000Z',
        btc: '2.50000000',
        proceedsUsd: '175000.00',
        relievedCostUsd: '130000.00',
        realizedGainUsd: '45000.00',
        lots: [
          { lotEventId: ids.firstLot, acquiredAt: '2026-01-02T00:00:00.000Z', btc: '2.00000000', costUsd: '100000.00' },
          { lotEventId: ids.secondLot, acquiredAt: '2026-01-05T00:00:00.000Z', btc: '0.50000000', costUsd: '30000.00' },
        ],
      },
    ]);
  });

  it('gives a series of the core figures, nulls where there is no price', async () => {
    const series = await app.http.get(
      '/v1/books/fifo/position/series?from=2026-01-01T00:00:00Z&to=2026-01-15T00:00:00Z&every=1w&knownAt=2026-01-21T00:00:00Z',
    );
    expect(series.status).toBe(200);
    expect(
      series.body.points.map((p: Record<string, unknown>) => [p.asOf, p.btc, p.usdPerBtc, p.costBasisUsd, p.availableLiquidityUsd]),
    ).toEqual([
      ['2026-01-01T00:00:00.000Z', '0.00000000', null, '0.00', null],
      ['2026-01-08T00:00:00.000Z', '4.00000000', '70000.00', '200000.00', '280000.00'],
      ['2026-01-15T00:00:00.000Z', '1.50000000', '70000.00', '80000.00', '280000.00'],
    ]);
  });

  it('reads its own writes: a query right after a command includes it, by default or with minLogPosition', async () => {
    for (let i = 0; i < 20; i++) {
      const sent = await app.http.command('fifo', 'record-cash-movement', {
        effectiveAt: '2026-02-01T00:00:00Z',
        cashAccount: 'hosting',
        amountUsd: '1.00',
        category: 'revenue',
      });
      expect(sent.status).toBe(201);
      const position = await app.http.get(
        i % 2 === 0 ? '/v1/books/fifo/position' : `/v1/books/fifo/position?minLogPosition=${sent.body.logPosition}`,
      );
      expect(position.body.cash.accounts.hosting).toBe(`${i + 1}.00`);
      expect(position.body.revision).toBe(sent.body.revision);
    }
  });

  it('refuses bad queries with the failing parameter named, and unknown books with 404', async () => {
    const cases: Array<[string, string]> = [
      ['/v1/books/fifo/position?asOf=2026-02-30', 'query.asOf'],
      ['/v1/books/fifo/position?knownAt=2026-02-30T00:00:00Z', 'query.knownAt'],
      ['/v1/books/fifo/position?minLogPosition=-1', 'query.minLogPosition'],
      ['/v1/books/fifo/position?asof=2026-01-15T00:00:00Z', 'query.asof'],
      ['/v1/books/fifo/position/series?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&every=2d', 'query.every'],
      ['/v1/books/fifo/position/series?to=2026-01-02T00:00:00Z&every=1d', 'query.from'],
      ['/v1/books/fifo/position/series?from=2026-01-03T00:00:00Z&to=2026-01-02T00:00:00Z&every=1d', 'query.to'],
      ['/v1/books/fifo/position/series?from=2020-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&every=1h', 'query'],
      ['/v1/books/fifo/disposals?from=2026-01-03T00:00:00Z&to=2026-01-02T00:00:00Z', 'query.to'],
      ['/v1/books/fifo/lots?asOf=yesterday', 'query.asOf'],
    ];
    for (const [path, field] of cases) {
      const response = await app.http.get(path);
      expect([path, response.status, response.contentType]).toEqual([path, 400, expect.stringContaining('application/problem+json')]);
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const unknown = await app.http.get('/v1/books/nobody/position');
    expect([unknown.status, unknown.body.type]).toEqual([404, expect.stringContaining('book-not-found')]);
  });

  it('explains a figure by the events that sum to it, with running totals ending at the figure', async () => {
    const cut = 'asOf=2026-01-15T00:00:00Z&knownAt=2026-01-21T00:00:00Z';
    const explained = await app.http.get(`/v1/books/fifo/position/explain?figure=holdings.unencumberedBtc&${cut}`);
    expect(explained.status).toBe(200);
    expect(explained.body).toMatchObject({
      figure: 'holdings.unencumberedBtc',
      unit: 'BTC',
      kind: 'sum',
      value: '1.50000000',
      count: 4,
      next: null,
    });
    expect(explained.body.contributions.map((c: Record<string, string>) => [c.eventId, c.amount, c.runningTotal])).toEqual([
      [ids.firstLot, '2.00000000', '2.00000000'],
      [ids.late, '1.00000000', '3.00000000'],
      [ids.secondLot, '1.00000000', '4.00000000'],
      [ids.sale, '-2.50000000', '1.50000000'],
    ]);
    // As known now the late payout is reversed: it no longer contributes.
    const now = await app.http.get('/v1/books/fifo/position/explain?figure=holdings.unencumberedBtc&asOf=2026-01-15T00:00:00Z');
    expect(now.body.contributions.map((c: Record<string, string>) => c.eventId)).toEqual([ids.firstLot, ids.secondLot, ids.sale]);

    // A page at a time: the running total carries over.
    const second = await app.http.get(`/v1/books/fifo/position/explain?figure=holdings.btc&${cut}&limit=3&after=3`);
    expect(second.body.contributions.map((c: Record<string, string>) => c.runningTotal)).toEqual(['1.50000000']);
    expect((await app.http.get(`/v1/books/fifo/position/explain?figure=holdings.btc&${cut}&limit=3`)).body.next).toBe(3);

    const realized = await app.http.get(`/v1/books/fifo/position/explain?figure=costBasis.realizedGainUsd&${cut}`);
    expect(realized.body.contributions).toEqual([
      expect.objectContaining({
        eventId: ids.sale,
        amount: '55000.00',
        runningTotal: '55000.00',
        detail: { btc: '2.50000000', proceedsUsd: '175000.00', relievedCostUsd: '120000.00' },
      }),
    ]);
    const cost = await app.http.get(`/v1/books/fifo/position/explain?figure=costBasis.totalUsd&${cut}`);
    expect(cost.body.contributions.map((c: Record<string, string>) => [c.eventId, c.amount, c.runningTotal])).toEqual([
      [ids.late, '20000.00', '20000.00'],
      [ids.secondLot, '60000.00', '80000.00'],
    ]);
    const price = await app.http.get(`/v1/books/fifo/position/explain?figure=price.usdPerBtc&${cut}`);
    expect(price.body).toMatchObject({
      kind: 'observation',
      value: '70000.00',
      source: { type: 'BtcPriceObserved', effectiveAt: '2026-01-06T00:00:00.000Z' },
    });
    const assets = await app.http.get(`/v1/books/fifo/position/explain?figure=leverage.totalAssetsUsd&${cut}`);
    expect(assets.body).toMatchObject({ kind: 'formula', value: '280000.00', formula: 'cash.totalUsd + holdings.btc × price.usdPerBtc' });
    expect(assets.body.inputs).toEqual([
      { figure: 'cash.totalUsd', unit: 'USD', value: '175000.00' },
      { figure: 'holdings.btc', unit: 'BTC', value: '1.50000000' },
      { figure: 'price.usdPerBtc', unit: 'USD', value: '70000.00' },
    ]);
    for (const bad of ['holdings', 'loans.none.outstandingUsd', 'price.effectiveAt', '']) {
      const refused = await app.http.get(`/v1/books/fifo/position/explain?figure=${encodeURIComponent(bad)}`);
      expect([bad, refused.status, refused.body.errors?.[0]?.path]).toEqual([bad, 400, 'query.figure']);
    }
  });

  it('documents every query in the OpenAPI document', async () => {
    const docs = await app.http.get('/docs');
    for (const path of [
      '/v1/books/{bookId}/position',
      '/v1/books/{bookId}/position/series',
      '/v1/books/{bookId}/lots',
      '/v1/books/{bookId}/disposals',
    ]) {
      expect(docs.body.paths[path].get.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['bookId', 'knownAt', 'minLogPosition']),
      );
    }
    expect(docs.body.paths['/v1/admin/projections/rebuild'].post).toBeDefined();
    for (const path of [
      '/v1/books/{bookId}/events.jsonl',
      '/v1/books/{bookId}/events.csv',
      '/v1/events/{eventId}',
      '/v1/books/{bookId}/verify',
      '/v1/books/{bookId}/position/explain',
      '/v1/books/{bookId}/reports/month-end',
      '/v1/books/{bookId}/reconciliation',
    ]) {
      expect([path, docs.body.paths[path]?.get?.operationId]).toEqual([path, expect.any(String)]);
    }
    expect(docs.body.paths['/v1/books/{bookId}/events'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([
        'type',
        'effectiveFrom',
        'effectiveTo',
        'recordedFrom',
        'recordedTo',
        'actor',
        'reference',
        'loanId',
        'wallet',
      ]),
    );
  });

  it('answers the same after a restart (from its snapshot), after a rebuild, and with no snapshot at all', async () => {
    const paths = [
      '/v1/books/fifo/position?asOf=2026-01-15T00:00:00Z&knownAt=2026-01-21T00:00:00Z',
      '/v1/books/fifo/position?asOf=2026-02-15T00:00:00Z',
      '/v1/books/fifo/lots?asOf=2026-01-15T00:00:00Z&knownAt=2026-01-21T00:00:00Z',
      '/v1/books/fifo/disposals',
    ];
    const answers = async () => Promise.all(paths.map(async (path) => (await app.http.get(path)).body));
    const before = await answers();

    app = await app.restart();
    expect(existsSync(`${app.dbPath}.projection`)).toBe(true);
    expect(await answers()).toEqual(before);

    const rebuilt = await app.http.post('/v1/admin/projections/rebuild', {});
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.events).toBe(27);
    expect(await answers()).toEqual(before);

    await app.stop();
    rmSync(`${app.dbPath}.projection`);
    app = await app.restart();
    expect(await answers()).toEqual(before);
  });
});
