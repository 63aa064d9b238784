import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * The USD roll-forward in the month-end report and the period P&L over HTTP, on the book worked by hand
 * in libs/projections/src/reports/accounting-reports.unit.spec.ts (its comment has the arithmetic).
 */
describe('accounting reports: USD roll-forward and P&L', () => {
  let app: TestApp;
  const send = (recordedAt: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return app.http.accepted('acme', command, body);
  };

  beforeAll(async () => {
    app = await startTestApp();
    await send('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    await send('2025-06-01T00:30:00Z', 'record-btc-price', { effectiveAt: '2025-06-01T00:00:00Z', usdPerBtc: '60000.00' });
    await send('2025-06-01T01:00:00Z', 'record-opening-balance', {
      wallet: 'cold',
      btc: '1',
      costBasisUsd: '20000.00',
      acquiredAt: '2021-01-01T00:00:00Z',
    });
    await send('2025-06-10T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2025-06-10T00:00:00Z',
      wallet: 'pool',
      btc: '2',
      usdPerBtc: '50000.00',
      pool: 'Foundry',
    });
    await send('2025-06-30T12:00:00Z', 'record-btc-price', { effectiveAt: '2025-06-30T12:00:00Z', usdPerBtc: '60000.00' });
    await send('2025-07-01T00:00:00Z', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'term',
      lender: 'L',
      principalUsd: '1000000.00',
      annualRate: '0.073',
      marginCallLtv: '0.7',
      liquidationLtv: '0.85',
      dayCount: 'act/365',
    });
    await send('2025-07-05T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2025-07-05T00:00:00Z',
      wallet: 'pool',
      btc: '1',
      usdPerBtc: '62000.00',
    });
    await send('2025-07-08T00:00:00Z', 'record-btc-purchase', {
      effectiveAt: '2025-07-08T00:00:00Z',
      wallet: 'hot',
      btc: '0.5',
      costUsd: '30000.00',
      feesUsd: '100.00',
    });
    await send('2025-07-10T00:00:00Z', 'record-btc-sale', {
      effectiveAt: '2025-07-10T00:00:00Z',
      wallet: 'pool',
      btc: '1.2',
      proceedsUsd: '80000.00',
      feesUsd: '500.00',
    });
    await send('2025-07-15T00:00:00Z', 'record-btc-payment', {
      effectiveAt: '2025-07-15T00:00:00Z',
      wallet: 'pool',
      btc: '0.5',
      usdPerBtc: '40000.00',
      category: 'power',
    });
    await send('2025-07-20T00:00:00Z', 'transfer-btc', {
      effectiveAt: '2025-07-20T00:00:00Z',
      fromWallet: 'pool',
      toWallet: 'cold',
      btc: '1',
      feeBtc: '0.001',
    });
    await send('2025-07-25T00:00:00Z', 'record-cash-movement', {
      effectiveAt: '2025-07-25T00:00:00Z',
      cashAccount: 'operating',
      amountUsd: '-3000.00',
      category: 'power',
    });
    await send('2025-07-25T00:00:01Z', 'record-cash-movement', {
      effectiveAt: '2025-07-25T00:00:01Z',
      cashAccount: 'operating',
      amountUsd: '1000.00',
      category: 'hosting-rebate',
    });
    await send('2025-07-26T00:00:00Z', 'record-cash-movement', {
      effectiveAt: '2025-07-26T00:00:00Z',
      cashAccount: 'operating',
      amountUsd: '-5000.00',
      category: 'equipment',
    });
    await send('2025-07-26T00:00:01Z', 'record-cash-movement', {
      effectiveAt: '2025-07-26T00:00:01Z',
      cashAccount: 'operating',
      amountUsd: '2000.00',
      category: 'equity',
    });
    await send('2025-07-31T00:00:00Z', 'accrue-interest', { effectiveAt: '2025-07-31T00:00:00Z', loanId: 'term', interestUsd: '100.00' });
    await send('2025-07-31T12:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-31T12:00:00Z', usdPerBtc: '70000.00' });
    await send('2025-08-01T00:00:00Z', 'set-account-mapping', {
      productionCostCategories: ['power'],
      balanceSheetCategories: ['equipment', 'equity'],
      expenseAccounts: { equipment: { code: '1700', name: 'Equipment' }, equity: { code: '3100', name: 'Paid-in capital' } },
    });
    app.clock.set('2025-08-02T00:00:00Z');
  });
  afterAll(() => app.dispose());

  it('puts the USD roll-forward beside the BTC one in the month-end report, closing to the cent, under either lot method', async () => {
    const report = await app.http.get('/v1/books/acme/reports/month-end?from=2025-06&to=2025-07');
    expect(report.status).toBe(200);
    expect(report.body.method).toBe('fifo');
    const [june, july] = report.body.months;
    expect(june).toMatchObject({
      closingBtc: '3.00000000',
      rollforwardCheckBtc: '0.00000000',
      usd: { openingFairValueUsd: '0.00', additionsUsd: '120000.00', closingFairValueUsd: '180000.00', rollforwardCheckUsd: '0.00' },
    });
    expect(july.usd).toEqual({
      openingFairValueUsd: '180000.00',
      minedUsd: '62000.00',
      purchasedUsd: '30100.00',
      openingBalancesUsd: '0.00',
      additionsUsd: '92100.00',
      salesUsd: '80000.00',
      paymentsUsd: '20000.00',
      liquidationsUsd: '0.00',
      proceedsUsd: '100000.00',
      realizedGainUsd: '44950.00',
      openingUnrealizedGainUsd: '60000.00',
      closingUnrealizedGainUsd: '38880.00',
      unrealizedChangeUsd: '-21120.00',
      openingBalancesRevaluationUsd: '0.00',
      closingFairValueUsd: '195930.00',
      rollforwardCheckUsd: '0.00',
    });
    // June: the opening lot (cost 20,000) was worth 60,000 when held: 40,000 of June's unrealized change came in with it.
    expect(june.usd).toMatchObject({ unrealizedChangeUsd: '60000.00', openingBalancesRevaluationUsd: '40000.00' });
    // Under wallet-fifo the sale relieves the pool wallet's own lots (June's mining), not the cold wallet's opening lot.
    const wallet = await app.http.get('/v1/books/acme/reports/month-end?from=2025-06&to=2025-07&method=wallet-fifo');
    expect(wallet.status).toBe(200);
    expect(wallet.body.method).toBe('wallet-fifo');
    expect(wallet.body.months[1].usd).toMatchObject({
      realizedGainUsd: '14950.00',
      closingUnrealizedGainUsd: '68880.00',
      closingFairValueUsd: '195930.00',
      rollforwardCheckUsd: '0.00',
    });
  });

  it('answers the P&L per month and in total, tied to the roll-forward', async () => {
    const pnl = await app.http.get('/v1/books/acme/reports/pnl?from=2025-06&to=2025-07');
    expect(pnl.status).toBe(200);
    expect(pnl.body).toMatchObject({
      bookId: 'acme',
      method: 'fifo',
      firstMonth: '2025-06',
      productionCostCategories: ['power'],
      balanceSheetCategories: ['equipment', 'equity'],
    });
    // The opening lot's gain from before the book is opening equity, not June's remeasurement.
    expect(pnl.body.months[0]).toMatchObject({
      fairValueRemeasurementUsd: '20000.00',
      openingBalancesRevaluationUsd: '40000.00',
      netIncomeUsd: '120000.00',
    });
    expect(pnl.body.months[1]).toEqual({
      month: '2025-07',
      miningRevenue: { totalUsd: '62000.00', byPool: {}, withoutPoolUsd: '62000.00' },
      realizedGain: { onSalesUsd: '50500.00', onPaymentsUsd: '-5000.00', onLiquidationsUsd: '0.00' },
      tradingFeesUsd: '500.00',
      networkFeesUsd: '50.00',
      fairValueRemeasurementUsd: '-21120.00',
      openingBalancesRevaluationUsd: '0.00',
      interestExpense: { totalUsd: '6300.00', byLoan: { term: '6300.00' } },
      expensesPaidInBtc: { totalUsd: '20000.00', byCategory: { power: '20000.00' } },
      expensesPaidInCash: { totalUsd: '3000.00', byCategory: { power: '3000.00' } },
      otherIncome: { totalUsd: '1000.00', byCategory: { 'hosting-rebate': '1000.00' } },
      netIncomeUsd: '57530.00',
      // Capital spending and equity: listed, not P&L.
      notInPnl: {
        paidInBtc: { totalUsd: '0.00', byCategory: {} },
        cashOut: { totalUsd: '5000.00', byCategory: { equipment: '5000.00' } },
        cashIn: { totalUsd: '2000.00', byCategory: { equity: '2000.00' } },
      },
      minedBtc: '1.00000000',
      productionCostUsd: '23000.00',
      costPerBtcMinedUsd: '23000.00',
    });
    expect(pnl.body.total).toMatchObject({
      miningRevenue: { totalUsd: '162000.00', byPool: { Foundry: '100000.00' } },
      netIncomeUsd: '177530.00',
      costPerBtcMinedUsd: '7666.67',
    });
    const wallet = await app.http.get('/v1/books/acme/reports/pnl?from=2025-07&to=2025-07&method=wallet-fifo');
    expect(wallet.body.months[0].realizedGain).toEqual({ onSalesUsd: '20500.00', onPaymentsUsd: '-5000.00', onLiquidationsUsd: '0.00' });
  });

  it('reads the book as known at knownAt: before the sale was recorded, and before the account mapping', async () => {
    const report = await app.http.get('/v1/books/acme/reports/month-end?from=2025-07&to=2025-07&knownAt=2025-07-09T00:00:00Z');
    expect(report.body.months[0].usd).toMatchObject({
      additionsUsd: '92100.00',
      proceedsUsd: '0.00',
      closingFairValueUsd: '270000.00',
      rollforwardCheckUsd: '0.00',
    });
    const pnl = await app.http.get('/v1/books/acme/reports/pnl?from=2025-07&to=2025-07&knownAt=2025-07-31T23:00:00Z');
    expect(pnl.body).toMatchObject({
      productionCostCategories: [],
      balanceSheetCategories: [],
      months: [{ productionCostUsd: '0.00', costPerBtcMinedUsd: '0.00' }],
    });
  });

  it('refuses a bad method, month or parameter with 400 naming the field', async () => {
    for (const path of ['month-end', 'pnl']) {
      const bad = await app.http.get(`/v1/books/acme/reports/${path}?from=2025-06&to=2025-07&method=lifo`);
      expect([bad.status, bad.body.errors.map((e: { path: string }) => e.path)]).toEqual([400, ['query.method']]);
      const both = await app.http.get(`/v1/books/acme/reports/${path}?from=2025-13&to=2025-07&method=`);
      expect([both.status, both.body.errors.map((e: { path: string }) => e.path)]).toEqual([400, ['query.from', 'query.method']]);
      const unknown = await app.http.get(`/v1/books/acme/reports/${path}?from=2025-06&to=2025-07&lots=fifo`);
      expect(unknown.status).toBe(400);
    }
  });
});
