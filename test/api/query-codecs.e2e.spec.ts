import { startTestApp, TestApp } from '@treasury/test-support';
import { ROUTE_ACCESS } from '../../apps/api/src/auth/access-policy';
import { FILE, ROUTE_QUERIES } from '../../apps/api/src/docs/route-queries';
import { routeOf } from '../../apps/api/src/docs/query-parameters';
import type { Param } from '../../apps/api/src/http/query.params';

/**
 * Query parameters are codecs (apps/api/src/**\/*.params.ts): every route's documented query
 * parameters are its codec's fields, and every GET route refuses a name its codec does not know with
 * a 400 naming `query.<name>`. The file routes (console, contract page, their assets) are the stated
 * exception: they read no query and load whatever a browser appends.
 */
const BOOK = 'codecs';

/** A GET route's path with its path parameters filled in (well-formed; the query is decoded before any lookup). */
const pathOf = (route: string): string =>
  route
    .split(' ')[1]!
    .replace(':bookId', BOOK)
    .replace(':webhookId', 'wh-1')
    .replace(':eventId', '00000000-0000-4000-8000-000000000000')
    .replace(':file', 'init.js');

describe('query parameters as codecs', () => {
  let app: TestApp;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is JSON read from the server
  let doc: any;

  beforeAll(async () => {
    app = await startTestApp();
    await app.http.accepted(BOOK, 'open-book', { name: 'Codecs', effectiveAt: '2025-12-01T00:00:00Z' });
    doc = (await app.http.get('/docs/openapi.json')).body;
  });
  afterAll(() => app.dispose());

  /** The console's script, by the hashed name index.html gives it. */
  const consoleScript = async (): Promise<string> =>
    `/assets/${/\/assets\/([\w.-]+\.js)/.exec(String((await app.http.get('/')).body))?.[1] ?? 'none.js'}`;

  const getRoutes = () => Object.keys(ROUTE_ACCESS).filter((route) => route.startsWith('GET '));

  it('has a query codec (or the file exception) for every route of the access table that reads one, and no other', () => {
    expect(getRoutes().filter((route) => ROUTE_QUERIES[route] === undefined)).toEqual([]);
    expect(Object.keys(ROUTE_QUERIES).filter((route) => ROUTE_ACCESS[route] === undefined)).toEqual([]);
  });

  it("documents exactly each route's codec fields as its query parameters, with required and a schema", () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(
      doc.paths as Record<
        string,
        Record<string, { parameters?: Array<{ in: string; name: string; required?: boolean; schema?: object }> }>
      >,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = routeOf(method, path);
        const codec = ROUTE_QUERIES[route];
        const documented = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
        const expected =
          codec === undefined || codec === FILE
            ? []
            : Object.entries(codec.fields as Record<string, Param<unknown>>).map(([name, param]) => `${name}${param.required ? '!' : ''}`);
        const actual = documented.map((parameter) => `${parameter.name}${parameter.required === true ? '!' : ''}`);
        if (JSON.stringify(actual) !== JSON.stringify(expected))
          mismatches.push(`${route}: documents ${actual.join(',')} but decodes ${expected.join(',')}`);
        for (const parameter of documented)
          if (parameter.schema === undefined || Object.keys(parameter.schema).length === 0)
            mismatches.push(`${route}: ${parameter.name} has no schema`);
        checked += documented.length;
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(60);
    // The generated parameters carry the codec's bounds and descriptions.
    const position = doc.paths['/v1/books/{bookId}/position'].get.parameters;
    expect(position.find((p: { name: string }) => p.name === 'method')).toMatchObject({
      in: 'query',
      required: false,
      schema: { type: 'string', enum: ['fifo', 'wallet-fifo'], default: 'fifo' },
      description: expect.stringContaining('wallet-fifo'),
    });
    const series = doc.paths['/v1/books/{bookId}/position/series'].get.parameters;
    expect(series.find((p: { name: string }) => p.name === 'every')).toMatchObject({
      required: true,
      schema: { enum: ['1h', '1d', '1w', '1mo'] },
    });
    const events = doc.paths['/v1/books/{bookId}/events'].get.parameters;
    expect(events.find((p: { name: string }) => p.name === 'limit')).toMatchObject({
      schema: { type: 'integer', minimum: 1, maximum: 1000 },
    });
  });

  it('refuses an unknown parameter on every GET route with a 400 naming it, the file routes excepted', async () => {
    const wrong: string[] = [];
    for (const route of getRoutes()) {
      const path = route === 'GET /assets/:file' ? await consoleScript() : pathOf(route);
      const answer = await app.http.get(`${path}${path.includes('?') ? '&' : '?'}colour=red`);
      if (ROUTE_QUERIES[route] === FILE) {
        if (answer.status !== 200) wrong.push(`${route}: a file route answered ${answer.status}`);
        continue;
      }
      const errors: Array<{ path: string; message: string }> = answer.body?.errors ?? [];
      const named = errors.some((error) => error.path === 'query.colour' && /is not a known parameter/.test(error.message));
      if (answer.status !== 400 || !answer.contentType.startsWith('application/problem+json') || !named)
        wrong.push(`${route}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a query on the admin routes too, before doing anything', async () => {
    const keysBefore = (await app.http.get('/v1/admin/api-keys')).body.keys.length;
    const answers = [
      await app.http.post('/v1/admin/projections/rebuild?colour=red', {}),
      await app.http.post('/v1/admin/api-keys?colour=red', { name: 'never', role: 'viewer' }),
      await app.http.post('/v1/admin/api-keys/tk_abcdefgh/revoke?colour=red', { reason: 'never' }),
      await app.http.post('/v1/admin/api-keys/tk_abcdefgh/role?colour=red', { role: 'viewer' }),
    ];
    expect(answers.map((a) => [a.status, a.body.errors?.map((e: { path: string }) => e.path)])).toEqual(
      Array(4).fill([400, ['query.colour']]),
    );
    expect((await app.http.get('/v1/admin/api-keys')).body.keys.length).toBe(keysBefore);
  });

  it('refuses a query on the batch route, whose items carry their own knownAt, and writes nothing', async () => {
    const before = (await app.http.get(`/v1/books/${BOOK}/events`)).body.events.length;
    const batch = await app.http.post(`/v1/books/${BOOK}/commands?knownAt=2025-12-02T00:00:00Z`, [
      { command: 'record-btc-price', body: { effectiveAt: '2025-12-02T00:00:00Z', usdPerBtc: '90000.00' } },
    ]);
    expect([batch.status, batch.body.errors?.map((e: { path: string }) => e.path)]).toEqual([400, ['query.knownAt']]);
    expect((await app.http.get(`/v1/books/${BOOK}/events`)).body.events.length).toBe(before);
  });

  it('refuses a parameter given twice naming it, a bracketed name as unknown, and names every failing parameter in one 400', async () => {
    const twice = await app.http.get(`/v1/books/${BOOK}/position?method=fifo&method=fifo`);
    expect([twice.status, twice.body.errors]).toEqual([400, [{ path: 'query.method', message: 'must be one of fifo, wallet-fifo' }]]);
    const nested = await app.http.get(`/v1/books/${BOOK}/lots?asOf[x]=1`);
    expect([nested.status, nested.body.errors.map((e: { path: string }) => e.path)]).toEqual([400, ['query.asOf[x]']]);
    const several = await app.http.get(`/v1/books/${BOOK}/position/series?to=2025-12-01&every=2d&knownAt=soon&colour=red`);
    expect([several.status, several.body.errors.map((e: { path: string }) => e.path)]).toEqual([
      400,
      ['query.colour', 'query.from', 'query.every', 'query.knownAt'],
    ]);
  });

  it('decodes the values a valid query gives exactly as before', async () => {
    const page = await app.http.get(`/v1/books/${BOOK}/events?limit=1&type=BookOpened&effectiveFrom=2025-12-01T00:00:00Z`);
    expect([page.status, page.body.events.map((e: { type: string }) => e.type)]).toEqual([200, ['BookOpened']]);
    const position = await app.http.get(`/v1/books/${BOOK}/position?asOf=2025-12-31&method=wallet-fifo&minLogPosition=0`);
    expect([position.status, position.body.method]).toEqual([200, 'wallet-fifo']);
    const explain = await app.http.get(`/v1/books/${BOOK}/position/explain?figure=holdings.btc&after=0&limit=5`);
    expect(explain.status).toBe(200);
  });
});
