import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * The book's calendar over HTTP: a Europe/Zurich book's month ends, days and date-only instants, its
 * opening as a boundary, and what the ledger knew before its first event.
 */
describe('the book calendar over HTTP', () => {
  let app: TestApp;
  const send = (recordedAt: string, bookId: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return app.http.accepted(bookId, command, body);
  };
  const mine = (effectiveAt: string, btc: string) => ({ effectiveAt, wallet: 'cold', btc, usdPerBtc: '100000' });

  beforeAll(async () => {
    app = await startTestApp();
    // Midnight on 1 October in Zurich (CEST, UTC+2) is 22:00Z on 30 September.
    await send('2025-10-01T08:00:00Z', 'zh', 'open-book', {
      name: 'Zurich Mining AG',
      effectiveAt: '2025-09-30T22:00:00Z',
      timeZone: 'Europe/Zurich',
    });
    await send('2025-10-02T08:00:00Z', 'zh', 'record-mining-output', mine('2025-10-01T10:00:00Z', '10'));
    // 23:59:59.999 on 31 October in Zurich (CET, UTC+1 since 26 October): still October there.
    await send('2025-11-01T08:00:00Z', 'zh', 'record-mining-output', mine('2025-10-31T22:59:59.999Z', '1'));
    // 00:00 on 1 November in Zurich: November there, though still 31 October in UTC.
    await send('2025-11-01T08:00:01Z', 'zh', 'record-mining-output', mine('2025-10-31T23:00:00Z', '2'));
    await send('2025-11-01T08:00:02Z', 'utc', 'open-book', { name: 'Plain UTC', effectiveAt: '2025-10-01T00:00:00Z' });
    await send('2025-11-01T08:00:03Z', 'utc', 'record-mining-output', mine('2025-10-31T23:00:00Z', '2'));
    app.clock.set('2026-03-01T12:00:00Z');
  });
  afterAll(() => app.dispose());

  it('opens a book in a time zone, stored canonically; a book opened without one is UTC', async () => {
    const events = await app.http.allEvents('zh');
    expect(events[0]).toMatchObject({ type: 'BookOpened', data: expect.objectContaining({ timeZone: 'Europe/Zurich' }) });
    const utc = await app.http.allEvents('utc');
    expect(utc[0]!.data).not.toHaveProperty('timeZone');
    const bad = await app.http.command('bad', 'open-book', { name: 'Mars', timeZone: 'Mars/Olympus' });
    expect([bad.status, bad.body.errors.map((e: { path: string }) => e.path)]).toEqual([400, ['timeZone']]);
    expect(await app.http.eventCount('bad')).toBe(0);
  });

  it('reports Zurich month ends across the October DST change, and starts at the month the book opened', async () => {
    const report = await app.http.get('/v1/books/zh/reports/month-end?from=2025-08&to=2025-11');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ timeZone: 'Europe/Zurich', bookOpenedAt: '2025-09-30T22:00:00.000Z', firstMonth: '2025-10' });
    expect(report.body.months.map((m: Record<string, string>) => [m.month, m.asOf, m.openingBtc, m.minedBtc, m.closingBtc])).toEqual([
      ['2025-10', '2025-10-31T22:59:59.999Z', '0.00000000', '11.00000000', '11.00000000'],
      ['2025-11', '2025-11-30T22:59:59.999Z', '11.00000000', '2.00000000', '13.00000000'],
    ]);
    const utc = await app.http.get('/v1/books/utc/reports/month-end?from=2025-10&to=2025-10');
    expect(utc.body).toMatchObject({
      timeZone: 'UTC',
      months: [{ month: '2025-10', asOf: '2025-10-31T23:59:59.999Z', minedBtc: '2.00000000' }],
    });
    const before = await app.http.get('/v1/books/zh/reports/month-end?from=2025-01&to=2025-09');
    expect([before.status, before.body.rule, before.body.bookOpenedAt]).toEqual([422, 'before-book-opened', '2025-09-30T22:00:00.000Z']);
  });

  it('reads a date-only asOf as the end of that day in the book zone, events at 23:59:59.999 local included', async () => {
    const zh = await app.http.get('/v1/books/zh/position?asOf=2025-10-31');
    expect([zh.status, zh.body.asOf, zh.body.holdings.btc]).toEqual([200, '2025-10-31T22:59:59.999Z', '11.00000000']);
    const utc = await app.http.get('/v1/books/utc/position?asOf=2025-10-31');
    expect([utc.body.asOf, utc.body.holdings.btc]).toEqual(['2025-10-31T23:59:59.999Z', '2.00000000']);
    const lots = await app.http.get('/v1/books/zh/lots?asOf=2025-10-31&knownAt=2025-11-01');
    expect([lots.status, lots.body.asOf, lots.body.knownAt, lots.body.lots.length]).toEqual([
      200,
      '2025-10-31T22:59:59.999Z',
      '2025-11-01T22:59:59.999Z',
      2,
    ]);
    const explain = await app.http.get('/v1/books/zh/position/explain?figure=holdings.btc&asOf=2025-10-01');
    expect([explain.status, explain.body.asOf]).toEqual([200, '2025-10-01T21:59:59.999Z']);
    for (const bad of ['2025-02-29', '2025-13-01', '2008-12-31', '2025-10-31T00:00']) {
      const answer = await app.http.get(`/v1/books/zh/position?asOf=${bad}`);
      expect([bad, answer.status, answer.body.errors[0].path]).toEqual([bad, 400, 'query.asOf']);
    }
  });

  it('steps a daily series by Zurich days (25 hours across the change) and takes date-only bounds', async () => {
    const series = await app.http.get('/v1/books/zh/position/series?from=2025-10-25&to=2025-10-27&every=1d');
    expect(series.status).toBe(200);
    expect(series.body.points.map((p: { asOf: string }) => p.asOf)).toEqual([
      '2025-10-25T21:59:59.999Z',
      '2025-10-26T22:59:59.999Z',
      '2025-10-27T22:59:59.999Z',
    ]);
    const monthly = await app.http.get('/v1/books/zh/position/series?from=2025-10-31&to=2025-11-30&every=1mo');
    expect(monthly.body.points.map((p: { asOf: string; btc: string }) => [p.asOf, p.btc])).toEqual([
      ['2025-10-31T22:59:59.999Z', '11.00000000'],
      ['2025-11-30T22:59:59.999Z', '13.00000000'],
    ]);
    const backwards = await app.http.get('/v1/books/zh/position/series?from=2025-10-27&to=2025-10-25&every=1d');
    expect([backwards.status, backwards.body.errors[0].path]).toEqual([400, 'query.to']);
  });

  it('refuses an event effective before the book opened, writing nothing', async () => {
    const count = await app.http.eventCount('zh');
    const early = await app.http.command('zh', 'record-mining-output', mine('2024-06-30T00:00:00Z', '5'));
    expect([early.status, early.body.rule]).toEqual([422, 'before-book-opened']);
    // One millisecond before local midnight on 1 October is 30 September in Zurich.
    const justBefore = await app.http.command('zh', 'record-btc-price', { effectiveAt: '2025-09-30T21:59:59.999Z', usdPerBtc: '100000' });
    expect([justBefore.status, justBefore.body.rule]).toEqual([422, 'before-book-opened']);
    expect(await app.http.eventCount('zh')).toBe(count);
  });

  it('answers 422 nothing-known-yet for a knownAt before the first recorded event, on every book query', async () => {
    const paths = [
      '/v1/books/zh/position?knownAt=2025-10-01T07:59:59Z',
      '/v1/books/zh/lots?knownAt=2025-10-01T07:59:59Z',
      '/v1/books/zh/disposals?knownAt=2025-10-01T07:59:59Z',
      '/v1/books/zh/position/series?from=2025-10-01&to=2025-10-02&every=1d&knownAt=2025-10-01T07:59:59Z',
      '/v1/books/zh/position/explain?figure=holdings.btc&knownAt=2025-10-01T07:59:59Z',
      '/v1/books/zh/reports/month-end?from=2025-10&to=2025-10&knownAt=2025-10-01T07:59:59Z',
      '/v1/books/zh/reconciliation?knownAt=2025-10-01T07:59:59Z',
      // The end of 30 September in Zurich is 21:59:59.999Z: before the opening was recorded.
      '/v1/books/zh/position?knownAt=2025-09-30',
    ];
    for (const path of paths) {
      const answer = await app.http.get(path);
      expect([path, answer.status, answer.body.rule, answer.body.firstRecordedAt]).toEqual([
        path,
        422,
        'nothing-known-yet',
        '2025-10-01T08:00:00.000Z',
      ]);
    }
    const atFirst = await app.http.get('/v1/books/zh/position?knownAt=2025-10-01T08:00:00Z');
    expect([atFirst.status, atFirst.body.revision]).toEqual([200, 0]);
  });

  it('gives a report dated at Zurich midnight the month that ends there', async () => {
    await send('2026-03-01T12:00:00Z', 'zh', 'record-reported-holdings', {
      effectiveAt: '2025-10-31T23:00:00Z',
      btc: '13',
      minedBtc: '13',
      source: 'operational-update',
    });
    const rec = await app.http.get('/v1/books/zh/reconciliation');
    expect(rec.body.reports[0]).toMatchObject({
      asOf: '2025-10-31T23:00:00.000Z',
      periodStart: '2025-09-30T22:00:00.000Z',
      minedBtc: { ledger: '13.00000000', flagged: false },
    });
  });
});
