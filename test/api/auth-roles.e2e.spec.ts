import { ROLES, Role, bookCommandCodecs } from '@treasury/domain';
import { startTestApp, TestApp } from '@treasury/test-support';
import { COMMAND_ACCESS, ROUTE_ACCESS } from '../../apps/api/src/auth/access-policy';

/**
 * Every route and every command, with every role (and with no credentials): allowed ones get past
 * authorisation (whatever they then answer), refused ones get a 401/403 problem document and write
 * nothing. The expectations come from a hand-written table of the roles, not from the
 * policy itself, so a wrong entry in the policy fails here.
 */
const EXPECTED_ROUTE_ROLE: Record<string, Role | 'public' | 'per-command'> = {
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /docs': 'public',
  'GET /docs/openapi.json': 'public',
  'GET /docs/assets/:file': 'public',
  'GET /': 'public',
  'GET /assets/:file': 'public',
  'GET /v1/me': 'viewer',
  'GET /v1/books': 'viewer',
  'GET /v1/books/:bookId/events/stream': 'viewer',
  'GET /v1/events/stream': 'viewer',
  'GET /v1/books/:bookId/alerts': 'viewer',
  'POST /v1/books/:bookId/commands/:command': 'per-command',
  'POST /v1/books/:bookId/commands': 'per-command',
  'GET /v1/books/:bookId/position': 'viewer',
  'GET /v1/books/:bookId/position/series': 'viewer',
  'GET /v1/books/:bookId/position/explain': 'viewer',
  'GET /v1/books/:bookId/lots': 'viewer',
  'GET /v1/books/:bookId/disposals': 'viewer',
  'GET /v1/books/:bookId/reports/month-end': 'viewer',
  'GET /v1/books/:bookId/reports/pnl': 'viewer',
  'GET /v1/books/:bookId/reconciliation': 'viewer',
  'GET /v1/books/:bookId/journal': 'viewer',
  'GET /v1/books/:bookId/proposals': 'viewer',
  'GET /v1/books/:bookId/events': 'auditor',
  'GET /v1/books/:bookId/events.jsonl': 'auditor',
  'GET /v1/books/:bookId/events.csv': 'auditor',
  'GET /v1/books/:bookId/verify': 'auditor',
  'GET /v1/books/:bookId/webhooks': 'auditor',
  'GET /v1/books/:bookId/webhooks/:webhookId/deliveries': 'auditor',
  'GET /v1/events/:eventId': 'auditor',
  'GET /v1/access/events': 'auditor',
  'GET /v1/access/verify': 'auditor',
  'GET /v1/admin/api-keys': 'admin',
  'POST /v1/admin/api-keys': 'admin',
  'POST /v1/admin/api-keys/:keyPrefix/revoke': 'admin',
  'POST /v1/admin/api-keys/:keyPrefix/role': 'admin',
  'POST /v1/admin/projections/rebuild': 'admin',
};

/** What each role may do, as the issue states it. */
const MAY: Record<Role, ReadonlyArray<Role>> = {
  viewer: ['viewer'],
  auditor: ['viewer', 'auditor'],
  bookkeeper: ['viewer', 'bookkeeper'],
  treasurer: ['viewer', 'bookkeeper', 'treasurer'],
  admin: ['viewer', 'auditor', 'bookkeeper', 'treasurer', 'admin'],
};

const OPERATIONAL = ['record-mining-output', 'transfer-btc', 'record-btc-price', 'record-cash-movement', 'record-reported-holdings'];
const BOOK_SETTINGS = [
  'open-book',
  'set-reconciliation-tolerance',
  'set-approval-policy',
  'set-price-staleness',
  'record-opening-balance',
  'record-opening-cash',
  'go-live',
  'register-webhook',
  'disable-webhook',
  'redeliver-webhook',
];
/** Commands whose empty body is valid: what the allowed roles get instead of the codec's 400 (still writing nothing). */
const EMPTY_BODY_ANSWER: Record<string, number> = { 'go-live': 422 };
const expectedCommandRole = (command: string): Role =>
  OPERATIONAL.includes(command)
    ? 'bookkeeper'
    : BOOK_SETTINGS.includes(command)
      ? 'admin'
      : ['approve-proposal', 'reject-proposal'].includes(command)
        ? 'bookkeeper'
        : 'treasurer';

