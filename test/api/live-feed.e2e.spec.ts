import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { AlertMonitor } from '@treasury/application';
import { HttpClient, TestApp, startTestApp } from '@treasury/test-support';
import { SseClient, SseMessage } from './feed-sse-client';

/**
 * The live feed over a real HTTP server on 127.0.0.1: Server-Sent Events in log order, resumed with
 * Last-Event-ID after a disconnect and after a server restart with neither gap nor repeat, filtered by
 * the principal's grants; and alerts raised once per transition, also across a restart.
 */
/** The README session's book and loan (in margin call the moment collateral is pledged). */
const readmeBook = async (http: HttpClient, bookId: string) => {
  await http.accepted(bookId, 'open-book', { name: 'Acme Mining Corp.', effectiveAt: '2025-06-01T00:00:00Z' });
  await http.accepted(bookId, 'record-mining-output', {
    effectiveAt: '2025-06-30T23:59:59Z',
    wallet: 'custody-cold',
    btc: '716.5',
    usdPerBtc: '107135.33',
    pool: 'Foundry USA',
    periodStart: '2025-06-01T00:00:00Z',
    periodEnd: '2025-06-30T23:59:59Z',
    reference: 'pool-statement-2025-06',
  });
  await http.accepted(bookId, 'record-btc-price', {
    effectiveAt: '2025-06-30T23:59:59Z',
    usdPerBtc: '107135.33',
    source: 'CoinDesk close',
  });
  await http.accepted(bookId, 'draw-loan', {
    effectiveAt: '2025-07-01T00:00:00Z',
    loanId: 'coinbase-2025',
    lender: 'Coinbase Credit',
    principalUsd: '50000000.00',
    annualRate: '0.085',
    marginCallLtv: '0.70',
    liquidationLtv: '0.85',
    maturityAt: '2027-07-01T00:00:00Z',
  });
  return http.accepted(bookId, 'pledge-collateral', {
    effectiveAt: '2025-07-01T00:00:00Z',
    loanId: 'coinbase-2025',
    wallet: 'custody-cold',
    btc: '600',
  });
};

const eventually = async <A>(read: () => Promise<A>, done: (a: A) => boolean, timeoutMs = 5_000): Promise<A> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`not reached: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- alert views as JSON
type Alert = any;
const alertsOf = async (http: HttpClient, bookId: string): Promise<Alert[]> => {
  const answer = await http.get(`/v1/books/${bookId}/alerts`);
  if (answer.status !== 200) throw new Error(`alerts of ${bookId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.alerts;
};
const summary = (alerts: ReadonlyArray<Alert>) => alerts.map((a) => `${a.kind}:${a.subject ?? ''}:${a.from}->${a.to}`);

const keyFor = async (app: TestApp, role: string, books: string[] | '*'): Promise<string> => {
  const created = await app.http.post('/v1/admin/api-keys', { name: `${role} ${String(books)}`, role, books });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  return created.body.key;
};

const stream = (app: TestApp, path: string, token: string, headers: Record<string, string> = {}) =>
  new SseClient(`${app.http.baseUrl}${path}`, { authorization: `Bearer ${token}`, ...headers });

/** What the feed of a book must hold, in order: every book event and every alert, by log position. */
const expectedPositions = async (http: HttpClient, bookId: string): Promise<string[]> => {
  const events = (await http.allEvents(bookId)).map((e) => String(e['logPosition']));
  const alerts = (await alertsOf(http, bookId)).map((a) => String(a.logPosition));
  return [...events, ...alerts].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
};
const idsOf = (messages: ReadonlyArray<SseMessage>) => messages.map((m) => m.id!);
const increasing = (ids: ReadonlyArray<string>) => ids.every((id, i) => i === 0 || BigInt(id) > BigInt(ids[i - 1]!));

