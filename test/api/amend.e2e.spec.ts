import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * amend-event over HTTP: the payout a later sale depends on, reduced in one command (reversing it first
 * is refused); a refused amendment writes nothing; figures before and after the amendment's recorded
 * time; the audit links between the amended event, the reversal and the replacement.
 */
describe('amend-event', () => {
  let app: TestApp;
  const id = { open: '', payout: '', sale: '', reversal: '', replacement: '' };
  const payoutBody = (btc: string, usdPerBtc = '50000.00') => ({
    effectiveAt: '2026-01-10T00:00:00Z',
    wallet: 'pool',
    btc,
    usdPerBtc,
    pool: 'Foundry',
  });
  const amend = (eventId: string, replacement: unknown) =>
    app.http.command('amend', 'amend-event', { eventId, replacement, reason: 'pool statement corrected' });
  const position = (knownAt: string) => app.http.get(`/v1/books/amend/position?asOf=2026-01-31T00:00:00Z&knownAt=${knownAt}`);

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set('2026-01-01T00:00:00Z');
    id.open = (await app.http.accepted('amend', 'open-book', { name: 'Amend', effectiveAt: '2026-01-01T00:00:00Z' })).events[0].eventId;
    app.clock.set('2026-01-11T00:00:00Z');
    id.payout = (await app.http.accepted('amend', 'record-mining-output', payoutBody('1'))).events[0].eventId;
    app.clock.set('2026-01-12T00:00:00Z');
    await app.http.accepted('amend', 'record-btc-price', { effectiveAt: '2026-01-12T00:00:00Z', usdPerBtc: '60000.00' });
    app.clock.set('2026-01-21T00:00:00Z');
    id.sale = (
      await app.http.accepted('amend', 'record-btc-sale', {
        effectiveAt: '2026-01-20T00:00:00Z',
        wallet: 'pool',
        btc: '0.95',
        proceedsUsd: '57000.00',
      })
    ).events[0].eventId;
    app.clock.set('2026-02-01T00:00:00Z');
  });
  afterAll(() => app.dispose());

  it('refuses what would leave a balance negative, and bad replacements, writing nothing', async () => {
    const before = await app.http.eventCount('amend');
    const reversal = await app.http.command('amend', 'reverse-event', { eventId: id.payout, reason: 'wrong' });
    expect([reversal.status, reversal.body.rule]).toEqual([422, 'insufficient-unencumbered-btc']);
    const tooSmall = await amend(id.payout, payoutBody('0.94'));
    expect([tooSmall.status, tooSmall.body.rule]).toEqual([422, 'insufficient-unencumbered-btc']);
    const badAmount = await amend(id.payout, payoutBody('-1'));
    expect([badAmount.status, badAmount.body.errors.map((e: { path: string }) => e.path)]).toEqual([400, ['replacement.btc']]);
    const saleBody = await amend(id.payout, { effectiveAt: '2026-01-10T00:00:00Z', wallet: 'pool', btc: '1', proceedsUsd: '1.00' });
    expect(saleBody.status).toBe(400);
    expect(saleBody.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['replacement.proceedsUsd', 'replacement.usdPerBtc']),
    );
    const notObject = await amend(id.payout, '1');
    expect([notObject.status, notObject.body.errors.map((e: { path: string }) => e.path)]).toEqual([400, ['replacement']]);
    const opening = await amend(id.open, { name: 'x' });
    expect([opening.status, opening.body.rule]).toEqual([422, 'cannot-amend-event-type']);
    const unknown = await amend('00000000-0000-4000-8000-000000000000', payoutBody('1'));
    expect([unknown.status, unknown.body.rule]).toEqual([422, 'unknown-event']);
    expect(await app.http.eventCount('amend')).toBe(before);
  });

  it('reduces the payout in one command: the reversal and the replacement, appended together', async () => {
    const amended = await amend(id.payout, payoutBody('0.96', '40000.00'));
    expect(amended.status).toBe(201);
    expect(amended.body.events.map((e: { type: string }) => e.type)).toEqual(['EventReversed', 'MiningOutputReceived']);
    id.reversal = amended.body.events[0].eventId;
    id.replacement = amended.body.events[1].eventId;
    const again = await amend(id.payout, payoutBody('0.97'));
    expect([again.status, again.body.rule]).toEqual([422, 'already-reversed']);
    const ofReversal = await amend(id.reversal, {});
    expect([ofReversal.status, ofReversal.body.rule]).toEqual([422, 'cannot-amend-reversal']);
  });

  it('gives the old figures as known before the amendment and the new ones after it', async () => {
    const then = await position('2026-01-31T00:00:00Z');
    expect(then.body).toMatchObject({ holdings: { btc: '0.05000000' }, costBasis: { totalUsd: '2500.00', realizedGainUsd: '9500.00' } });
    const now = await position('2026-02-01T00:00:00Z');
    // 0.96 BTC at 40,000: the sale of 0.95 relieves 38,000 of cost; 0.01 BTC (400.00) stays.
    expect(now.body).toMatchObject({ holdings: { btc: '0.01000000' }, costBasis: { totalUsd: '400.00', realizedGainUsd: '19000.00' } });
  });

  it('links the three in the audit trail: amendedBy, reverses and reversedBy, amends', async () => {
    const events = (await app.http.allEvents('amend')) as Array<Record<string, unknown> & { eventId: string; revision: number }>;
    const byId = (eventId: string) => events.find((e) => e.eventId === eventId)!;
    expect(byId(id.payout)).toMatchObject({
      reversedBy: { eventId: id.reversal },
      amendedBy: { eventId: id.replacement, recordedAt: '2026-02-01T00:00:00.000Z' },
      amends: null,
    });
    expect(byId(id.reversal)).toMatchObject({ reverses: id.payout, amends: null, amendedBy: null, data: { amendment: true } });
    expect(byId(id.replacement)).toMatchObject({ amends: id.payout, reverses: null, reversedBy: null, amendedBy: null });
    expect(byId(id.sale)).toMatchObject({ amends: null, amendedBy: null });
    expect(byId(id.replacement).revision).toBe(byId(id.reversal).revision + 1);

    // A page that starts at the replacement still links it (the reversal is read from before the page).
    const page = await app.http.get(`/v1/books/amend/events?after=${byId(id.reversal).revision}&limit=1`);
    expect(page.body.events[0]).toMatchObject({ eventId: id.replacement, amends: id.payout });
    const filtered = await app.http.get('/v1/books/amend/events?type=MiningOutputReceived');
    expect(filtered.body.events.map((e: { amends: string | null }) => e.amends)).toEqual([null, id.payout]);

    expect((await app.http.get(`/v1/events/${id.replacement}`)).body).toMatchObject({ amends: id.payout });
    expect((await app.http.get(`/v1/events/${id.payout}`)).body).toMatchObject({ amendedBy: { eventId: id.replacement } });

    const csv = await app.http.get('/v1/books/amend/events.csv');
    const rows = (csv.body as string).trim().split('\r\n');
    expect(rows[0]!.endsWith(',data,amends,amendedBy,migrated')).toBe(true);
    expect(
      rows.find((row) => row.includes(id.replacement) && row.startsWith(`${byId(id.replacement).revision},`))!.endsWith(`,${id.payout},,`),
    ).toBe(true);
    expect(rows.find((row) => row.startsWith(`${byId(id.payout).revision},`))!.endsWith(`,,${id.replacement},`)).toBe(true);
  });
});
