import { startTestApp, TestApp } from '@treasury/test-support';

/** Reconciliation by scope over HTTP: a custodian statement against its wallet, a lender statement against its loan, tolerances per source. */
describe('reconciliation by scope', () => {
  let app: TestApp;
  const send = (recordedAt: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return app.http.accepted('rs', command, body);
  };
  const statement = (body: Record<string, unknown>) => ({ effectiveAt: '2025-07-31T23:59:59Z', ...body });
  let lenderToleranceId: string;

  beforeAll(async () => {
    app = await startTestApp();
    await send('2025-06-01T00:00:00Z', 'open-book', { name: 'Scoped', effectiveAt: '2025-06-01T00:00:00Z' });
    await send('2025-06-10T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2025-06-10T00:00:00Z',
      wallet: 'cold',
      btc: '100',
      usdPerBtc: '100000',
    });
    await send('2025-06-11T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2025-06-11T00:00:00Z',
      wallet: 'hot',
      btc: '20',
      usdPerBtc: '100000',
    });
    await send('2025-07-01T00:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-01T00:00:00Z', usdPerBtc: '100000' });
    // A zero rate keeps the outstanding at the principal whatever accrues from terms.
    await send('2025-07-01T00:00:01Z', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'L1',
      lender: 'Bank',
      principalUsd: '1000000.00',
      annualRate: '0',
      marginCallLtv: '0.7',
      liquidationLtv: '0.85',
    });
    await send('2025-07-01T00:00:02Z', 'pledge-collateral', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'L1',
      wallet: 'cold',
      btc: '30',
    });
    await send('2025-08-02T00:00:00Z', 'record-reported-holdings', statement({ btc: '120', source: 'operational-update' }));
    await send(
      '2025-08-02T00:00:01Z',
      'record-reported-holdings',
      statement({ btc: '100.05', pledgedBtc: '30', source: 'custodian-statement', scope: { wallet: 'cold' } }),
    );
    await send(
      '2025-08-02T00:00:02Z',
      'record-reported-holdings',
      statement({ btc: '120', source: 'custodian-statement', scope: { wallet: 'hot' } }),
    );
    await send(
      '2025-08-02T00:00:03Z',
      'record-reported-holdings',
      statement({ btc: '30', outstandingUsd: '1000000.50', source: 'lender-statement', scope: { loanId: 'L1' } }),
    );
    app.clock.set('2026-03-01T12:00:00Z');
  });
  afterAll(() => app.dispose());

  const rows = async (query = '') => (await app.http.get(`/v1/books/rs/reconciliation${query}`)).body;

  it('compares each statement with the same scope of the ledger', async () => {
    const rec = await rows();
    expect(rec).toMatchObject({ toleranceBtc: '0.10000000', toleranceUsd: '1.00', flagged: 1 });
    const [company, cold, hot, loan] = rec.reports;
    expect(company).toMatchObject({
      scope: 'company',
      flagged: false,
      btc: { reported: '120.00000000', ledger: '120.00000000' },
      outstandingUsd: null,
    });
    // The cold wallet's statement is compared with the cold wallet (100 BTC, 30 of it pledged), not the company's 120.
    expect(cold).toMatchObject({
      scope: { wallet: 'cold' },
      flagged: false,
      btc: { reported: '100.05000000', ledger: '100.00000000', difference: '0.05000000', flagged: false },
      pledgedBtc: { ledger: '30.00000000', difference: '0.00000000' },
      minedBtc: null,
    });
    // A custodian claiming the company's 120 BTC for the hot wallet is 100 BTC off.
    expect(hot).toMatchObject({
      scope: { wallet: 'hot' },
      flagged: true,
      btc: { ledger: '20.00000000', difference: '100.00000000', flagged: true },
    });
    expect(loan).toMatchObject({
      scope: { loanId: 'L1' },
      flagged: false,
      btc: { reported: '30.00000000', ledger: '30.00000000', flagged: false },
      outstandingUsd: { reported: '1000000.50', ledger: '1000000.00', difference: '0.50', flagged: false },
      tolerance: { source: null, btc: '0.10000000', usd: '1.00', setBy: null },
    });
  });

  it('holds each source to its own tolerance and says which applied', async () => {
    const set = await send('2026-03-01T12:00:00Z', 'set-reconciliation-tolerance', { source: 'lender-statement', btc: '0', usd: '0.10' });
    lenderToleranceId = set.events[0].eventId;
    await send('2026-03-01T12:00:01Z', 'set-reconciliation-tolerance', { btc: '0.01' });
    const rec = await rows();
    const [company, cold, , loan] = rec.reports;
    expect(rec.toleranceBtc).toBe('0.01000000');
    expect(loan).toMatchObject({
      flagged: true,
      outstandingUsd: { difference: '0.50', flagged: true },
      tolerance: { source: 'lender-statement', btc: '0.00000000', usd: '0.10', setBy: lenderToleranceId },
    });
    // The book-wide setting applies to the other sources, and catches the cold wallet's 0.05.
    expect(cold).toMatchObject({ flagged: true, tolerance: { source: null, btc: '0.01000000', usd: '1.00' } });
    expect(company).toMatchObject({ flagged: false });
    // As known before the settings, the defaults applied.
    const before = await rows('?knownAt=2026-02-01T00:00:00Z');
    expect(before.reports[3]).toMatchObject({ flagged: false, tolerance: { source: null, setBy: null } });
  });

  it('refuses scopes and fields that do not fit, naming the field, and writes nothing', async () => {
    const count = await app.http.eventCount('rs');
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [statement({ btc: '1', source: 'custodian-statement', scope: 'galaxy' }), 400, 'scope'],
      [statement({ btc: '1', source: 'custodian-statement', scope: { wallet: 'not a wallet!' } }), 400, 'scope.wallet'],
      [statement({ btc: '1', source: 'custodian-statement', scope: { wallet: 'cold', extra: 1 } }), 400, 'scope.extra'],
      [statement({ btc: '1', source: 'operational-update', outstandingUsd: '5' }), 400, 'outstandingUsd'],
      [statement({ btc: '1', source: 'custodian-statement', scope: { wallet: 'cold' }, minedBtc: '1' }), 400, 'minedBtc'],
      [statement({ btc: '1', source: 'lender-statement', scope: { loanId: 'L1' }, pledgedBtc: '1' }), 400, 'pledgedBtc'],
      [statement({ btc: '1', source: 'lender-statement', scope: { loanId: 'L1' }, outstandingUsd: '1.001' }), 400, 'outstandingUsd'],
    ];
    for (const [body, status, path] of cases) {
      const answer = await app.http.command('rs', 'record-reported-holdings', body);
      expect([answer.status, answer.body.errors?.map((e: { path: string }) => e.path)]).toEqual([status, [path]]);
    }
    const unknownLoan = await app.http.command(
      'rs',
      'record-reported-holdings',
      statement({ btc: '1', source: 'lender-statement', scope: { loanId: 'L9' } }),
    );
    expect([unknownLoan.status, unknownLoan.body.rule]).toEqual([422, 'unknown-loan']);
    const badSource = await app.http.command('rs', 'set-reconciliation-tolerance', { btc: '0.1', source: 'rumour' });
    expect([badSource.status, badSource.body.errors[0].path]).toEqual([400, 'source']);
    const badUsd = await app.http.command('rs', 'set-reconciliation-tolerance', { btc: '0.1', usd: '-1' });
    expect([badUsd.status, badUsd.body.errors[0].path]).toEqual([400, 'usd']);
    expect(await app.http.eventCount('rs')).toBe(count);
  });

  it('documents the new fields in the OpenAPI document', async () => {
    const docs = (await app.http.get('/docs')).body;
    const body = (command: string) =>
      docs.paths[`/v1/books/{bookId}/commands/${command}`].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body('record-reported-holdings').properties)).toEqual(expect.arrayContaining(['scope', 'outstandingUsd']));
    expect(body('record-reported-holdings').properties.scope.oneOf).toHaveLength(3);
    expect(Object.keys(body('set-reconciliation-tolerance').properties)).toEqual(expect.arrayContaining(['source', 'usd', 'btc']));
    expect(body('open-book').properties.timeZone).toMatchObject({ type: 'string', example: 'Europe/Zurich' });
  });
});
