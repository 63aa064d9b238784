import { request } from 'node:http';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import * as E from 'fp-ts/Either';
import { GENESIS_HASH, toEventsToAppend } from '@treasury/application';
import type { EventToAppend } from '@treasury/event-store';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { startTestApp, TestApp } from '@treasury/test-support';
import { buildSyntheticBook } from '../../apps/bench/src/synthetic-book';

/** A raw HTTP/1.1 exchange over a socket: what the client reads, and how the connection ended. */
const rawExchange = (baseUrl: string, send: (socket: ReturnType<typeof connect>) => void, timeoutMs = 10_000) =>
  new Promise<{ text: string; ended: 'close' | string; ms: number }>((resolve) => {
    const { hostname, port } = new URL(baseUrl);
    const started = performance.now();
    const socket = connect(Number(port), hostname);
    let text = '';
    let settled = false;
    const done = (ended: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, ended, ms: performance.now() - started });
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.on('close', () => done('close'));
    socket.on('connect', () => send(socket));
  });

/** POSTs raw bytes with the given headers; resolves with the status and body, or the socket error. */
const postBytes = (app: TestApp, path: string, body: Buffer, headers: Record<string, string>) =>
  new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
    const req = request(
      `${app.http.baseUrl}${path}`,
      { method: 'POST', headers: { ...app.http.headers, 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const expectProblem = (answer: { status: number; contentType: string; body: unknown }, status: number) => {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toContain('application/problem+json');
  const body = typeof answer.body === 'string' ? JSON.parse(answer.body) : answer.body;
  expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  return body;
};

const price = { effectiveAt: '2026-01-31T00:00:00Z', usdPerBtc: '95000.00' };

describe('HTTP safety defaults', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });
    await app.http.accepted('acme', 'record-mining-output', {
      effectiveAt: '2026-01-10T00:00:00Z',
      wallet: 'cold',
      btc: '10',
      usdPerBtc: '90000.00',
    });
  });
  afterAll(() => app.dispose());

  describe('security headers and CORS', () => {
    it('sends helmet headers and no x-powered-by on answers and problems alike', async () => {
      for (const path of ['/v1/books/acme/position', '/v1/books/nobody/position']) {
        const answer = await app.http.get(path);
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(answer.headers.get('strict-transport-security')).toContain('max-age=');
        expect(answer.headers.get('x-powered-by')).toBeNull();
      }
    });

    it('sends no CORS headers unless origins are configured', async () => {
      const answer = await app.http.get('/v1/books/acme/position', { origin: 'https://evil.example' });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('allows exactly the configured origins', async () => {
      const cors = await startTestApp(undefined, { http: { corsOrigins: ['https://treasury.example.com'] } });
      try {
        const allowed = await cors.http.get('/v1/books/acme/events', { origin: 'https://treasury.example.com' });
        expect(allowed.headers.get('access-control-allow-origin')).toBe('https://treasury.example.com');
        // A browser client may read the request id (to quote it in a support ticket) and send its own.
        expect(allowed.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
        const other = await cors.http.get('/v1/books/acme/events', { origin: 'https://evil.example' });
        expect(other.headers.get('access-control-allow-origin')).toBeNull();
        const preflight = await fetch(`${cors.http.baseUrl}/v1/books/acme/commands/open-book`, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://treasury.example.com',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type',
          },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
        expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Request-Id');
      } finally {
        await cors.dispose();
      }
    });
  });

  describe('request size', () => {
    it('refuses a body over 1 MB with a 413 problem, also when it only grows that big decompressed', async () => {
      const big = Buffer.from(JSON.stringify({ ...price, memo: 'x'.repeat(1_100_000) }));
      expectProblem(await postBytes(app, '/v1/books/acme/commands/record-btc-price', big, {}), 413);
      const bomb = gzipSync(big);
      expect(bomb.length).toBeLessThan(10_000);
      expectProblem(await postBytes(app, '/v1/books/acme/commands/record-btc-price', bomb, { 'content-encoding': 'gzip' }), 413);
    });

    it.each([40, 70, 1024])('answers %i KB of headers with a 431 problem the client reads (no reset)', async (kb) => {
      const { text, ended } = await rawExchange(app.http.baseUrl, (socket) =>
        socket.write(`GET /v1/books/acme/position HTTP/1.1\r\nHost: localhost\r\nX-Filler: ${'a'.repeat(kb * 1024)}\r\n\r\n`),
      );
      expect(ended).toBe('close');
      expect(text).toMatch(/^HTTP\/1\.1 431 /);
      expect(text).toContain('content-type: application/problem+json'.replace('content-type', 'Content-Type'));
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431, title: 'Request headers too large' });
    });

    it('answers 431 through fetch too, and the server goes on answering', async () => {
      const answer = await fetch(`${app.http.baseUrl}/v1/books/acme/position`, {
        headers: { ...app.http.headers, 'x-filler': 'a'.repeat(70 * 1024) },
      });
      expect(answer.status).toBe(431);
      expect(await answer.json()).toMatchObject({ status: 431 });
      expect((await app.http.get('/v1/books/acme/position')).status).toBe(200);
    });

    it('refuses a request target over 8 KB with 414, a long parameter or too many with 400 naming them', async () => {
      expectProblem(await app.http.get(`/v1/books/acme/events?actor=${'a'.repeat(9 * 1024)}`), 414);
      const long = expectProblem(await app.http.get(`/v1/books/acme/events?actor=${'a'.repeat(2 * 1024)}`), 400);
      expect(long.errors).toEqual([{ path: 'query.actor', message: expect.stringContaining('longer than') }]);
      const many = expectProblem(
        await app.http.get(`/v1/books/acme/events?${Array.from({ length: 40 }, (_, i) => `p${i}=1`).join('&')}`),
        400,
      );
      expect(many.errors[0].path).toBe('query');
    });
  });

  describe('slow clients', () => {
    it('cuts off a client that sends its headers too slowly (slowloris) with a 408, while others are answered', async () => {
      const slow = await startTestApp(undefined, { http: { headersTimeoutMs: 600, requestTimeoutMs: 2_000 } });
      try {
        const dripping = rawExchange(slow.http.baseUrl, (socket) => {
          socket.write('GET /v1/books/acme/position HTTP/1.1\r\nHost: localhost\r\n');
          let n = 0;
          const drip = setInterval(() => {
            if (socket.destroyed) return clearInterval(drip);
            socket.write(`X-Slow-${n++}: a\r\n`);
          }, 100);
        });
        // Meanwhile ordinary requests are answered at once.
        for (let i = 0; i < 5; i++) {
          const started = performance.now();
          expect((await slow.http.get('/health')).status).toBe(200);
          expect(performance.now() - started).toBeLessThan(200);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const { text, ended, ms } = await dripping;
        expect(ended).toBe('close');
        expect(text).toMatch(/^HTTP\/1\.1 408 /);
        expect(ms).toBeGreaterThanOrEqual(600);
        expect(ms).toBeLessThan(3_000);
      } finally {
        await slow.dispose();
      }
    });
  });

  describe('rate limits per principal', () => {
    it('answers 429 with Retry-After past the limit, per credential, and never for /health', async () => {
      const limited = await startTestApp(undefined, { http: { rateLimitPerMinute: 5 } });
      try {
        for (let i = 0; i < 5; i++) expect((await limited.http.get('/v1/books/acme/events')).status).not.toBe(429);
        const refused = await limited.http.get('/v1/books/acme/events');
        expectProblem(refused, 429);
        const retryAfter = Number(refused.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(60);
        // Another credential (here, none: the client address) has its own allowance.
        expect((await limited.http.as(undefined).get('/v1/books/acme/events')).status).not.toBe(429);
        expect((await limited.http.as('another-credential').get('/v1/books/acme/events')).status).not.toBe(429);
        for (let i = 0; i < 10; i++) expect((await limited.http.get('/health')).status).not.toBe(429);
      } finally {
        await limited.dispose();
      }
    });
  });

  describe('duplicate JSON keys', () => {
    const sale = '"effectiveAt":"2026-01-15T00:00:00Z","wallet":"cold","proceedsUsd":"95000.00"';
    it.each([
      ['a repeated key (the last used to win: 1000000 BTC became 1 satoshi)', `{${sale},"btc":"1000000","btc":"0.00000001"}`, 'btc'],
      ['a key repeated through a \\u escape', `{${sale},"btc":"1","\\u0062tc":"2"}`, 'btc'],
      ['a repeat in a nested object', `{${sale},"btc":"1","memo":{"a":1,"a":2}}`, 'memo.a'],
    ])('refuses %s with a 400 naming its path, and writes nothing', async (_case, body, path) => {
      const before = await app.http.eventCount('acme');
      const answer = expectProblem(await app.http.command('acme', 'record-btc-sale', body), 400);
      expect(answer.errors).toEqual([{ path, message: expect.stringContaining('more than once') }]);
      expect(await app.http.eventCount('acme')).toBe(before);
    });
  });

  describe('Content-Encoding', () => {
    const body = Buffer.from(JSON.stringify(price));
    it.each([
      ['gzip', gzipSync(body)],
      ['deflate', deflateSync(body)],
      ['br', brotliCompressSync(body)],
      ['GZIP', gzipSync(body)],
    ])('accepts a valid %s body', async (encoding, bytes) => {
      const answer = await postBytes(app, '/v1/books/acme/commands/record-btc-price', bytes, { 'content-encoding': encoding });
      expect(answer.status).toBe(201);
    });

    it.each(['gzip', 'deflate', 'br'])('refuses plain bytes labelled %s with a 400, never a 500', async (encoding) => {
      const before = await app.http.eventCount('acme');
      const answer = expectProblem(
        await postBytes(app, '/v1/books/acme/commands/record-btc-price', body, { 'content-encoding': encoding }),
        400,
      );
      expect(answer.errors).toEqual([{ path: 'headers.content-encoding', message: expect.any(String) }]);
      expect(await app.http.eventCount('acme')).toBe(before);
    });

    it.each(['compress', 'zstd', 'x-unknown', 'gzip, br'])('refuses the unsupported encoding %j with a 415', async (encoding) => {
      expectProblem(await postBytes(app, '/v1/books/acme/commands/record-btc-price', body, { 'content-encoding': encoding }), 415);
    });
  });

  describe('CSV export and formulas', () => {
    it('neutralises text cells a spreadsheet would run, and leaves numbers alone', async () => {
      const formula = '=HYPERLINK("https://evil.example","statement")';
      await app.http.accepted('acme', 'record-cash-movement', {
        effectiveAt: '2026-01-19T00:00:00Z',
        cashAccount: 'operating',
        amountUsd: '200000.00',
        category: 'capital',
      });
      await app.http.accepted('acme', 'record-cash-movement', {
        effectiveAt: '2026-01-20T00:00:00Z',
        cashAccount: 'operating',
        amountUsd: '-125000.00',
        category: '@SUM(A1:A9)',
        reference: formula,
        memo: '+cmd',
      });
      const csv = await app.http.get('/v1/books/acme/events.csv?type=CashMoved');
      expect(csv.status).toBe(200);
      const rows: string[] = csv.body.trim().split('\r\n');
      const row = rows.find((line) => line.includes('HYPERLINK'));
      expect(row).toBeDefined();
      // The reference cell is quoted (it has quotes and commas) and starts with an apostrophe.
      expect(row).toContain(`"'=HYPERLINK(""https://evil.example"",""statement"")"`);
      expect(row).not.toMatch(/,"?=/);
      // The data column is JSON: it starts with "{", and the amount inside it is unchanged.
      expect(row).toContain('""amountUsd"":""-125000.00""');
    });
  });

  describe('explain with no price, and unknown figures', () => {
    let bare: TestApp;
    beforeAll(async () => {
      bare = await startTestApp();
      await bare.http.accepted('bare', 'open-book', { name: 'Bare', effectiveAt: '2025-01-01T00:00:00Z' });
      await bare.http.accepted('bare', 'record-mining-output', {
        effectiveAt: '2026-01-10T00:00:00Z',
        wallet: 'cold',
        btc: '10',
        usdPerBtc: '90000.00',
      });
      await bare.http.accepted('bare', 'draw-loan', {
        effectiveAt: '2026-01-11T00:00:00Z',
        loanId: 'loan-a',
        lender: 'Two Prime',
        principalUsd: '100000.00',
        annualRate: '0.09',
        marginCallLtv: '0.7',
        liquidationLtv: '0.8',
      });
      await bare.http.accepted('bare', 'pledge-collateral', {
        effectiveAt: '2026-01-12T00:00:00Z',
        loanId: 'loan-a',
        wallet: 'cold',
        btc: '4',
      });
    });
    afterAll(() => bare.dispose());

    const explain = (figure: string) => bare.http.get(`/v1/books/bare/position/explain?figure=${encodeURIComponent(figure)}`);

    it('answers price.usdPerBtc with a null value and no source', async () => {
      const answer = await explain('price.usdPerBtc');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ kind: 'observation', value: null, source: null });
    });

    it.each(['price.effectiveAt', 'price.x', 'price', 'price.usdPerBtc.x'])(
      'refuses %s (not a figure) with a 400 naming query.figure, not a 500',
      async (figure) => {
        const answer = await explain(figure);
        expect([answer.status, answer.body.errors?.[0]?.path]).toEqual([400, 'query.figure']);
      },
    );

    it('answers every figure family with no price: price-dependent figures are null; unknown names are 400s', async () => {
      const known = [
        'holdings.btc',
        'holdings.pledgedBtc',
        'holdings.unencumberedBtc',
        'holdings.wallets.cold.btc',
        'holdings.wallets.cold.pledgedBtc',
        'holdings.wallets.nowhere.btc',
        'costBasis.totalUsd',
        'costBasis.realizedGainUsd',
        'costBasis.unrealizedGainUsd',
        'cash.totalUsd',
        'cash.accounts.operating',
        'cash.accounts.none',
        'loans.loan-a.principalUsd',
        'loans.loan-a.accruedInterestUsd',
        'loans.loan-a.outstandingUsd',
        'loans.loan-a.pledgedBtc',
        'loans.loan-a.ltv',
        'loans.loan-a.marginCallLtv',
        'loans.loan-a.liquidationLtv',
        'loans.loan-a.marginCallPriceUsd',
        'loans.loan-a.liquidationPriceUsd',
        'leverage.totalDebtUsd',
        'leverage.totalAssetsUsd',
        'leverage.netDebtUsd',
        'leverage.debtToAssets',
        'leverage.aggregateLtv',
        'liquidity.cashUsd',
        'liquidity.unencumberedBtcValueUsd',
        'liquidity.availableLiquidityUsd',
      ];
      const unknown = [
        'x',
        'x.y',
        'holdings',
        'holdings.wallets',
        'holdings.x',
        'loans.none.ltv',
        'loans..ltv',
        'loans.loan-a',
        'cash.accounts',
        'asOf',
        'version.x',
        '__proto__.x',
        'constructor.name',
        'holdings.constructor',
        'holdings.__proto__',
        'toString',
        'leverage.hasOwnProperty',
      ];
      for (const figure of known) expect([figure, (await explain(figure)).status]).toEqual([figure, 200]);
      for (const figure of unknown) expect([figure, (await explain(figure)).status]).toEqual([figure, 400]);
      for (const figure of [
        'costBasis.unrealizedGainUsd',
        'leverage.totalAssetsUsd',
        'leverage.debtToAssets',
        'loans.loan-a.ltv',
        'liquidity.availableLiquidityUsd',
      ]) {
        expect([figure, (await explain(figure)).body.value]).toEqual([figure, null]);
      }
    });
  });
});