describe('alerts: raised once per transition', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(() => app.dispose());

  it("the README's loan raises margin call when pledged, naming the pledge and the figures; a repeated price raises nothing; back to open is raised; a restart repeats nothing and catches up on time passing", async () => {
    const pledged = await readmeBook(app.http, 'acme');
    const first = await eventually(
      () => alertsOf(app.http, 'acme'),
      (alerts) => alerts.some((a) => a.kind === 'loan-status'),
    );
    const marginCall = first.find((a) => a.kind === 'loan-status');
    expect(marginCall).toMatchObject({
      type: 'AlertRaised',
      bookId: 'acme',
      subject: 'coinbase-2025',
      from: 'open',
      to: 'margin-call',
      causedBy: { eventId: pledged.events[0].eventId, logPosition: pledged.logPosition },
      figures: {
        marginCallLtv: '0.700000',
        liquidationLtv: '0.850000',
        usdPerBtc: '107135.33',
        pledgedBtc: '600.00000000',
        priceEffectiveAt: '2025-06-30T23:59:59.000Z',
      },
    });
    // 50,000,000 plus eight months of 8.5% against 600 × 107,135.33: past 0.70, short of 0.85.
    expect(Number(marginCall.figures.ltv)).toBeGreaterThan(0.7);
    expect(Number(marginCall.figures.ltv)).toBeLessThan(0.85);
    // The answer is what the OpenAPI document says (its Alerts schema, checked with ajv).
    const doc = (await app.http.as(undefined).get('/docs/openapi.json')).body;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi.json');
    const validate = ajv.getSchema('openapi.json#/paths/~1v1~1books~1{bookId}~1alerts/get/responses/200/content/application~1json/schema')!;
    const listing = (await app.http.get('/v1/books/acme/alerts')).body;
    expect([validate(listing), ajv.errorsText(validate.errors)]).toEqual([true, 'No errors']);
    expect(validate({ ...listing, alerts: [{ ...listing.alerts[0], figures: { ltv: 0.8 } }] })).toBe(false);
    // The price of June 2025 is long stale at the server's clock (March 2026): raised by the price event itself.
    expect(summary(first)).toEqual(['price-staleness::fresh->stale', 'loan-status:coinbase-2025:open->margin-call']);
    expect(first[0].causedBy.eventId).not.toBe(pledged.events[0].eventId);

    // The same price again: nothing changes, nothing is raised. Then a price that ends the margin call (and is fresh).
    await app.http.accepted('acme', 'record-btc-price', {
      effectiveAt: '2025-06-30T23:59:59Z',
      usdPerBtc: '107135.33',
      source: 'CoinDesk close',
    });
    await app.http.accepted('acme', 'record-btc-price', {
      effectiveAt: '2026-03-01T11:00:00Z',
      usdPerBtc: '130000.00',
      source: 'CoinDesk',
    });
    const back = await eventually(
      () => alertsOf(app.http, 'acme'),
      (alerts) => alerts.length >= 4,
    );
    expect(summary(back)).toEqual([
      'price-staleness::fresh->stale',
      'loan-status:coinbase-2025:open->margin-call',
      'loan-status:coinbase-2025:margin-call->open',
      'price-staleness::stale->fresh',
    ]);
    expect(back[2].figures.usdPerBtc).toBe('130000.00');
    // Both were raised by the one price event, in one append.
    expect(back[2].causedBy).toEqual(back[3].causedBy);

    // A restart rebuilds what was raised from the alerts stream: nothing again. Two days pass while it is
    // down: the price goes stale, which the start-up evaluation raises (at the clock's instant).
    await app.stop();
    app.clock.set('2026-03-03T12:00:00Z');
    app = await app.restart();
    const after = await eventually(
      () => alertsOf(app.http, 'acme'),
      (alerts) => alerts.length >= 5,
    );
    expect(summary(after).slice(4)).toEqual(['price-staleness::fresh->stale']);
    expect(after[4].causedBy).toEqual({ timer: '2026-03-03T12:00:00.000Z' });
    await app.nest.get(AlertMonitor).tick();
    app = await app.restart();
    await app.nest.get(AlertMonitor).tick();
    expect(await alertsOf(app.http, 'acme')).toHaveLength(5);
  });

  it('a price goes stale as the clock moves, raised by the timer once', async () => {
    await app.http.accepted('mine', 'open-book', { name: 'Mine', effectiveAt: '2026-01-01T00:00:00Z' });
    await app.http.accepted('mine', 'record-btc-price', { effectiveAt: '2026-03-01T11:00:00Z', usdPerBtc: '90000.00' });
    const monitor = app.nest.get(AlertMonitor);
    await monitor.tick();
    expect(await alertsOf(app.http, 'mine')).toEqual([]);
    // One day after the price to the second is still fresh (stale is older than the limit); one second more is not.
    app.clock.set('2026-03-02T11:00:00Z');
    await monitor.tick();
    expect(await alertsOf(app.http, 'mine')).toEqual([]);
    app.clock.set('2026-03-02T11:00:01Z');
    await monitor.tick();
    await monitor.tick();
    const alerts = await alertsOf(app.http, 'mine');
    expect(summary(alerts)).toEqual(['price-staleness::fresh->stale']);
    expect(alerts[0]).toMatchObject({
      causedBy: { timer: '2026-03-02T11:00:01.000Z' },
      figures: { ageSeconds: '86401', maxAgeSeconds: '86400', usdPerBtc: '90000.00' },
    });
  });
});

