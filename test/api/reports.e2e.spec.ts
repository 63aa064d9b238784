import { startTestApp, TestApp } from '@treasury/test-support';

/** Month-end report and reconciliation over HTTP, on three months of a small book. */
describe('month-end report and reconciliation', () => {
  let app: TestApp;
  const send = (recordedAt: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return app.http.accepted('miner', command, body);
  };

  beforeAll(async () => {
    app = await startTestApp();
    await send('2025-12-01T00:00:00Z', 'open-book', { name: 'Miner', effectiveAt: '2025-12-01T00:00:00Z' });
    await send('2025-12-31T23:59:00Z', 'record-mining-output', {
      effectiveAt: '2025-12-31T23:00:00Z',
      wallet: 'pool',
      btc: '569',
      usdPerBtc: '87508.83',
    });
    await send('2025-12-31T23:59:30Z', 'record-btc-price', { effectiveAt: '2025-12-31T23:00:00Z', usdPerBtc: '87508.83' });
    await send('2026-01-10T00:00:00Z', 'transfer-btc', {
      effectiveAt: '2026-01-10T00:00:00Z',
      fromWallet: 'pool',
      toWallet: 'cold',
      btc: '500',
      feeBtc: '0.0002',
    });
    await send('2026-01-15T00:00:00Z', 'record-btc-sale', {
      effectiveAt: '2026-01-15T00:00:00Z',
      wallet: 'pool',
      btc: '50.03',
      proceedsUsd: '4452670.00',
    });
    await send('2026-01-31T23:59:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-31T23:00:00Z',
      wallet: 'pool',
      btc: '496.35',
      usdPerBtc: '78621.12',
    });
    await send('2026-01-31T23:59:30Z', 'record-btc-price', { effectiveAt: '2026-01-31T23:00:00Z', usdPerBtc: '78621.12' });
    await send('2026-02-03T00:00:00Z', 'record-reported-holdings', {
      effectiveAt: '2025-12-31T23:59:59Z',
      btc: '569.0',
      minedBtc: '569.0',
      soldBtc: '0',
      source: 'operational-update',
    });
    await send('2026-02-03T00:00:01Z', 'record-reported-holdings', {
      effectiveAt: '2026-01-31T23:59:59Z',
      btc: '1015.3',
      minedBtc: '496.35',
      soldBtc: '50.3',
      source: 'operational-update',
    });
    await send('2026-02-04T00:00:00Z', 'record-reported-holdings', {
      effectiveAt: '2026-01-31T23:59:59Z',
      btc: '500',
      pledgedBtc: '0',
      source: 'custodian-statement',
    });
    app.clock.set('2026-03-01T12:00:00Z');
  });
  afterAll(() => app.dispose());

  it('rolls BTC forward month by month, network fees included, with the month-end position', async () => {
    const report = await app.http.get('/v1/books/miner/reports/month-end?from=2025-12&to=2026-02');
    expect(report.status).toBe(200);
    expect(report.body.months).toEqual([
      expect.objectContaining({
        month: '2025-12',
        asOf: '2025-12-31T23:59:59.999Z',
        openingBtc: '0.00000000',
        minedBtc: '569.00000000',
        closingBtc: '569.00000000',
        usdPerBtc: '87508.83',
        rollforwardCheckBtc: '0.00000000',
      }),
      expect.objectContaining({
        month: '2026-01',
        openingBtc: '569.00000000',
        minedBtc: '496.35000000',
        soldBtc: '50.03000000',
        transferredOutBtc: '500.00020000',
        transferredInBtc: '500.00000000',
        closingBtc: '1015.31980000',
        rollforwardCheckBtc: '0.00000000',
        cashUsd: '4452670.00',
        totalDebtUsd: '0.00',
        usdPerBtc: '78621.12',
      }),
      expect.objectContaining({ month: '2026-02', openingBtc: '1015.31980000', minedBtc: '0.00000000', closingBtc: '1015.31980000' }),
    ]);
    const bad = await app.http.get('/v1/books/miner/reports/month-end?from=2026-13&to=2025-01');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.from']);
    const backwards = await app.http.get('/v1/books/miner/reports/month-end?from=2026-02&to=2025-12');
    expect(backwards.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.to']);
  });

  it('reconciles each report within and beyond the tolerance, and follows a new tolerance', async () => {
    const rec = await app.http.get('/v1/books/miner/reconciliation');
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ toleranceBtc: '0.10000000', flagged: 2 });
    expect(rec.body.reports.map((r: Record<string, unknown>) => [r.source, r.flagged])).toEqual([
      ['operational-update', false],
      ['operational-update', true],
      ['custodian-statement', true],
    ]);
    expect(rec.body.reports[1]).toMatchObject({
      btc: { reported: '1015.30000000', ledger: '1015.31980000', difference: '-0.01980000', flagged: false },
      soldBtc: { reported: '50.30000000', ledger: '50.03000000', difference: '0.27000000', flagged: true },
    });
    expect(rec.body.reports[2]).toMatchObject({
      btc: { difference: '-515.31980000', flagged: true },
      pledgedBtc: { difference: '0.00000000', flagged: false },
    });

    await send('2026-03-01T12:00:00Z', 'set-reconciliation-tolerance', { btc: '0.3' });
    const wider = await app.http.get('/v1/books/miner/reconciliation');
    expect([wider.body.toleranceBtc, wider.body.reports.map((r: { flagged: boolean }) => r.flagged)]).toEqual([
      '0.30000000',
      [false, false, true],
    ]);
    const before = await app.http.get('/v1/books/miner/reconciliation?knownAt=2026-02-28T00:00:00Z');
    expect(before.body.toleranceBtc).toBe('0.10000000');
  });

  it('refuses a report with a bad source or a pledge above the holdings, naming the field', async () => {
    const badSource = await app.http.command('miner', 'record-reported-holdings', {
      effectiveAt: '2026-01-31T23:59:59Z',
      btc: '1',
      source: 'rumour',
    });
    expect([badSource.status, badSource.body.errors[0].path]).toEqual([400, 'source']);
    const pledge = await app.http.command('miner', 'record-reported-holdings', {
      effectiveAt: '2026-01-31T23:59:59Z',
      btc: '1',
      pledgedBtc: '2',
      source: 'lender-statement',
    });
    expect([pledge.status, pledge.body.errors[0].path]).toEqual([400, 'pledgedBtc']);
  });
});
