import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { startTestApp, TestApp } from '@treasury/test-support';
import type { HttpAnswer } from '../support/http-client';
import { ROUTE_ACCESS } from '../../apps/api/src/auth/access-policy';

/**
 * The OpenAPI document against the server's real answers: for every route of the access table, real
 * requests to a populated book (and a few refusals), each answer's status, media type and body checked
 * with ajv (JSON Schema 2020-12, formats) against what the document says that operation answers.
 *
 * A route added to the access table fails here until it has (1) a success answer with a schema in the
 * document (jsonAnswer / textAnswer in apps/api/src/docs/responses.ts) and (2) at least one request in
 * CALLS below.
 */
/** A request, and for the command route the command it sends (each command has its own path in the document). */
type Call = (() => Promise<HttpAnswer>) & { readonly command?: string };

const BOOK = 'contract';
const books = `/v1/books/${BOOK}`;

/** `GET /v1/books/:bookId/x` -> ['get', '/v1/books/{bookId}/x'] */
const operationOf = (route: string): [string, string] => {
  const [method, path] = route.split(' ') as [string, string];
  return [method.toLowerCase(), path.replace(/:(\w+)/g, '{$1}')];
};

const pointer = (...parts: ReadonlyArray<string>) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

describe('the OpenAPI document describes every real answer', () => {
  let app: TestApp;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is JSON read from the server
  let doc: any;
  let ajv: Ajv2020;
  let eventId = '';
  let viewerKey = '';
  let keyPrefix = '';

  const send = (recordedAt: string, command: string, body: Record<string, unknown>) => {
    app.clock.set(recordedAt);
    return app.http.accepted(BOOK, command, body);
  };

  beforeAll(async () => {
    app = await startTestApp();
    await send('2025-12-01T00:00:00Z', 'open-book', { name: 'Contract Mining', effectiveAt: '2025-12-01T00:00:00Z' });
    await send('2025-12-02T00:00:00Z', 'record-opening-cash', {
      effectiveAt: '2025-12-01T00:00:00Z',
      cashAccount: 'operating',
      amountUsd: '500000.00',
    }).catch(() => undefined);
    const mined = await send('2025-12-31T23:59:00Z', 'record-mining-output', {
      effectiveAt: '2025-12-31T23:00:00Z',
      wallet: 'pool',
      btc: '569',
      usdPerBtc: '87508.83',
      pool: 'Foundry',
    }).catch(() =>
      send('2025-12-31T23:59:00Z', 'record-mining-output', {
        effectiveAt: '2025-12-31T23:00:00Z',
        wallet: 'pool',
        btc: '569',
        usdPerBtc: '87508.83',
      }),
    );
    eventId = mined.events[0].eventId;
    await send('2025-12-31T23:59:30Z', 'record-btc-price', { effectiveAt: '2025-12-31T23:00:00Z', usdPerBtc: '87508.83' });
    await send('2026-01-10T00:00:00Z', 'transfer-btc', {
      effectiveAt: '2026-01-10T00:00:00Z',
      fromWallet: 'pool',
      toWallet: 'cold',
      btc: '500',
      feeBtc: '0.0002',
    });
    await send('2026-01-15T00:00:00Z', 'record-btc-sale', {
      effectiveAt: '2026-01-15T00:00:00Z',
      wallet: 'pool',
      btc: '50.03',
      proceedsUsd: '4452670.00',
    });
    await send('2026-01-20T00:00:00Z', 'record-cash-movement', {
      effectiveAt: '2026-01-20T00:00:00Z',
      cashAccount: 'operating',
      amountUsd: '-3000.00',
      category: 'power',
    });
    await send('2026-01-21T00:00:00Z', 'draw-loan', {
      effectiveAt: '2026-01-21T00:00:00Z',
      loanId: 'l1',
      lender: 'Lender',
      principalUsd: '1000000.00',
      annualRate: '0.08',
      marginCallLtv: '0.7',
      liquidationLtv: '0.85',
    });
    await send('2026-01-21T01:00:00Z', 'pledge-collateral', {
      effectiveAt: '2026-01-21T01:00:00Z',
      loanId: 'l1',
      wallet: 'cold',
      btc: '30',
    });
    await send('2026-01-31T23:59:30Z', 'record-btc-price', { effectiveAt: '2026-01-31T23:00:00Z', usdPerBtc: '78621.12' });
    const wrong = await send('2026-02-01T00:00:00Z', 'record-cash-movement', {
      effectiveAt: '2026-02-01T00:00:00Z',
      cashAccount: 'operating',
      amountUsd: '-10.00',
      category: 'typo',
    });
    await send('2026-02-01T00:01:00Z', 'reverse-event', { eventId: wrong.events[0].eventId, reason: 'typo' });
    await send('2026-02-03T00:00:00Z', 'record-reported-holdings', {
      effectiveAt: '2026-01-31T23:59:59Z',
      btc: '1015.3',
      minedBtc: '496.35',
      soldBtc: '50.3',
      source: 'operational-update',
    });
    app.clock.set('2026-03-01T12:00:00Z');
    const viewer = await app.http.post('/v1/admin/api-keys', { name: 'contract viewer', role: 'viewer', books: [BOOK] });
    viewerKey = viewer.body.key;
    keyPrefix = viewer.body.keyPrefix;

    const served = await app.http.as(undefined).get('/docs/openapi.json');
    expect(served.status).toBe(200);
    doc = served.body;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi.json');
  });
  afterAll(() => app.dispose());

  /** The schema the document gives an answer of this route, status and media type, or why there is none. */
  const documented = (route: string, status: number, mediaType: string) => {
    const [method, path] = operationOf(route);
    const operation = doc.paths[path]?.[method];
    if (operation === undefined) return `no operation ${method.toUpperCase()} ${path}`;
    const response = operation.responses[String(status)];
    if (response === undefined) return `${route} does not document ${status}`;
    const content = response.content?.[mediaType];
    if (content?.schema === undefined)
      return `${route} ${status} has no schema for ${mediaType} (it has ${Object.keys(response.content ?? {}).join(', ') || 'no content'})`;
    return `openapi.json#/${pointer('paths', path, method, 'responses', String(status), 'content', mediaType, 'schema')}`;
  };

  const check = (route: string, answer: HttpAnswer, expectedStatus: number, command?: string): string[] => {
    route = command === undefined ? route : route.replace(':command', command);
    if (answer.status !== expectedStatus)
      return [`${route}: expected ${expectedStatus}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`];
    const mediaType = answer.contentType.split(';')[0]!.trim();
    const ref = documented(route, answer.status, mediaType);
    if (!ref.startsWith('openapi.json#')) return [ref];
    const validate = ajv.getSchema(ref);
    if (validate === undefined) return [`${route}: cannot resolve ${ref}`];
    if (validate(answer.body)) return [];
    return [`${route} ${answer.status}: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}`];
  };

  /** The console's script, by the hashed name index.html gives it. */
  const consoleAsset = async (): Promise<string> => {
    const page = await app.http.get('/');
    const found = /\/assets\/([\w.-]+\.js)/.exec(String(page.body));
    if (found === null) throw new Error('index.html names no script');
    return found[1]!;
  };

  /** At least one real request per route of the access table, with the status it must answer. */
  const CALLS = (): Record<string, ReadonlyArray<readonly [Call, number]>> => {
    const command = (name: string, body: unknown, headers: Record<string, string> = {}, client = app.http): Call =>
      Object.assign(() => client.command(BOOK, name, body, headers), { command: name });
    const get =
      (path: string, headers: Record<string, string> = {}) =>
      () =>
        app.http.get(path, headers);
    return {
      'GET /health': [[get('/health'), 200]],
      'GET /ready': [[get('/ready'), 200]],
      'GET /docs': [
        [get('/docs'), 200],
        [get('/docs', { accept: 'text/html,application/xhtml+xml' }), 200],
      ],
      'GET /docs/openapi.json': [[get('/docs/openapi.json'), 200]],
      'GET /docs/assets/:file': [
        [get('/docs/assets/swagger-ui.css'), 200],
        [get('/docs/assets/init.js'), 200],
        [get('/docs/assets/..%2Fpackage.json'), 404],
      ],
      'POST /v1/books/:bookId/commands/:command': [
        [command('record-btc-price', { effectiveAt: '2026-02-28T23:00:00Z', usdPerBtc: '80000.00' }), 201],
        [command('record-btc-price', { effectiveAt: '2026-02-28T23:00:00Z', usdPerBtc: 80000 }), 400],
        [command('record-btc-price', { effectiveAt: '2026-02-28T23:00:00Z', usdPerBtc: '1.00' }, {}, app.http.as(undefined)), 401],
        [command('record-btc-price', { effectiveAt: '2026-02-28T23:00:00Z', usdPerBtc: '1.00' }, {}, app.http.as(viewerKey)), 403],
        [
          Object.assign(
            () => app.http.command('no-such-book', 'record-btc-price', { effectiveAt: '2026-02-28T23:00:00Z', usdPerBtc: '1.00' }),
            { command: 'record-btc-price' },
          ),
          404,
        ],
        [command('open-book', { name: 'Again', effectiveAt: '2025-12-01T00:00:00Z' }), 409],
        [command('record-btc-price', { effectiveAt: '2026-02-28T23:00:00Z', usdPerBtc: '1.00' }, { 'if-match': '"1"' }), 412],
        [command('record-btc-sale', { effectiveAt: '2026-02-28T00:00:00Z', wallet: 'pool', btc: '100000', proceedsUsd: '1.00' }), 422],
      ],
      'POST /v1/books/:bookId/commands': [
        [
          () =>
            app.http.post(`${books}/commands`, [
              { command: 'record-btc-price', body: { effectiveAt: '2026-02-28T23:30:00Z', usdPerBtc: '80100.00' } },
            ]),
          201,
        ],
        [() => app.http.post(`${books}/commands`, [{ command: 'record-btc-price', body: { effectiveAt: 'nope' } }]), 400],
      ],
      'GET /v1/books/:bookId/position': [
        [get(`${books}/position`), 200],
        [get(`${books}/position?method=wallet-fifo&asOf=2026-01-31`), 200],
        [get(`${books}/position?asOf=yesterday`), 400],
        [get('/v1/books/no-such-book/position'), 404],
        [get(`${books}/position?knownAt=2020-01-01T00:00:00Z`), 422],
      ],
      'GET /v1/books/:bookId/position/series': [[get(`${books}/position/series?from=2025-12-01&to=2026-02-28&every=1w`), 200]],
      'GET /v1/books/:bookId/position/explain': [
        [get(`${books}/position/explain?figure=holdings.btc`), 200],
        [get(`${books}/position/explain?figure=price.usdPerBtc`), 200],
        [get(`${books}/position/explain?figure=costBasis.unrealizedGainUsd`), 200],
        [get(`${books}/position/explain?figure=nonsense`), 400],
      ],
      'GET /v1/books/:bookId/lots': [
        [get(`${books}/lots`), 200],
        [get(`${books}/lots?method=wallet-fifo`), 200],
      ],
      'GET /v1/books/:bookId/disposals': [
        [get(`${books}/disposals`), 200],
        [get(`${books}/disposals?method=wallet-fifo`), 200],
      ],
      'GET /v1/books/:bookId/reports/month-end': [
        [get(`${books}/reports/month-end?from=2025-12&to=2026-02`), 200],
        [get(`${books}/reports/month-end?from=2020-01&to=2020-02`), 422],
      ],
      'GET /v1/books/:bookId/reports/pnl': [[get(`${books}/reports/pnl?from=2025-12&to=2026-02`), 200]],
      'GET /v1/books/:bookId/reconciliation': [[get(`${books}/reconciliation`), 200]],
      'GET /v1/books/:bookId/journal': [
        [get(`${books}/journal?from=2025-12-01&to=2026-02-28`), 200],
        [get(`${books}/journal?from=2025-12-01&to=2026-02-28&format=csv`), 200],
      ],
      'GET /v1/books/:bookId/proposals': [[get(`${books}/proposals`), 200]],
      'GET /v1/books/:bookId/events': [
        [get(`${books}/events`), 200],
        [() => app.http.as(viewerKey).get(`${books}/events`), 403],
      ],
      'GET /v1/books/:bookId/events.jsonl': [[get(`${books}/events.jsonl`), 200]],
      'GET /v1/books/:bookId/events.csv': [[get(`${books}/events.csv`), 200]],
      'GET /v1/books/:bookId/verify': [[get(`${books}/verify`), 200]],
      'GET /v1/events/:eventId': [
        [() => app.http.get(`/v1/events/${eventId}`), 200],
        [get('/v1/events/00000000-0000-4000-8000-000000000000'), 404],
      ],
      'GET /v1/access/events': [[get('/v1/access/events'), 200]],
      'GET /v1/access/verify': [[get('/v1/access/verify'), 200]],
      'GET /v1/admin/api-keys': [[get('/v1/admin/api-keys'), 200]],
      'POST /v1/admin/api-keys': [
        [() => app.http.post('/v1/admin/api-keys', { name: 'another', role: 'auditor' }), 201],
        [() => app.http.post('/v1/admin/api-keys', { name: 'bad', role: 'emperor' }), 400],
      ],
      'POST /v1/admin/api-keys/:keyPrefix/role': [
        [() => app.http.post(`/v1/admin/api-keys/${keyPrefix}/role`, { role: 'viewer', books: [BOOK] }), 200],
      ],
      'POST /v1/admin/api-keys/:keyPrefix/revoke': [
        [() => app.http.post(`/v1/admin/api-keys/${keyPrefix}/revoke`, {}), 200],
        [() => app.http.post(`/v1/admin/api-keys/${keyPrefix}/revoke`, {}), 422],
      ],
      'POST /v1/admin/projections/rebuild': [[() => app.http.post('/v1/admin/projections/rebuild', {}), 200]],
      'GET /': [[get('/'), 200]],
      'GET /assets/:file': [
        [async () => app.http.get(`/assets/${await consoleAsset()}`), 200],
        [get('/assets/no-such-file.js'), 404],
      ],
      'GET /v1/me': [
        [get('/v1/me'), 200],
        [() => app.http.as(undefined).get('/v1/me'), 401],
      ],
      'GET /v1/books': [[get('/v1/books'), 200]],
      'GET /v1/books/:bookId/alerts': [
        [get(`${books}/alerts`), 200],
        [get(`${books}/alerts?limit=0`), 400],
      ],
      // An open stream has no end to validate: its refusals are validated here, its messages in live-feed.e2e.
      'GET /v1/books/:bookId/events/stream': [
        [get(`${books}/events/stream?after=x`), 400],
        [get('/v1/books/no-such-book/events/stream?after=0'), 404],
      ],
      'GET /v1/events/stream': [[get('/v1/events/stream?after=x'), 400]],
      'GET /v1/books/:bookId/webhooks': [[get(`${books}/webhooks`), 200]],
      'GET /v1/books/:bookId/webhooks/:webhookId/deliveries': [[get(`${books}/webhooks/no-such-hook/deliveries`), 404]],
    };
  };

  it('has an operation with a success answer and its schema for every route of the access table', () => {
    const missing: string[] = [];
    for (const route of Object.keys(ROUTE_ACCESS)) {
      const [method, path] = operationOf(route);
      // One access row covers every command: each command has its own path in the document.
      const paths = path.endsWith('/{command}')
        ? Object.keys(doc.paths).filter((p) => p.startsWith(path.replace('{command}', '')))
        : [path];
      if (paths.length === 0) missing.push(`${route}: no command paths`);
      for (const p of paths) {
        const operation = doc.paths[p]?.[method];
        if (operation === undefined) {
          missing.push(`${route}: no operation ${method.toUpperCase()} ${p}`);
          continue;
        }
        const success = Object.entries(operation.responses as Record<string, { content?: Record<string, { schema?: object }> }>).filter(
          ([status]) => status.startsWith('2'),
        );
        const schemas = success.flatMap(([, response]) => Object.values(response.content ?? {}).map((media) => media.schema));
        if (schemas.length === 0 || schemas.some((schema) => schema === undefined || Object.keys(schema).length === 0))
          missing.push(`${route}: ${p} has no success answer schema`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('makes at least one real request to every route of the access table', () => {
    const calls = CALLS();
    expect(Object.keys(ROUTE_ACCESS).filter((route) => calls[route] === undefined)).toEqual([]);
    expect(Object.keys(calls).filter((route) => ROUTE_ACCESS[route] === undefined)).toEqual([]);
  });

  it('validates the real answers, errors included, against the document', async () => {
    const calls = CALLS();
    const failures: string[] = [];
    for (const [route, list] of Object.entries(calls)) {
      for (const [call, status] of list) failures.push(...check(route, await call(), status, call.command));
    }
    expect(failures).toEqual([]);
  });

  it('a wrong answer fails the check (the validation can fail)', async () => {
    const position = await app.http.get(`${books}/position`);
    expect(check('GET /v1/books/:bookId/position', position, 200)).toEqual([]);
    const tampered = { ...position, body: { ...position.body, holdings: { ...position.body.holdings, btc: 1015.3 } } };
    expect(check('GET /v1/books/:bookId/position', tampered, 200).join()).toMatch(/holdings\/btc must be string/);
    const extra = { ...position, body: { ...position.body, surprise: true } };
    expect(check('GET /v1/books/:bookId/position', extra, 200).join()).toMatch(/additional properties/);
    const events = await app.http.get(`${books}/events`);
    const sale = events.body.events.find((event: { type: string }) => event.type === 'BtcSold');
    const wrongData = {
      ...events,
      body: { ...events.body, events: [{ ...sale, data: { ...sale.data, wallet: undefined, proceedsUsd: '12.5' } }] },
    };
    expect(check('GET /v1/books/:bookId/events', wrongData, 200)).not.toEqual([]);
  });
});