describe('the live feed (SSE)', () => {
  let app: TestApp;
  const open: SseClient[] = [];
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(async () => {
    for (const client of open.splice(0)) client.close();
    await app.dispose();
  });
  const connect = async (path: string, token: string, headers: Record<string, string> = {}) => {
    const client = stream(app, path, token, headers);
    open.push(client);
    await client.open();
    return client;
  };

  it('streams every event and alert in log order; a stream item is the GET /events item with bookId and logPosition', async () => {
    await readmeBook(app.http, 'acme');
    const client = await connect('/v1/books/acme/events/stream?after=0', app.adminKey);
    expect(client.status).toBe(200);
    const expected = await eventually(
      () => expectedPositions(app.http, 'acme'),
      (ids) => ids.length >= 7,
    );
    await client.waitFor((messages) => messages.length >= expected.length);
    expect(idsOf(client.messages)).toEqual(expected);
    expect(client.retry).toBe(3000);
    const [listed] = await app.http.allEvents('acme');
    expect(client.messages[0]).toEqual({ id: listed!['logPosition'], event: 'BookOpened', data: { ...listed, bookId: 'acme' } });
    const alert = client.messages.find((m) => m.event === 'AlertRaised')!;
    expect(alert.data).toEqual((await alertsOf(app.http, 'acme')).find((a) => a.logPosition === alert.id));
    // Live: a new command arrives on the open stream.
    const sale = await app.http.accepted('acme', 'record-btc-sale', {
      effectiveAt: '2025-07-15T14:00:00Z',
      wallet: 'custody-cold',
      btc: '100',
      proceedsUsd: '11800000.00',
    });
    await client.waitFor((messages) => messages.some((m) => m.id === sale.logPosition));
    expect(client.messages.find((m) => m.id === sale.logPosition)).toMatchObject({
      event: 'BtcSold',
      data: { eventId: sale.events[0].eventId },
    });
  });

  it('resumes strictly after Last-Event-ID, after a disconnect and after a server restart: no gap, no repeat', async () => {
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    const first = await connect('/v1/books/acme/events/stream?after=0', app.adminKey);
    for (let i = 1; i <= 5; i++)
      await app.http.accepted('acme', 'record-btc-price', { effectiveAt: `2026-03-01T0${i}:00:00Z`, usdPerBtc: `${90000 + i}.00` });
    await first.waitFor((messages) => messages.length >= 3);
    first.close();
    const received = [...first.messages];
    // While disconnected, more happens.
    for (let i = 6; i <= 8; i++)
      await app.http.accepted('acme', 'record-btc-price', { effectiveAt: `2026-03-01T0${i}:00:00Z`, usdPerBtc: `${90000 + i}.00` });
    const second = await connect('/v1/books/acme/events/stream', app.adminKey, { 'last-event-id': received[received.length - 1]!.id! });
    let expected = await expectedPositions(app.http, 'acme');
    await second.waitFor((messages) => received.length + messages.length >= expected.length);
    received.push(...second.messages);
    expect(idsOf(received)).toEqual(expected);

    // The server restarts under an open stream: the stream ends; the client resumes on the new server.
    const third = await connect('/v1/books/acme/events/stream', app.adminKey, { 'last-event-id': received[received.length - 1]!.id! });
    await app.http.accepted('acme', 'record-btc-price', { effectiveAt: '2026-03-01T09:00:00Z', usdPerBtc: '90009.00' });
    await third.waitFor((messages) => messages.length >= 1);
    const restarting = app.restart();
    await third.waitForEnd();
    app = await restarting;
    received.push(...third.messages);
    for (let i = 10; i <= 11; i++)
      await app.http.accepted('acme', 'record-btc-price', { effectiveAt: `2026-03-01T${i}:00:00Z`, usdPerBtc: `${90000 + i}.00` });
    const fourth = await connect('/v1/books/acme/events/stream', app.adminKey, { 'last-event-id': received[received.length - 1]!.id! });
    expected = await expectedPositions(app.http, 'acme');
    await fourth.waitFor((messages) => received.length + messages.length >= expected.length);
    received.push(...fourth.messages);
    expect(idsOf(received)).toEqual(expected);
    expect(increasing(idsOf(received))).toBe(true);
    expect(new Set(idsOf(received)).size).toBe(received.length);
  });

  it("the all-books stream shows each principal only what its grants allow: a viewer of A sees A's alerts only, an auditor of A A's events and alerts", async () => {
    await readmeBook(app.http, 'book-a');
    await readmeBook(app.http, 'book-b');
    const last = await app.http.accepted('book-a', 'record-btc-price', { effectiveAt: '2026-03-01T11:00:00Z', usdPerBtc: '130000.00' });
    await eventually(
      () => alertsOf(app.http, 'book-a'),
      (alerts) => alerts.length >= 4,
    );
    await eventually(
      () => alertsOf(app.http, 'book-b'),
      (alerts) => alerts.length >= 2,
    );
    const head = (await app.http.get('/health')).body.projection.head as string;
    const viewer = await connect('/v1/events/stream?after=0', await keyFor(app, 'viewer', ['book-a']));
    const auditor = await connect('/v1/events/stream?after=0', await keyFor(app, 'auditor', ['book-a']));
    const admin = await connect('/v1/events/stream?after=0', app.adminKey);
    const aAlerts = (await alertsOf(app.http, 'book-a')).map((a) => a.logPosition);
    await viewer.waitFor((messages) => messages.length >= aAlerts.length);
    const aFeed = await expectedPositions(app.http, 'book-a');
    await auditor.waitFor((messages) => messages.length >= aFeed.length && messages.some((m) => BigInt(m.id!) >= BigInt(last.logPosition)));
    await admin.waitFor((messages) => messages.some((m) => BigInt(m.id!) >= BigInt(head)));
    expect(idsOf(viewer.messages)).toEqual(aAlerts);
    expect(viewer.messages.every((m) => m.event === 'AlertRaised' && m.data.bookId === 'book-a')).toBe(true);
    expect(idsOf(auditor.messages)).toEqual(aFeed);
    expect(new Set(admin.messages.map((m) => m.data.bookId))).toEqual(new Set(['book-a', 'book-b']));
    // Another book's stream is refused outright.
    const refused = await connect('/v1/books/book-b/events/stream', await keyFor(app, 'viewer', ['book-a']));
    expect([refused.status, refused.problem.requiredRole]).toEqual([403, 'viewer']);
  });

  it('refuses a bad cursor naming the field, an unknown book or parameter, and a sixth stream of one principal', async () => {
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    const bad = async (path: string, headers: Record<string, string> = {}) => {
      const client = await connect(path, app.adminKey, headers);
      return [client.status, client.problem?.errors?.[0]?.path ?? client.problem?.type];
    };
    expect(await bad('/v1/books/acme/events/stream', { 'last-event-id': 'abc' })).toEqual([400, 'headers.last-event-id']);
    expect(await bad('/v1/books/acme/events/stream?after=-1')).toEqual([400, 'query.after']);
    expect(await bad('/v1/books/acme/events/stream?after=99999999999999999999')).toEqual([400, 'query.after']);
    expect(await bad('/v1/books/acme/events/stream?after=999999')).toEqual([400, 'query.after']);
    expect(await bad('/v1/events/stream?from=1')).toEqual([400, 'query.from']);
    expect(await bad('/v1/books/nobody/events/stream')).toEqual([404, expect.stringContaining('book-not-found')]);
    expect(await bad('/v1/books/acme/alerts?limit=0')).toEqual([400, 'query.limit']);
    const token = await keyFor(app, 'viewer', '*');
    for (let i = 0; i < 5; i++) expect((await connect('/v1/events/stream', token)).status).toBe(200);
    const sixth = await connect('/v1/events/stream', token);
    expect([sixth.status, sixth.problem.type]).toEqual([429, expect.stringContaining('too-many-streams')]);
    // Another principal is not held back by it.
    expect((await connect('/v1/events/stream', app.adminKey)).status).toBe(200);
  });
});
