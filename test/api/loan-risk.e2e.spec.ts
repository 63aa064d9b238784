import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * Loan risk over HTTP: the README's loan (in margin call when drawn), its trigger prices and headroom,
 * cash collateral, the aggregate LTV beside an unsecured loan, price staleness, and the OpenAPI entries.
 */
describe('loan risk over HTTP', () => {
  let app: TestApp;
  const send = (recordedAt: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return app.http.accepted('acme', command, body);
  };
  const position = async (asOf: string) => {
    const answer = await app.http.get(`/v1/books/acme/position?asOf=${asOf}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  let treasurer: string;
  let bookkeeper: string;

  beforeAll(async () => {
    app = await startTestApp();
    const key = async (role: string) =>
      (await app.http.post('/v1/admin/api-keys', { name: `${role}@acme`, role, books: ['acme'] })).body.key as string;
    await send('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    treasurer = await key('treasurer');
    bookkeeper = await key('bookkeeper');
    await send('2025-07-01T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2025-06-30T23:59:59Z',
      wallet: 'cold',
      btc: '716.5',
      usdPerBtc: '107135.33',
    });
    await send('2025-07-01T00:00:00Z', 'record-btc-price', { effectiveAt: '2025-06-30T23:59:59Z', usdPerBtc: '107135.33' });
    await send('2025-07-01T00:00:00Z', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'coinbase-2025',
      lender: 'Coinbase Credit',
      principalUsd: '50000000.00',
      annualRate: '0',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
      maturityAt: '2027-07-01T00:00:00Z',
    });
    await send('2025-07-01T00:00:00Z', 'pledge-collateral', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'coinbase-2025',
      wallet: 'cold',
      btc: '600',
    });
    await send('2025-07-01T00:00:00Z', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'unsecured',
      lender: 'Bank',
      principalUsd: '1000000.00',
      annualRate: '0',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
    });
    app.clock.set('2026-03-01T12:00:00Z');
  });
  afterAll(() => app.dispose());

  it('answers status, days to maturity, trigger prices (rounded down) and headroom for each loan', async () => {
    const p = await position('2025-07-01T12:00:00Z');
    expect(p.loans['coinbase-2025']).toMatchObject({
      pledgedBtc: '600.00000000',
      pledgedCashUsd: '0.00',
      ltv: '0.777832',
      status: 'margin-call',
      marginCallPriceUsd: '119047.61',
      liquidationPriceUsd: '98039.21',
      daysToMaturity: 729,
      priceDropToMarginCallPct: '0.0000',
      btcToCureMarginCall: '66.71350552',
      usdToCureMarginCall: '5003161.41',
    });
    expect(p.loans.unsecured).toMatchObject({
      ltv: null,
      status: 'open',
      marginCallPriceUsd: null,
      daysToMaturity: null,
      priceDropToMarginCallPct: null,
      btcToCureMarginCall: null,
      usdToCureMarginCall: null,
    });
    // The unsecured $1,000,000 neither inflates the aggregate LTV nor leaves debt to assets.
    expect(p.leverage).toMatchObject({
      totalDebtUsd: '51000000.00',
      securedDebtUsd: '50000000.00',
      collateralValueUsd: '64281198.00',
      aggregateLtv: '0.777832',
    });
    // The price is 12 h 1 s old at asOf: fresh under the default day.
    expect(p.price).toEqual({
      usdPerBtc: '107135.33',
      effectiveAt: '2025-06-30T23:59:59.000Z',
      ageSeconds: 43_201,
      maxAgeSeconds: 86_400,
      stale: false,
    });
    expect((await position('2025-07-02T00:00:00Z')).price).toMatchObject({ ageSeconds: 86_401, stale: true });
  });

  it('the series carries each open loan with its LTV and its own lines, so a chart can draw every loan against its thresholds', async () => {
    const series = await app.http.get('/v1/books/acme/position/series?from=2025-06-30&to=2025-07-01&every=1d');
    expect(series.status).toBe(200);
    const [before, after] = series.body.points;
    expect(before.loans).toEqual({});
    expect(after.loans).toEqual({
      'coinbase-2025': { ltv: '0.777832', marginCallLtv: '0.700000', liquidationLtv: '0.850000' },
      unsecured: { ltv: null, marginCallLtv: '0.700000', liquidationLtv: '0.850000' },
    });
  });

  it('at the displayed margin-call price the loan is in margin call; one cent above it is not', async () => {
    await send('2025-07-02T01:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-02T00:00:00Z', usdPerBtc: '119047.62' });
    await send('2025-07-03T01:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-03T00:00:00Z', usdPerBtc: '119047.61' });
    expect((await position('2025-07-02T12:00:00Z')).loans['coinbase-2025'].status).toBe('open');
    expect((await position('2025-07-03T12:00:00Z')).loans['coinbase-2025'].status).toBe('margin-call');
  });

  it('pledge-cash-collateral and release-cash-collateral move cash into and out of a loan’s collateral', async () => {
    const pledged = await app.http.as(treasurer).command('acme', 'pledge-cash-collateral', {
      effectiveAt: '2025-07-01T06:00:00Z',
      loanId: 'coinbase-2025',
      cashAccount: 'operating',
      amountUsd: '10000000.00',
    });
    expect(pledged.status).toBe(201);
    expect(pledged.body.events).toEqual([expect.objectContaining({ type: 'CashCollateralPledged' })]);
    const p = await position('2025-07-01T12:00:00Z');
    expect(p.loans['coinbase-2025']).toMatchObject({
      pledgedCashUsd: '10000000.00',
      ltv: '0.673118',
      status: 'open',
      marginCallPriceUsd: '102380.95',
      btcToCureMarginCall: '0.00000000',
    });
    expect(p.cash).toEqual({ totalUsd: '51000000.00', pledgedUsd: '10000000.00', accounts: { operating: '41000000.00' } });
    expect(p.liquidity.cashUsd).toBe('41000000.00');
    const explained = await app.http.get(
      '/v1/books/acme/position/explain?figure=loans.coinbase-2025.pledgedCashUsd&asOf=2025-07-01T12:00:00Z',
    );
    expect(explained.body).toMatchObject({
      kind: 'sum',
      value: '10000000.00',
      contributions: [{ type: 'CashCollateralPledged', amount: '10000000.00' }],
    });

    const released = await app.http.as(treasurer).command('acme', 'release-cash-collateral', {
      effectiveAt: '2025-07-01T07:00:00Z',
      loanId: 'coinbase-2025',
      cashAccount: 'operating',
      amountUsd: '4000000.00',
    });
    expect(released.status).toBe(201);
    expect((await position('2025-07-01T12:00:00Z')).cash).toMatchObject({
      pledgedUsd: '6000000.00',
      accounts: { operating: '45000000.00' },
    });
  });

  it('refuses what would take a balance below zero, a bad amount and the wrong role, writing nothing', async () => {
    const before = await app.http.eventCount('acme');
    const overRelease = await app.http.command('acme', 'release-cash-collateral', {
      effectiveAt: '2025-07-01T08:00:00Z',
      loanId: 'coinbase-2025',
      cashAccount: 'operating',
      amountUsd: '6000000.01',
    });
    expect([overRelease.status, overRelease.body.rule]).toEqual([422, 'insufficient-pledged-cash']);
    const overPledge = await app.http.command('acme', 'pledge-cash-collateral', {
      effectiveAt: '2025-07-01T08:00:00Z',
      loanId: 'coinbase-2025',
      cashAccount: 'operating',
      amountUsd: '45000000.01',
    });
    expect([overPledge.status, overPledge.body.rule]).toEqual([422, 'insufficient-cash']);
    const unknownLoan = await app.http.command('acme', 'pledge-cash-collateral', {
      effectiveAt: '2025-07-01T08:00:00Z',
      loanId: 'nope',
      cashAccount: 'operating',
      amountUsd: '1.00',
    });
    expect([unknownLoan.status, unknownLoan.body.rule]).toEqual([422, 'unknown-loan']);
    const badAmount = await app.http.command('acme', 'pledge-cash-collateral', {
      effectiveAt: '2025-07-01T08:00:00Z',
      loanId: 'coinbase-2025',
      cashAccount: 'operating',
      amountUsd: '0.001',
    });
    expect([badAmount.status, badAmount.body.errors.map((e: { path: string }) => e.path)]).toEqual([400, ['amountUsd']]);
    const badAge = await app.http.command('acme', 'set-price-staleness', { maxAgeSeconds: 0 });
    expect([badAge.status, badAge.body.errors.map((e: { path: string }) => e.path)]).toEqual([400, ['maxAgeSeconds']]);
    const byBookkeeper = await app.http.as(bookkeeper).command('acme', 'pledge-cash-collateral', {
      effectiveAt: '2025-07-01T08:00:00Z',
      loanId: 'coinbase-2025',
      cashAccount: 'operating',
      amountUsd: '1.00',
    });
    expect([byBookkeeper.status, byBookkeeper.body.requiredRole]).toEqual([403, 'treasurer']);
    const byTreasurer = await app.http.as(treasurer).command('acme', 'set-price-staleness', { maxAgeSeconds: 3600 });
    expect([byTreasurer.status, byTreasurer.body.requiredRole]).toEqual([403, 'admin']);
    expect(await app.http.eventCount('acme')).toBe(before);
  });

  it('set-price-staleness (admin) changes when the position calls a price stale, from when it is recorded', async () => {
    app.clock.set('2026-03-01T12:00:00Z');
    const setting = await app.http.command('acme', 'set-price-staleness', { maxAgeSeconds: 3600 });
    expect(setting.status).toBe(201);
    expect((await position('2025-07-01T00:59:59Z')).price).toMatchObject({ ageSeconds: 3600, maxAgeSeconds: 3600, stale: false });
    expect((await position('2025-07-01T01:00:00Z')).price).toMatchObject({ ageSeconds: 3601, stale: true });
    const before = await app.http.get('/v1/books/acme/position?asOf=2025-07-01T01:00:00Z&knownAt=2026-03-01T11:00:00Z');
    expect(before.body.price).toMatchObject({ maxAgeSeconds: 86_400, stale: false });
  });

  it('the OpenAPI document lists the new commands with their bodies and roles', async () => {
    const docs = (await app.http.as(undefined).get('/docs')).body;
    const body = (name: string) => docs.paths[`/v1/books/{bookId}/commands/${name}`]?.post;
    expect(Object.keys(body('pledge-cash-collateral').requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['effectiveAt', 'loanId', 'cashAccount', 'amountUsd']),
    );
    expect(Object.keys(body('release-cash-collateral').requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['amountUsd']),
    );
    expect(body('set-price-staleness').requestBody.content['application/json'].schema.properties.maxAgeSeconds).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 31_536_000,
    });
    expect([
      body('pledge-cash-collateral')['x-required-role'],
      body('release-cash-collateral')['x-required-role'],
      body('set-price-staleness')['x-required-role'],
    ]).toEqual(['treasurer', 'treasurer', 'admin']);
  });
});