/** Bulk-appends a synthetic book through the store (as the bench does): real decider, real hash chain. */
const appendSyntheticBook = async (dbPath: string, bookId: string, years: number): Promise<number> => {
  const store = new SqliteEventStore(dbPath);
  const events: EventToAppend[] = [];
  let lastHash = GENESIS_HASH;
  buildSyntheticBook({ years, seed: 7 }, (decided, eventId, revision) => {
    const metadata = {
      recordedAt: decided.recordedAt,
      command: decided.command,
      commandId: eventId,
      actor: 'bulk',
      correlationId: eventId,
      causationId: eventId,
    };
    const sealed = toEventsToAppend(bookId, revision, lastHash, [{ eventId, event: decided.event }], metadata);
    lastHash = sealed.lastHash;
    events.push(sealed.events[0]!);
  });
  let expected: number | 'no-stream' = 'no-stream';
  for (let start = 0; start < events.length; start += 5_000) {
    const appended = await store.append(`book-${bookId}`, events.slice(start, start + 5_000), expected)();
    if (E.isLeft(appended)) throw new Error(JSON.stringify(appended.left));
    expected = appended.right.revision;
  }
  await store.close();
  return events.length;
};

describe('heavy reads do not block other requests', () => {
  // No wall-clock bound here (a shared CI machine makes any such bound flaky; timings live in the
  // bench): a heavy read that held the event loop from start to end would let /health answer once, after
  // it; one that works in slices lets it answer again and again while it is still in flight.
  let app: TestApp;
  let count: number;

  beforeAll(async () => {
    const first = await startTestApp();
    await first.stop();
    count = await appendSyntheticBook(first.dbPath, 'big', 0.5);
    app = await first.restart();
  }, 120_000);
  afterAll(() => app.dispose());

  /** Streams a GET to its end, counting bytes and lines, while /health is asked every few ms. */
  const whileHealthPolled = async (path: string) => {
    const latencies: number[] = [];
    let finished = false;
    const heavy = new Promise<{ status: number; lines: number }>((resolve, reject) => {
      request(`${app.http.baseUrl}${path}`, { headers: app.http.headers }, (res) => {
        let lines = 0;
        res.on('data', (chunk: Buffer) => {
          for (const byte of chunk) if (byte === 0x0a) lines += 1;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, lines }));
      })
        .on('error', reject)
        .end();
    }).finally(() => (finished = true));
    while (!finished) {
      const started = performance.now();
      expect((await app.http.get('/health')).status).toBe(200);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { ...(await heavy), latencies };
  };

  it.each([
    ['CSV export', '/v1/books/big/events.csv', 1],
    ['JSON Lines export', '/v1/books/big/events.jsonl', 0],
  ])('%s of a 50,000-event book: /health keeps answering while it streams', async (_name, path, headerLines) => {
    expect(count).toBeGreaterThan(50_000);
    const { status, lines, latencies } = await whileHealthPolled(path);
    expect(status).toBe(200);
    expect(lines).toBe(count + headerLines);
    expect(latencies.length).toBeGreaterThan(5);
  });

  // Figures with tens of thousands of contributing events (a figure with few is over too soon to tell).
  it.each(['holdings.btc', 'costBasis.totalUsd', 'costBasis.realizedGainUsd'])(
    'explain %s: /health keeps answering while it is worked out',
    async (figure) => {
      const { status, latencies } = await whileHealthPolled(`/v1/books/big/position/explain?figure=${figure}&limit=10000`);
      expect(status).toBe(200);
      expect(latencies.length).toBeGreaterThanOrEqual(3);
    },
  );
});
