import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * The journal over HTTP on the June book of libs/projections/src/journal/journal.unit.spec.ts: 2 BTC
 * opening lot at 20,000.00, 100,000.00 opening cash, 1 BTC mined at 60,000.00, 0.5 BTC bought for
 * 40,000.00 + 100.00, 1.5 BTC paid for hosting at 100,000.00 (relieving 15,000.00), June closing at
 * 100,000.00 (a 94,900.00 remeasurement). Then set-account-mapping, JSON and CSV, knownAt and bad input.
 */
describe('GET /v1/books/{bookId}/journal and set-account-mapping', () => {
  let app: TestApp;
  const send = (recordedAt: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return app.http.command('acme', command, body);
  };
  const JUNE = 'from=2025-06-01&to=2025-06-30';
  let mappingId = '';

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set('2025-06-01T00:00:00Z');
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    const commands: Array<[string, string, Record<string, unknown>]> = [
      [
        '2025-06-01T01:00:00Z',
        'record-opening-balance',
        { wallet: 'cold', btc: '2', costBasisUsd: '20000.00', acquiredAt: '2021-03-01T00:00:00Z' },
      ],
      [
        '2025-06-01T02:00:00Z',
        'record-opening-cash',
        { effectiveAt: '2025-06-01T00:00:00Z', cashAccount: 'operating', amountUsd: '100000.00' },
      ],
      [
        '2025-06-10T00:00:00Z',
        'record-mining-output',
        { effectiveAt: '2025-06-10T00:00:00Z', wallet: 'pool', btc: '1', usdPerBtc: '60000.00', reference: 'pool-2025-06' },
      ],
      [
        '2025-06-15T00:00:00Z',
        'record-btc-purchase',
        { effectiveAt: '2025-06-15T00:00:00Z', wallet: 'hot', btc: '0.5', costUsd: '40000.00', feesUsd: '100.00' },
      ],
      [
        '2025-06-20T00:00:00Z',
        'record-btc-payment',
        { effectiveAt: '2025-06-20T00:00:00Z', wallet: 'cold', btc: '1.5', usdPerBtc: '100000.00', category: 'hosting', memo: '=cmd|calc' },
      ],
      ['2025-06-30T00:00:00Z', 'record-btc-price', { effectiveAt: '2025-06-30T00:00:00Z', usdPerBtc: '100000.00' }],
    ];
    for (const [at, command, body] of commands) expect([command, (await send(at, command, body)).status]).toEqual([command, 201]);
  });
  afterAll(() => app.dispose());

  it('answers the journal as JSON: balanced entries, the month-end remeasurement, periods and accounts', async () => {
    app.clock.set('2025-07-01T00:00:00Z');
    const journal = await app.http.get(`/v1/books/acme/journal?${JUNE}`);
    expect(journal.status).toBe(200);
    expect(journal.body).toMatchObject({
      bookId: 'acme',
      from: '2025-06-01T00:00:00.000Z',
      to: '2025-06-30T23:59:59.999Z',
      method: 'fifo',
      timeZone: 'UTC',
    });
    const types = journal.body.entries.map((e: { type: string }) => e.type);
    expect(types).toEqual([
      'OpeningBalanceRecorded',
      'OpeningCashRecorded',
      'MiningOutputReceived',
      'BtcPurchased',
      'BtcPaid',
      'Remeasurement',
    ]);
    expect(journal.body.entries[2]).toMatchObject({
      reference: 'pool-2025-06',
      lines: [
        { account: '1500', debitUsd: '60000.00', creditUsd: '0.00' },
        { account: '4000', debitUsd: '0.00', creditUsd: '60000.00' },
      ],
    });
    expect(journal.body.entries[4].lines).toEqual([
      { account: '6900', accountName: 'Other expenses', debitUsd: '150000.00', creditUsd: '0.00', memo: 'hosting' },
      { account: '1500', accountName: 'Digital assets (BTC)', debitUsd: '0.00', creditUsd: '15000.00', memo: null },
      { account: '4500', accountName: 'Realized gain (loss) on digital assets', debitUsd: '0.00', creditUsd: '135000.00', memo: null },
    ]);
    expect(journal.body.periods).toEqual([
      {
        period: '2025-06',
        from: '2025-06-01T00:00:00.000Z',
        to: '2025-06-30T23:59:59.999Z',
        entries: 6,
        debitUsd: '465000.00',
        creditUsd: '465000.00',
      },
    ]);
    expect(journal.body.totals).toEqual({ debitUsd: '465000.00', creditUsd: '465000.00' });
    expect(journal.body.accounts.find((a: { account: string }) => a.account === '1500')).toMatchObject({
      openingUsd: '0.00',
      closingUsd: '200000.00',
    });
  });

  it('answers CSV with format=csv or Accept: text/csv, one row per line, formula cells neutralised', async () => {
    const byParam = await app.http.get(`/v1/books/acme/journal?${JUNE}&format=csv`);
    const byAccept = await app.http.get(`/v1/books/acme/journal?${JUNE}`, { accept: 'text/csv' });
    expect([byParam.status, byParam.contentType]).toEqual([200, 'text/csv; charset=utf-8']);
    expect(byAccept.body).toBe(byParam.body);
    const rows = (byParam.body as string).trim().split('\r\n');
    expect(rows[0]).toBe('entryId,date,eventId,type,account,accountName,debit,credit,memo,reference,interim');
    expect(rows).toHaveLength(1 + 2 + 2 + 2 + 2 + 3 + 2);
    const payment = rows.filter((row) => row.includes(',BtcPaid,'));
    expect(payment[0]).toMatch(/,BtcPaid,6900,Other expenses,150000\.00,0\.00,hosting,,false$/);
    // The entry's memo "=cmd|calc" is text from the log: a spreadsheet must not run it.
    expect(payment[1]).toMatch(/,BtcPaid,1500,Digital assets \(BTC\),0\.00,15000\.00,'=cmd\|calc,,false$/);
  });

  it('set-account-mapping changes the accounts; a bad mapping is 400 naming the field and writes nothing', async () => {
    const before = (await app.http.allEvents('acme')).length;
    const bad = await send('2025-07-01T00:00:00Z', 'set-account-mapping', {
      accounts: { digitalAssets: { code: '=1+1' } },
      expenseAccounts: { hosting: { code: '6300', colour: 'red' } },
    });
    expect([bad.status, bad.body.errors.map((e: { path: string }) => e.path)]).toEqual([
      400,
      ['accounts.digitalAssets.code', 'expenseAccounts.hosting.colour'],
    ]);
    expect((await app.http.allEvents('acme')).length).toBe(before);

    const set = await send('2025-07-01T00:00:00Z', 'set-account-mapping', {
      accounts: { digitalAssets: { code: '1510', name: 'Bitcoin' } },
      cashAccounts: { operating: { code: '1010', name: 'Operating bank' } },
      expenseAccounts: { hosting: { code: '6300', name: 'Hosting' } },
      productionCostCategories: ['hosting'],
    });
    expect([set.status, set.body.events[0].type]).toEqual([201, 'AccountMappingSet']);
    mappingId = set.body.events[0].eventId;
    app.clock.set('2025-07-01T00:01:00Z');
    const journal = await app.http.get(`/v1/books/acme/journal?${JUNE}`);
    const paid = journal.body.entries.find((e: { type: string }) => e.type === 'BtcPaid');
    expect(paid.lines.map((l: { account: string }) => l.account)).toEqual(['6300', '1510', '4500']);
    expect(journal.body.entries.find((e: { type: string }) => e.type === 'OpeningCashRecorded').lines[0]).toMatchObject({
      account: '1010',
      accountName: 'Operating bank',
    });
  });

  it('knownAt: the journal as known before the mapping and before the price', async () => {
    const beforeMapping = await app.http.get(`/v1/books/acme/journal?${JUNE}&knownAt=2025-06-30T12:00:00Z`);
    expect(beforeMapping.body.entries.find((e: { type: string }) => e.type === 'BtcPaid').lines[0].account).toBe('6900');
    // Before June's price was recorded no price was known (a payment's usdPerBtc is not one): no remeasurement.
    const beforePrice = await app.http.get(`/v1/books/acme/journal?${JUNE}&knownAt=2025-06-29T00:00:00Z`);
    expect(beforePrice.body.entries.map((e: { type: string }) => e.type)).not.toContain('Remeasurement');
    expect(beforePrice.body.totals.debitUsd).toBe(beforePrice.body.totals.creditUsd);
    // A reversal of the mapping brings back the default chart.
    app.clock.set('2025-07-02T00:00:00Z');
    expect((await app.http.command('acme', 'reverse-event', { eventId: mappingId, reason: 'wrong chart' })).status).toBe(201);
    const after = await app.http.get(`/v1/books/acme/journal?${JUNE}`);
    expect(after.body.entries.find((e: { type: string }) => e.type === 'BtcPaid').lines[0].account).toBe('6900');
  });

  it('refuses bad parameters with 400 naming each one', async () => {
    const cases: Array<[string, string]> = [
      ['to=2025-06-30', 'query.from'],
      ['from=2025-06-01', 'query.to'],
      ['from=2025-06-31&to=2025-07-01', 'query.from'],
      ['from=2025-07-01&to=2025-06-01', 'query.to'],
      [`${JUNE}&method=lifo`, 'query.method'],
      [`${JUNE}&format=xlsx`, 'query.format'],
      [`${JUNE}&colour=red`, 'query.colour'],
      [`${JUNE}&knownAt=yesterday`, 'query.knownAt'],
    ];
    for (const [query, path] of cases) {
      const answer = await app.http.get(`/v1/books/acme/journal?${query}`);
      expect([query, answer.status, answer.body.errors?.map((e: { path: string }) => e.path)]).toEqual([query, 400, [path]]);
    }
    expect((await app.http.get(`/v1/books/nobody/journal?${JUNE}`)).status).toBe(404);
  });

  it('wallet-fifo gives the same balanced journal on this single-queue book', async () => {
    const journal = await app.http.get(`/v1/books/acme/journal?${JUNE}&method=wallet-fifo`);
    expect([journal.status, journal.body.method, journal.body.totals]).toEqual([
      200,
      'wallet-fifo',
      { debitUsd: '465000.00', creditUsd: '465000.00' },
    ]);
  });
});