describe('authorisation: every route and command with every role', () => {
  let app: TestApp;
  const keys: Partial<Record<Role, string>> = {};
  let otherBookTreasurer: string;
  let eventId: string;

  beforeAll(async () => {
    app = await startTestApp();
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    eventId = (await app.http.accepted('acme', 'record-btc-price', { effectiveAt: '2025-06-30T00:00:00Z', usdPerBtc: '100000.00' }))
      .events[0].eventId;
    for (const role of ROLES) {
      const created = await app.http.post('/v1/admin/api-keys', { name: `${role} of acme`, role, books: ['acme'] });
      expect(created.status).toBe(201);
      keys[role] = created.body.key;
    }
    otherBookTreasurer = (await app.http.post('/v1/admin/api-keys', { name: 'treasurer elsewhere', role: 'treasurer', books: ['other'] }))
      .body.key;
  });
  afterAll(() => app.dispose());

  it('the policy table matches the roles the issue gives each route and command', () => {
    const table = Object.fromEntries(Object.entries(ROUTE_ACCESS).map(([route, rule]) => [route, 'public' in rule ? 'public' : rule.role]));
    expect(table).toEqual(EXPECTED_ROUTE_ROLE);
    for (const command of Object.keys(bookCommandCodecs))
      expect([command, COMMAND_ACCESS[command as keyof typeof COMMAND_ACCESS]]).toEqual([command, expectedCommandRole(command)]);
  });

  it('every route the server serves is in the table (a route missing from it would be refused to all)', async () => {
    const router = (
      app.nest.getHttpAdapter().getInstance() as {
        router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
      }
    ).router;
    const served = router.stack.flatMap((layer) =>
      layer.route === undefined ? [] : Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`),
    );
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((route) => ROUTE_ACCESS[route] === undefined)).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((route) => !served.includes(route))).toEqual([]);
  });

  /** A request for each route that is harmless when allowed (a bad body, an unknown key) and tells allowed from refused. */
  const requestFor = (route: string): { method: 'GET' | 'POST'; path: string; body?: unknown } => {
    const [method, template] = route.split(' ') as ['GET' | 'POST', string];
    const path = template
      .replace(':bookId', 'acme')
      .replace(':eventId', eventId)
      .replace(':keyPrefix', 'zzzzzzzz')
      .replace(':command', 'record-btc-price');
    // A stream would stay open: a bad `after` gets allowed roles a 400 (refused roles still 403).
    if (path.endsWith('/stream')) return { method: 'GET', path: `${path}?after=x` };
    const query = path.endsWith('/explain')
      ? '?figure=price.usdPerBtc'
      : path.endsWith('/series')
        ? '?from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z&every=1d'
        : path.endsWith('/month-end') || path.endsWith('/pnl')
          ? '?from=2025-06&to=2025-06'
          : path.endsWith('/disposals')
            ? '?from=2025-06-01T00:00:00Z&to=2025-07-01T00:00:00Z'
            : '';
    return method === 'GET' ? { method, path: path + query } : { method, path, body: {} };
  };

  const send = (token: string | undefined, request: { method: 'GET' | 'POST'; path: string; body?: unknown }) => {
    const client = app.http.as(token);
    return request.method === 'GET' ? client.get(request.path) : client.post(request.path, request.body);
  };

  const routes = Object.keys(EXPECTED_ROUTE_ROLE).filter(
    (route) => EXPECTED_ROUTE_ROLE[route] !== 'public' && EXPECTED_ROUTE_ROLE[route] !== 'per-command',
  );

  it.each(routes)('%s: allowed to the roles that include it, 403 to the others, 401 without credentials', async (route) => {
    const needed = EXPECTED_ROUTE_ROLE[route] as Role;
    const request = requestFor(route);
    const anonymous = await send(undefined, request);
    expect([anonymous.status, anonymous.contentType, anonymous.headers.get('www-authenticate')]).toEqual([
      401,
      'application/problem+json; charset=utf-8',
      'Bearer realm="treasury-engine"',
    ]);
    for (const role of ROLES) {
      const answer = await send(keys[role], request);
      // Book-scoped keys cannot use routes over every book (the access log, admin), even as admin.
      const allBooks = route.includes('/admin/') || route.includes('/access/');
      const allowed = MAY[role].includes(needed) && !allBooks;
      if (allowed) expect([role, answer.status]).not.toEqual([role, 403]);
      else expect([role, answer.status, answer.body.requiredRole]).toEqual([role, 403, needed]);
      expect(answer.status).toBeLessThan(500);
    }
  });

  it.each(Object.keys(bookCommandCodecs))(
    'command %s: allowed to the roles that include its role, 403 to the others and to other books',
    async (command) => {
      const needed = expectedCommandRole(command);
      const before = await app.http.eventCount('acme');
      for (const role of ROLES) {
        const answer = await app.http.as(keys[role]).command('acme', command, {});
        // Allowed: the empty body is then refused by the codec (400), so nothing is written either way.
        expect([role, answer.status]).toEqual([role, MAY[role].includes(needed) ? (EMPTY_BODY_ANSWER[command] ?? 400) : 403]);
      }
      const elsewhere = await app.http.as(otherBookTreasurer).command('acme', command, {});
      expect(elsewhere.status).toBe(403);
      expect(await app.http.eventCount('acme')).toBe(before);
    },
  );

  it('the OpenAPI document states, for every route and command, the role the guard enforces', async () => {
    const docs = (await app.http.as(undefined).get('/docs')).body;
    expect(docs.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'tek_<prefix>_<secret>' });
    expect(docs.components.securitySchemes.oidc).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const [route, role] of Object.entries(EXPECTED_ROUTE_ROLE)) {
      if (route === 'GET /docs' || role === 'per-command') continue;
      const [method, template] = route.split(' ') as [string, string];
      const operation = docs.paths[template.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      expect([route, role === 'public' ? operation?.security : operation?.['x-required-role']]).toEqual([
        route,
        role === 'public' ? [] : role,
      ]);
      if (role !== 'public') expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403', '429']));
      if (role !== 'public') expect([route, operation.security]).toEqual([route, [{ apiKey: [] }, { oidc: [] }]]);
    }
    for (const command of Object.keys(bookCommandCodecs)) {
      expect([command, docs.paths[`/v1/books/{bookId}/commands/${command}`].post['x-required-role']]).toEqual([
        command,
        expectedCommandRole(command),
      ]);
    }
  });

  it('public routes answer without credentials; HEAD follows the GET rule', async () => {
    for (const path of ['/health', '/docs']) expect((await app.http.as(undefined).get(path)).status).toBe(200);
    const head = (path: string, token?: string) =>
      fetch(`${app.http.baseUrl}${path}`, {
        method: 'HEAD',
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      }).then((r) => r.status);
    expect(await head('/health')).toBe(200);
    expect(await head('/v1/books/acme/position')).toBe(401);
    expect(await head('/v1/books/acme/position', keys.viewer)).toBe(200);
    expect(await head('/v1/books/acme/events', keys.viewer)).toBe(403);
  });

  it('refuses malformed, unknown and foreign credentials with 401, never 5xx', async () => {
    const cases = [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer tek_short',
      `Bearer tek_abcdefgh_${'A'.repeat(43)}`,
      'Bearer not.a.jwt',
      `Bearer ${'x'.repeat(9000)}`,
      'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    ];
    for (const authorization of cases) {
      const answer = await app.http.as(undefined).get('/v1/books/acme/position', { authorization });
      expect([authorization.slice(0, 30), answer.status]).toEqual([authorization.slice(0, 30), 401]);
    }
    // The right prefix with a wrong secret is as unknown as a wrong prefix.
    const prefix = keys.viewer!.slice(0, 13);
    const forged = await app.http.as(`${prefix}${'B'.repeat(43)}`).get('/v1/books/acme/position');
    expect([forged.status, forged.body.reason]).toEqual([401, 'UnknownKey']);
  });
});
