import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * Migration mode over HTTP: a book opened "migrating" is loaded with the old system's dates (knownAt
 * as a query parameter, and per batch item), answers knownAt queries as that system knew, flags every
 * migrated event for the auditor, keeps an intact hash chain; bad, decreasing, future and post-go-live
 * knownAt are refused with 400 naming where it was, and write nothing.
 */
describe('migration mode', () => {
  let app: TestApp;
  const B = '/v1/books/mig';
  const migrate = (command: string, body: unknown, knownAt: string, headers: Record<string, string> = {}) =>
    app.http.post(`${B}/commands/${command}?knownAt=${encodeURIComponent(knownAt)}`, body, headers);
  const paths = (answer: { body: { errors?: Array<{ path: string }> } }) => (answer.body.errors ?? []).map((e) => e.path);
  const mine = (effectiveAt: string, btc: string) => ({ effectiveAt, wallet: 'cold', btc, usdPerBtc: '40000.00' });
  const sale = (effectiveAt: string, btc: string) => ({ effectiveAt, wallet: 'cold', btc, proceedsUsd: '100000.00' });
  const holdings = async (knownAt: string) => {
    const answer = await app.http.get(`${B}/position?asOf=2024-12-31T00:00:00Z&knownAt=${knownAt}`);
    return answer.status === 200 ? answer.body.holdings.btc : `${answer.status} ${answer.body.rule}`;
  };

  beforeAll(async () => {
    // The server clock: 2026-03-01T12:00:00Z, long after the history being loaded.
    app = await startTestApp();
  });
  afterAll(() => app.dispose());

  it('loads history at the dates it was known: open-book, a payout, then a batch with its own knownAt per item', async () => {
    const opened = await migrate(
      'open-book',
      { name: 'Migrated Mining', effectiveAt: '2024-01-01T00:00:00Z', mode: 'migrating' },
      '2024-01-02T09:00:00Z',
    );
    expect([opened.status, opened.body.events[0].recordedAt]).toEqual([201, '2024-01-02T09:00:00.000Z']);
    const payout = await migrate('record-mining-output', mine('2024-01-31T00:00:00Z', '10'), '2024-02-01T10:00:00Z');
    expect([payout.status, payout.body.events[0].recordedAt]).toEqual([201, '2024-02-01T10:00:00.000Z']);
    const batch = await app.http.post(`${B}/commands`, [
      { command: 'record-btc-sale', body: sale('2024-03-15T00:00:00Z', '2'), knownAt: '2024-03-16T08:00:00Z' },
      {
        command: 'record-btc-price',
        body: { effectiveAt: '2024-03-31T00:00:00Z', usdPerBtc: '70000.00' },
        knownAt: '2024-04-01T08:00:00Z',
      },
    ]);
    expect(batch.status).toBe(201);
    expect(batch.body.items.map((item: { events: Array<{ recordedAt: string }> }) => item.events[0]!.recordedAt)).toEqual([
      '2024-03-16T08:00:00.000Z',
      '2024-04-01T08:00:00.000Z',
    ]);
  });

  it('answers knownAt queries as the old system knew', async () => {
    expect(await holdings('2024-01-02T08:59:59Z')).toBe('422 nothing-known-yet');
    expect(await holdings('2024-01-15T00:00:00Z')).toBe('0.00000000');
    expect(await holdings('2024-02-01T10:00:00Z')).toBe('10.00000000');
    expect(await holdings('2024-03-16T07:59:59Z')).toBe('10.00000000');
    expect(await holdings('2024-03-16T08:00:00Z')).toBe('8.00000000');
  });

  it('refuses a bad, decreasing, future or misplaced knownAt, and a future-dated event, writing nothing', async () => {
    const before = await app.http.eventCount('mig');
    const decreasing = await migrate('record-mining-output', mine('2024-02-29T00:00:00Z', '1'), '2024-03-01T00:00:00Z');
    expect([decreasing.status, paths(decreasing), decreasing.body.errors[0].message]).toEqual([
      400,
      ['query.knownAt'],
      expect.stringContaining("before the book's last recordedAt (2024-04-01T08:00:00.000Z)"),
    ]);
    const future = await migrate('record-mining-output', mine('2024-04-30T00:00:00Z', '1'), '2026-03-01T12:00:01Z');
    expect([future.status, paths(future), future.body.errors[0].message]).toEqual([
      400,
      ['query.knownAt'],
      expect.stringContaining('after the server clock'),
    ]);
    const notInstant = await migrate('record-mining-output', mine('2024-04-30T00:00:00Z', '1'), 'last March');
    expect([notInstant.status, paths(notInstant)]).toEqual([400, ['query.knownAt']]);
    const typo = await app.http.post(`${B}/commands/record-mining-output?knownat=2024-05-01T00:00:00Z`, mine('2024-04-30T00:00:00Z', '1'));
    expect([typo.status, paths(typo)]).toEqual([400, ['query.knownat']]);
    const inBody = await app.http.command('mig', 'record-mining-output', {
      ...mine('2024-04-30T00:00:00Z', '1'),
      knownAt: '2024-05-01T00:00:00Z',
    });
    expect([inBody.status, paths(inBody), inBody.body.errors[0].message]).toEqual([
      400,
      ['knownAt'],
      expect.stringContaining('query parameter'),
    ]);
    // Effective a day after it was known: future-dated then, as it would have been refused live.
    const aheadOfKnown = await migrate('record-mining-output', mine('2024-05-02T00:00:00Z', '1'), '2024-05-01T00:00:00Z');
    expect([aheadOfKnown.status, paths(aheadOfKnown)]).toEqual([400, ['effectiveAt']]);
    // A batch: the second item goes back in time; the first (valid) is not written either.
    const batch = await app.http.post(`${B}/commands`, [
      { command: 'record-mining-output', body: mine('2024-04-30T00:00:00Z', '1'), knownAt: '2024-05-01T00:00:00Z' },
      { command: 'record-mining-output', body: mine('2024-04-30T00:00:00Z', '1'), knownAt: '2024-04-30T00:00:00Z' },
    ]);
    expect([batch.status, batch.body.index, paths(batch)]).toEqual([400, 1, ['[1].knownAt']]);
    const badItem = await app.http.post(`${B}/commands`, [
      { command: 'record-btc-price', body: { effectiveAt: '2024-04-30T00:00:00Z', usdPerBtc: '1.00' }, knownAt: 20240501 },
    ]);
    expect([badItem.status, paths(badItem)]).toEqual([400, ['[0].knownAt']]);
    expect(await app.http.eventCount('mig')).toBe(before);
  });

  it('refuses knownAt to a bookkeeper (migrated commands skip four eyes) and on a book opened live', async () => {
    const bookkeeper = app.http.as(
      (await app.http.post('/v1/admin/api-keys', { name: 'clerk', role: 'bookkeeper', books: ['mig', 'live'] })).body.key,
    );
    const before = await app.http.eventCount('mig');
    const forbidden = await bookkeeper.post(`${B}/commands/record-btc-price?knownAt=2024-05-01T00:00:00Z`, {
      effectiveAt: '2024-04-30T00:00:00Z',
      usdPerBtc: '1.00',
    });
    expect([forbidden.status, forbidden.body.requiredRole]).toEqual([403, 'treasurer']);
    const forbiddenItem = await bookkeeper.post(`${B}/commands`, [
      { command: 'record-btc-price', body: { effectiveAt: '2024-04-30T00:00:00Z', usdPerBtc: '1.00' }, knownAt: '2024-05-01T00:00:00Z' },
    ]);
    expect([forbiddenItem.status, forbiddenItem.body.index]).toEqual([403, 0]);
    expect(await app.http.eventCount('mig')).toBe(before);

    await app.http.accepted('live', 'open-book', { name: 'Live', effectiveAt: '2026-01-01T00:00:00Z' });
    const onLive = await app.http.post('/v1/books/live/commands/record-btc-price?knownAt=2026-02-01T00:00:00Z', {
      effectiveAt: '2026-01-31T00:00:00Z',
      usdPerBtc: '1.00',
    });
    expect([onLive.status, paths(onLive), onLive.body.errors[0].message]).toEqual([
      400,
      ['query.knownAt'],
      expect.stringContaining('migration mode'),
    ]);
    const openLiveWithKnownAt = await app.http.post('/v1/books/other/commands/open-book?knownAt=2024-01-01T00:00:00Z', { name: 'Other' });
    expect([openLiveWithKnownAt.status, paths(openLiveWithKnownAt)]).toEqual([400, ['query.knownAt']]);
    const goLive = await app.http.command('live', 'go-live', {});
    expect([goLive.status, goLive.body.rule]).toEqual([422, 'book-not-migrating']);
    expect(await app.http.eventCount('live')).toBe(1);
  });

  it('four eyes start at go-live: a migrating book refuses an approval policy (with or without knownAt), writing nothing; an Idempotency-Key covers knownAt too', async () => {
    const before = await app.http.eventCount('mig');
    const policy = await migrate('set-approval-policy', { reversals: true, salesAboveBtc: '1' }, '2024-05-01T00:00:00Z');
    expect([policy.status, policy.body.rule]).toEqual([422, 'book-migrating']);
    const livePolicy = await app.http.command('mig', 'set-approval-policy', { reversals: true, salesAboveBtc: '1' });
    expect([livePolicy.status, livePolicy.body.rule]).toEqual([422, 'book-migrating']);
    expect(await app.http.eventCount('mig')).toBe(before);
    const migrated = await migrate('record-btc-sale', sale('2024-05-10T00:00:00Z', '3'), '2024-05-10T12:00:00Z', {
      'idempotency-key': 'may-sale',
    });
    expect([migrated.status, migrated.body.events.map((e: { type: string }) => e.type)]).toEqual([201, ['BtcSold']]);
    const replay = await migrate('record-btc-sale', sale('2024-05-10T00:00:00Z', '3'), '2024-05-10T12:00:00Z', {
      'idempotency-key': 'may-sale',
    });
    expect([replay.status, replay.body.replayed]).toEqual([201, true]);
    const otherDate = await migrate('record-btc-sale', sale('2024-05-10T00:00:00Z', '3'), '2024-05-11T12:00:00Z', {
      'idempotency-key': 'may-sale',
    });
    expect([otherDate.status, otherDate.body.type]).toEqual([422, expect.stringContaining('idempotency-key-reused')]);
    expect(await holdings('2024-05-10T12:00:00Z')).toBe('5.00000000');
  });

  it('shows the auditor which events were migrated, and the hash chain holds', async () => {
    const events = await app.http.allEvents('mig');
    expect(events.map((e) => [e.type, e.recordedAt, (e.metadata as { migrated?: boolean }).migrated])).toEqual([
      ['BookOpened', '2024-01-02T09:00:00.000Z', true],
      ['MiningOutputReceived', '2024-02-01T10:00:00.000Z', true],
      ['BtcSold', '2024-03-16T08:00:00.000Z', true],
      ['BtcPriceObserved', '2024-04-01T08:00:00.000Z', true],
      ['BtcSold', '2024-05-10T12:00:00.000Z', true],
    ]);
    expect((events[0]!.data as { migrating?: boolean }).migrating).toBe(true);
    const csv = ((await app.http.get(`${B}/events.csv`)).body as string).trim().split('\r\n');
    expect([csv[0]!.endsWith(',amendedBy,migrated'), csv.slice(1).every((row) => row.endsWith(',true'))]).toEqual([true, true]);
    const verify = await app.http.get(`${B}/verify`);
    expect([verify.status, verify.body.ok, verify.body.checked]).toEqual([200, true, 5]);
  });

  it('go-live ends the mode for good: recorded at the server clock, and every knownAt after it refused', async () => {
    const live = await app.http.command('mig', 'go-live', { memo: 'old system switched off' });
    expect([live.status, live.body.events[0].type, live.body.events[0].recordedAt]).toEqual([
      201,
      'BookWentLive',
      '2026-03-01T12:00:00.000Z',
    ]);
    const again = await app.http.command('mig', 'go-live', {});
    expect([again.status, again.body.rule]).toEqual([422, 'book-already-live']);
    const after = await migrate('record-btc-price', { effectiveAt: '2026-03-01T00:00:00Z', usdPerBtc: '90000.00' }, '2026-03-01T12:00:00Z');
    expect([after.status, paths(after), after.body.errors[0].message]).toEqual([
      400,
      ['query.knownAt'],
      expect.stringContaining('gone live'),
    ]);
    const afterInBatch = await app.http.post(`${B}/commands`, [
      {
        command: 'record-btc-price',
        body: { effectiveAt: '2026-03-01T00:00:00Z', usdPerBtc: '90000.00' },
        knownAt: '2026-03-01T12:00:00Z',
      },
    ]);
    expect([afterInBatch.status, paths(afterInBatch)]).toEqual([400, ['[0].knownAt']]);
    const events = await app.http.allEvents('mig');
    expect(events).toHaveLength(6);
    expect(events[5]!.metadata).not.toHaveProperty('migrated');
    const csv = ((await app.http.get(`${B}/events.csv`)).body as string).trim().split('\r\n');
    expect(csv[6]!.endsWith(',')).toBe(true);
    // Live commands still take the server clock; the migrated history still answers as it was known.
    const price = await app.http.accepted('mig', 'record-btc-price', { effectiveAt: '2026-03-01T00:00:00Z', usdPerBtc: '90000.00' });
    expect(price.events[0].recordedAt).toBe('2026-03-01T12:00:00.000Z');
    expect(await holdings('2024-03-16T08:00:00Z')).toBe('8.00000000');
    expect((await app.http.get(`${B}/verify`)).body.ok).toBe(true);
  });

  it('once live, the book takes an approval policy and holds a sale above it', async () => {
    const policy = await app.http.command('mig', 'set-approval-policy', { reversals: true, salesAboveBtc: '1' });
    expect([policy.status, policy.body.events[0].type]).toEqual([201, 'ApprovalPolicySet']);
    const sale = await app.http.command('mig', 'record-btc-sale', {
      effectiveAt: '2026-03-01T00:00:00Z',
      wallet: 'cold',
      btc: '2',
      proceedsUsd: '180000.00',
    });
    expect([sale.status, sale.body.events[0].type]).toEqual([expect.any(Number), 'CommandProposed']);
  });
});
