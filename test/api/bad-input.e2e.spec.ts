import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * Every kind of bad input gets its status and a problem document naming what failed, and writes
 * nothing: the book's event count is checked after each case.
 */
describe('command API: bad input writes nothing', () => {
  let app: TestApp;
  let saleEventId: string;
  let reversalEventId: string;
  let countBefore: number;

  const sale = { effectiveAt: '2026-01-15T00:00:00Z', wallet: 'cold', btc: '1', proceedsUsd: '95000.00' };

  beforeAll(async () => {
    app = await startTestApp();
    const { http } = app;
    const ok = async (command: string, body: unknown) => {
      const answer = await http.command('acme', command, body);
      if (answer.status !== 201) throw new Error(`${command}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    await ok('open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });
    await ok('record-mining-output', { effectiveAt: '2026-01-10T00:00:00Z', wallet: 'cold', btc: '10', usdPerBtc: '90000.00' });
    await ok('draw-loan', {
      effectiveAt: '2026-01-11T00:00:00Z',
      loanId: 'loan-a',
      lender: 'Two Prime',
      principalUsd: '100000.00',
      annualRate: '0.09',
      marginCallLtv: '0.7',
      liquidationLtv: '0.8',
    });
    await ok('pledge-collateral', { effectiveAt: '2026-01-12T00:00:00Z', loanId: 'loan-a', wallet: 'cold', btc: '4' });
    await ok('accrue-interest', { effectiveAt: '2026-01-31T00:00:00Z', loanId: 'loan-a', interestUsd: '500.00' });
    saleEventId = (await ok('record-btc-sale', sale)).events[0].eventId;
    reversalEventId = (
      await ok('reverse-event', {
        eventId: (await ok('record-btc-price', { effectiveAt: '2026-01-31T00:00:00Z', usdPerBtc: '1.00' })).events[0].eventId,
        reason: 'fat finger',
      })
    ).events[0].eventId;
  });
  afterAll(() => app.dispose());

  beforeEach(async () => {
    countBefore = await app.http.eventCount('acme');
  });
  afterEach(async () => {
    expect(await app.http.eventCount('acme')).toBe(countBefore);
  });

  const expectProblem = (answer: { status: number; contentType: string; body: Record<string, unknown> }, status: number) => {
    expect(answer.status).toBe(status);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  };
  const pathsOf = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((e) => e.path).sort();

  describe('400: the body, path or a header is malformed; errors name each field', () => {
    it.each([
      ['a JSON number as an amount', { ...sale, btc: 1 }, ['btc']],
      ['a negative amount', { ...sale, btc: '-1' }, ['btc']],
      ['a zero amount', { ...sale, proceedsUsd: '0' }, ['proceedsUsd']],
      ['more than 8 BTC decimals', { ...sale, btc: '0.000000001' }, ['btc']],
      ['more than 2 USD decimals', { ...sale, proceedsUsd: '1.001' }, ['proceedsUsd']],
      ['an exponent', { ...sale, btc: '1e2' }, ['btc']],
      ['an unknown field', { ...sale, btcc: '1' }, ['btcc']],
      ['a missing field', { effectiveAt: sale.effectiveAt, btc: '1', proceedsUsd: '1.00' }, ['wallet']],
      ['several faults at once', { effectiveAt: 'yesterday', btc: 1.5 }, ['btc', 'effectiveAt', 'proceedsUsd', 'wallet']],
      ['an instant without a time zone', { ...sale, effectiveAt: '2026-01-15T00:00:00' }, ['effectiveAt']],
      ['a date that does not exist', { ...sale, effectiveAt: '2026-02-30T00:00:00Z' }, ['effectiveAt']],
      ['an effectiveAt in the future', { ...sale, effectiveAt: '2026-03-02T00:00:00Z' }, ['effectiveAt']],
      ['a body that is not an object', ['not', 'an', 'object'], ['']],
      [
        'a duplicated key (JSON.parse would keep the last: 1 satoshi)',
        '{"effectiveAt":"2026-01-15T00:00:00Z","wallet":"cold","btc":"1000000","proceedsUsd":"95000.00","btc":"0.00000001"}',
        ['btc'],
      ],
      [
        'a key duplicated through an escape',
        '{"effectiveAt":"2026-01-15T00:00:00Z","wallet":"cold","btc":"1","proceedsUsd":"95000.00","\\u0077allet":"hot"}',
        ['wallet'],
      ],
    ])('%s', async (_case, body, paths) => {
      const answer = await app.http.command('acme', 'record-btc-sale', body);
      expectProblem(answer, 400);
      expect(pathsOf(answer.body)).toEqual(paths);
    });

    it('a ratio with more than 6 decimals and an unknown wallet name format', async () => {
      const answer = await app.http.command('acme', 'draw-loan', {
        effectiveAt: '2026-01-11T00:00:00Z',
        loanId: 'Loan B!',
        lender: 'X',
        principalUsd: '1.00',
        annualRate: '0.0000001',
        marginCallLtv: '0.7',
        liquidationLtv: '0.8',
      });
      expectProblem(answer, 400);
      expect(pathsOf(answer.body)).toEqual(['annualRate', 'loanId']);
    });

    it('malformed JSON', async () => {
      const answer = await app.http.command('acme', 'record-btc-sale', '{"wallet": ');
      expectProblem(answer, 400);
      expect(answer.body.detail).toMatch(/not valid JSON/);
    });

    it('a book id outside [a-z0-9-]{1,64}', async () => {
      const answer = await app.http.command('Acme_Corp', 'record-btc-sale', sale);
      expectProblem(answer, 400);
      expect(pathsOf(answer.body)).toEqual(['bookId']);
    });

    it('an If-Match that is not a revision', async () => {
      const answer = await app.http.command('acme', 'record-btc-sale', sale, { 'If-Match': 'latest' });
      expectProblem(answer, 400);
      expect(pathsOf(answer.body)).toEqual(['headers.if-match']);
    });

    it('an unknown query parameter on the events list', async () => {
      const answer = await app.http.get('/v1/books/acme/events?limt=5');
      expectProblem(answer, 400);
      expect(pathsOf(answer.body)).toEqual(['query.limt']);
    });
  });

  describe('404: nothing to apply the command to', () => {
    it('a book that was never opened', async () => {
      const answer = await app.http.command('ghost', 'record-btc-sale', sale);
      expectProblem(answer, 404);
      expect(answer.body.type).toMatch(/book-not-found/);
      expect(await app.http.eventCount('ghost')).toBe(0);
    });

    it('an unknown command', async () => {
      const answer = await app.http.command('acme', 'sell-everything', sale);
      expectProblem(answer, 404);
      expect(answer.body.type).toMatch(/unknown-command/);
    });

    it('the events of a book that was never opened', async () => {
      expectProblem(await app.http.get('/v1/books/ghost/events'), 404);
    });
  });

  it('409: opening a book twice', async () => {
    expectProblem(await app.http.command('acme', 'open-book', { name: 'Acme again' }), 409);
  });

  it('412: If-Match names a revision the book has moved past', async () => {
    const answer = await app.http.command('acme', 'record-btc-sale', sale, { 'If-Match': '"2"' });
    expectProblem(answer, 412);
    expect(answer.body.currentRevision).toBe(countBefore - 1);
  });

  describe('422: a book rule refuses the command', () => {
    // 10 mined, 4 pledged, 1 sold: 5 unencumbered in cold. Loan: 100,000.00 principal, 500.00 interest.
    it.each([
      ['selling more than the unencumbered BTC', 'record-btc-sale', { ...sale, btc: '5.00000001' }, 'insufficient-unencumbered-btc'],
      ['selling from an empty wallet', 'record-btc-sale', { ...sale, wallet: 'hot' }, 'insufficient-unencumbered-btc'],
      [
        'a back-dated sale before the BTC was mined',
        'record-btc-sale',
        { ...sale, effectiveAt: '2026-01-09T00:00:00Z' },
        'insufficient-unencumbered-btc',
      ],
      [
        'transferring more than the wallet holds',
        'transfer-btc',
        { effectiveAt: '2026-02-01T00:00:00Z', fromWallet: 'cold', toWallet: 'hot', btc: '5', feeBtc: '0.0001' },
        'insufficient-unencumbered-btc',
      ],
      [
        'pledging more than the unencumbered BTC',
        'pledge-collateral',
        { effectiveAt: '2026-02-01T00:00:00Z', loanId: 'loan-a', wallet: 'cold', btc: '5.00000001' },
        'insufficient-unencumbered-btc',
      ],
      [
        'releasing more than is pledged',
        'release-collateral',
        { effectiveAt: '2026-02-01T00:00:00Z', loanId: 'loan-a', wallet: 'cold', btc: '4.00000001' },
        'insufficient-pledged-collateral',
      ],
      [
        'liquidating more than is pledged',
        'liquidate-collateral',
        { effectiveAt: '2026-02-01T00:00:00Z', loanId: 'loan-a', wallet: 'cold', btc: '4.1', proceedsUsd: '1000.00' },
        'insufficient-pledged-collateral',
      ],
      [
        'repaying more principal than is outstanding',
        'repay-loan',
        { effectiveAt: '2026-02-01T00:00:00Z', loanId: 'loan-a', principalUsd: '100000.01' },
        'exceeds-outstanding-principal',
      ],
      // Owed on Feb 1: 100,000.00 × 9% × 21/365 = 517.81 accrued from the terms + 500.00 charged.
      [
        'repaying more interest than has accrued',
        'repay-loan',
        { effectiveAt: '2026-02-01T00:00:00Z', loanId: 'loan-a', principalUsd: '0', interestUsd: '1017.82' },
        'exceeds-accrued-interest',
      ],
      [
        'spending more cash than the account holds',
        'record-cash-movement',
        { effectiveAt: '2026-02-01T00:00:00Z', cashAccount: 'operating', amountUsd: '-195000.01', category: 'capex' },
        'insufficient-cash',
      ],
      [
        'a loan id used twice',
        'draw-loan',
        {
          effectiveAt: '2026-02-01T00:00:00Z',
          loanId: 'loan-a',
          lender: 'X',
          principalUsd: '1.00',
          annualRate: '0.1',
          marginCallLtv: '0.7',
          liquidationLtv: '0.8',
        },
        'duplicate-loan-id',
      ],
      [
        'a command on an unknown loan',
        'accrue-interest',
        { effectiveAt: '2026-02-01T00:00:00Z', loanId: 'loan-z', interestUsd: '1.00' },
        'unknown-loan',
      ],
      ['reversing an unknown event', 'reverse-event', { eventId: '00000000-0000-4000-8000-000000000000', reason: 'typo' }, 'unknown-event'],
    ])('%s', async (_case, command, body, rule) => {
      const answer = await app.http.command('acme', command, body);
      expectProblem(answer, 422);
      expect(answer.body.rule).toBe(rule);
    });

    it('reversing a reversal', async () => {
      const answer = await app.http.command('acme', 'reverse-event', { eventId: reversalEventId, reason: 'undo the undo' });
      expectProblem(answer, 422);
    });

    it('a reversal that would leave a balance negative at some effective time', async () => {
      // The sale of 1 BTC proceeds credited 95,000.00; spend them, then reversing the sale would overdraw cash.
      const spend = await app.http.command('acme', 'record-cash-movement', {
        effectiveAt: '2026-01-20T00:00:00Z',
        cashAccount: 'operating',
        amountUsd: '-195000.00',
        category: 'capex',
      });
      expect(spend.status).toBe(201);
      countBefore += 1;
      const answer = await app.http.command('acme', 'reverse-event', { eventId: saleEventId, reason: 'wrong wallet' });
      expectProblem(answer, 422);
      expect(answer.body.rule).toBe('insufficient-cash');
    });

    it('an Idempotency-Key reused with a different body', async () => {
      const first = await app.http.command(
        'acme',
        'record-btc-price',
        { effectiveAt: '2026-02-01T00:00:00Z', usdPerBtc: '80000.00' },
        { 'Idempotency-Key': 'price-feb' },
      );
      expect(first.status).toBe(201);
      countBefore += 1;
      const answer = await app.http.command(
        'acme',
        'record-btc-price',
        { effectiveAt: '2026-02-01T00:00:00Z', usdPerBtc: '81000.00' },
        { 'Idempotency-Key': 'price-feb' },
      );
      expectProblem(answer, 422);
      expect(answer.body.type).toMatch(/idempotency-key-reused/);
    });
  });
});
