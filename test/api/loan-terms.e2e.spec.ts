import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * Loans accruing from their terms over HTTP: draw-loan's dayCount, reprice-loan, a refused repayment,
 * the projected liquidation waterfall, explain of the accrued interest, and the README's loan after
 * six months.
 */
describe('loan terms over HTTP', () => {
  let app: TestApp;
  const send = (recordedAt: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return app.http.accepted('acme', command, body);
  };
  /** A loan's figures as known now (the clock moved past every recording). */
  const loan = async (loanId: string, asOf: string) => {
    app.clock.set('2026-03-01T00:00:00Z');
    const answer = await app.http.get(`/v1/books/acme/position?asOf=${asOf}`);
    expect(answer.status).toBe(200);
    return answer.body.loans[loanId];
  };

  beforeAll(async () => {
    app = await startTestApp();
    await send('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    await send('2025-07-01T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2025-06-30T23:59:59Z',
      wallet: 'cold',
      btc: '716.5',
      usdPerBtc: '107135.33',
    });
    await send('2025-07-01T00:00:00Z', 'record-btc-price', { effectiveAt: '2025-06-30T23:59:59Z', usdPerBtc: '107135.33' });
    // The README's loan: no dayCount given, so act/365.
    await send('2025-07-01T00:00:00Z', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'coinbase-2025',
      lender: 'Coinbase Credit',
      principalUsd: '50000000.00',
      annualRate: '0.085',
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
  });
  afterAll(() => app.dispose());

  it("the README's $50M at 8.5% owes about $52.14M after six months", async () => {
    // 50,000,000.00 × 0.085 × 184/365 = 2,142,465.7534… (1 July 2025 to 1 January 2026: 184 days).
    expect(await loan('coinbase-2025', '2026-01-01T00:00:00Z')).toMatchObject({
      principalUsd: '50000000.00',
      accruedInterestUsd: '2142465.75',
      outstandingUsd: '52142465.75',
      annualRate: '0.085000',
    });
    const events = await app.http.get('/v1/books/acme/events?loanId=coinbase-2025');
    expect(events.body.events[0]).toMatchObject({ type: 'LoanDrawn', data: { dayCount: 'act/365' } });
  });

  it('draw-loan takes a dayCount and refuses an unknown one', async () => {
    await send('2025-07-01T00:00:00Z', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'thirty',
      lender: 'Bank',
      principalUsd: '1000000.00',
      annualRate: '0.12',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
      dayCount: '30/360',
    });
    // 1 July to 1 October: 90 days in 30/360; 1,000,000 × 0.12 × 90/360 = 30,000.00.
    expect((await loan('thirty', '2025-10-01T00:00:00Z')).accruedInterestUsd).toBe('30000.00');
    app.clock.set('2025-07-02T00:00:00Z');
    const refused = await app.http.command('acme', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'bad',
      lender: 'Bank',
      principalUsd: '1.00',
      annualRate: '0.1',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
      dayCount: 'act/366',
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('dayCount');
  });

  it('reprice-loan changes the rate from its effective date', async () => {
    await send('2025-07-01T00:00:00Z', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'floating',
      lender: 'Bank',
      principalUsd: '1000000.00',
      annualRate: '0.06',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
      dayCount: 'act/360',
    });
    await send('2025-08-15T00:00:00Z', 'reprice-loan', { effectiveAt: '2025-07-31T00:00:00Z', loanId: 'floating', annualRate: '0.09' });
    // 30 days at 6% then 30 days at 9% (act/360): 5,000.00 + 7,500.00.
    expect(await loan('floating', '2025-08-30T00:00:00Z')).toMatchObject({ accruedInterestUsd: '12500.00', annualRate: '0.090000' });
    const known = await app.http.get('/v1/books/acme/position?asOf=2025-08-30T00:00:00Z&knownAt=2025-08-01T00:00:00Z');
    expect(known.body.loans.floating).toMatchObject({ accruedInterestUsd: '10000.00', annualRate: '0.060000' });
  });

  it('refuses a repayment beyond what is owed then (422), and a second identical interest payment', async () => {
    await send('2025-07-01T00:00:00Z', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'daily',
      lender: 'Bank',
      principalUsd: '1000000.00',
      annualRate: '0.0365',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
    });
    app.clock.set('2025-07-11T00:00:00Z');
    // 100.00 a day for ten days: 1,000.00 owed on 11 July.
    const tooMuch = await app.http.command('acme', 'repay-loan', {
      effectiveAt: '2025-07-11T00:00:00Z',
      loanId: 'daily',
      principalUsd: '0',
      interestUsd: '1000.01',
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ rule: 'exceeds-accrued-interest' });
    await send('2025-07-11T00:00:00Z', 'repay-loan', {
      effectiveAt: '2025-07-11T00:00:00Z',
      loanId: 'daily',
      principalUsd: '0',
      interestUsd: '1000.00',
    });
    const again = await app.http.command('acme', 'repay-loan', {
      effectiveAt: '2025-07-11T00:00:00Z',
      loanId: 'daily',
      principalUsd: '0',
      interestUsd: '1000.00',
    });
    expect(again.status).toBe(422);
    const principal = await app.http.command('acme', 'repay-loan', {
      effectiveAt: '2025-07-11T00:00:00Z',
      loanId: 'daily',
      principalUsd: '1000000.01',
    });
    expect(principal.status).toBe(422);
    expect(principal.body).toMatchObject({ rule: 'exceeds-outstanding-principal' });
    expect((await loan('daily', '2025-07-11T00:00:00Z')).accruedInterestUsd).toBe('0.00');
  });

  it('splits a liquidation at read time, and explains the accrued interest', async () => {
    await send('2025-07-01T00:00:00Z', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'small',
      lender: 'Bank',
      principalUsd: '100000.00',
      annualRate: '0.036',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
      dayCount: 'act/360',
    });
    await send('2025-07-01T00:00:00Z', 'pledge-collateral', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'small',
      wallet: 'cold',
      btc: '2',
    });
    await send('2025-07-11T00:00:00Z', 'liquidate-collateral', {
      effectiveAt: '2025-07-11T00:00:00Z',
      loanId: 'small',
      wallet: 'cold',
      btc: '1',
      proceedsUsd: '150000.00',
      cashAccount: 'liquidations',
    });
    const cash = async () => {
      app.clock.set('2026-03-01T00:00:00Z');
      return (await app.http.get('/v1/books/acme/position?asOf=2025-07-20T00:00:00Z')).body.cash.accounts.liquidations;
    };
    // 10.00 a day for 10 days: 100.00 interest, 100,000.00 principal, 49,900.00 to cash.
    expect(await cash()).toBe('49900.00');
    await send('2025-07-15T00:00:00Z', 'accrue-interest', { effectiveAt: '2025-07-05T00:00:00Z', loanId: 'small', interestUsd: '500.00' });
    expect(await cash()).toBe('49400.00');

    app.clock.set('2026-03-01T00:00:00Z');
    const explained = await app.http.get(
      '/v1/books/acme/position/explain?figure=loans.coinbase-2025.accruedInterestUsd&asOf=2026-01-01T00:00:00Z',
    );
    expect(explained.status).toBe(200);
    expect(explained.body).toMatchObject({ kind: 'sum', value: '2142465.75' });
    expect(explained.body.contributions).toEqual([
      expect.objectContaining({
        type: 'LoanDrawn',
        amount: '2142465.75',
        formula: expect.stringContaining('act/365'),
        detail: { accruedFromTermsUsd: '2142465.75' },
      }),
    ]);
  });
});
