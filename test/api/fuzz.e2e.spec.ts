import Database from 'better-sqlite3';
import fc from 'fast-check';
import { ClosedObjectType, bookCommandCodecs } from '@treasury/domain';
import type * as t from 'io-ts';
import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * Fuzz over HTTP: random bodies for every command (built from each codec's own field names, with
 * values that are valid-looking, at the edges, or junk) and random parameters for every query. No
 * answer is a 5xx, and a refused command writes nothing. 10,000 requests in all.
 */
const COMMAND_RUNS = 6_000;
const QUERY_RUNS = 4_000;

const QUERY_ROUTES: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ['/v1/books/fuzz/position', ['asOf', 'knownAt', 'minLogPosition']],
  ['/v1/books/fuzz/position/series', ['from', 'to', 'every', 'knownAt', 'minLogPosition']],
  ['/v1/books/fuzz/position/explain', ['figure', 'asOf', 'knownAt', 'minLogPosition', 'after', 'limit']],
  ['/v1/books/fuzz/lots', ['asOf', 'knownAt', 'minLogPosition']],
  ['/v1/books/fuzz/disposals', ['from', 'to', 'knownAt', 'minLogPosition']],
  ['/v1/books/fuzz/reconciliation', ['knownAt', 'minLogPosition']],
  ['/v1/books/fuzz/reports/month-end', ['from', 'to', 'knownAt', 'minLogPosition']],
  [
    '/v1/books/fuzz/events',
    ['after', 'limit', 'type', 'effectiveFrom', 'effectiveTo', 'recordedFrom', 'recordedTo', 'actor', 'reference', 'loanId', 'wallet'],
  ],
  ['/v1/books/fuzz/events.csv', ['type', 'wallet', 'effectiveFrom']],
  ['/v1/books/fuzz/verify', []],
  ['/v1/books/fuzz/proposals', []],
  ['/v1/access/events', ['after', 'limit']],
  ['/v1/books/nobody/position', ['asOf']],
];

const instant = fc.oneof(
  fc
    .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2300-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-01-31T23:59:59Z',
    '2025-06-30T00:00:00+02:00',
    '0099-01-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-01-31',
    '2026-01',
    'now',
  ),
);
const decimal = fc.oneof(
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((n) => n.toString()),
  fc.tuple(fc.nat({ max: 100_000_000 }), fc.nat({ max: 99_999_999 })).map(([a, b]) => `${a}.${b}`),
  fc.constantFrom(
    '21000000',
    '21000000.00000001',
    '10000000000.00',
    '10000000000.01',
    '0',
    '-0',
    '1e3',
    '0x10',
    ' 1',
    '1.',
    '.5',
    '50000000000',
  ),
);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('=HYPERLINK("x")', 'a\u202eb', 'x\u200b', '\ud800', 'cold', 'operating', 'l1'),
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: decimal },
  { weight: 3, arbitrary: instant },
  { weight: 3, arbitrary: text },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.integer() },
);

type AnyClosed = ClosedObjectType<t.Props, t.Props>;
const fieldsOf = (name: string): ReadonlyArray<string> => {
  const codec = (bookCommandCodecs as Record<string, unknown>)[name] as AnyClosed | undefined;
  return codec === undefined ? ['btc'] : [...Object.keys(codec.required), ...Object.keys(codec.optional)];
};

const commandRequest = fc.constantFrom(...Object.keys(bookCommandCodecs), 'no-such-command', 'open-book').chain((command) =>
  fc.record({
    command: fc.constant(command),
    body: fc.oneof(
      {
        weight: 12,
        arbitrary: fc.dictionary(
          fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...fieldsOf(command)) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
          anyValue,
          { maxKeys: 10 },
        ),
      },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    ),
    headers: fc.record(
      {
        'idempotency-key': fc.oneof(fc.string({ maxLength: 20 }), fc.constant('k'.repeat(300))),
        'if-match': fc.oneof(fc.constant('"3"'), fc.string({ maxLength: 6 })),
        'x-actor': fc.string({ maxLength: 20 }),
      },
      { requiredKeys: [] },
    ),
  }),
);

const queryRequest = fc.constantFrom(...QUERY_ROUTES).chain(([path, names]) =>
  fc.record({
    path: fc.constant(path),
    params: fc.array(
      fc.tuple(
        fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...names, 'asOf') }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }),
        fc.oneof(instant, decimal, text, fc.constantFrom('1d', '1mo', 'holdings.btc', 'price.usdPerBtc', '__proto__.x', 'loans.l1.ltv')),
      ),
      { maxLength: 5 },
    ),
  }),
);

/** Keeps only the characters a header can carry, as a real client must. */
const headerSafe = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '')]));

describe('fuzz: no request is a 5xx, and a refused command writes nothing', () => {
  let app: TestApp;
  let db: Database.Database;
  const eventCount = () => (db.prepare("SELECT COUNT(*) AS n FROM events WHERE stream = 'book-fuzz'").get() as { n: number }).n;

  beforeAll(async () => {
    app = await startTestApp(undefined, { http: { rateLimitPerMinute: 0 } });
    await app.http.accepted('fuzz', 'open-book', { name: 'Fuzz', effectiveAt: '2025-01-01T00:00:00Z' });
    await app.http.accepted('fuzz', 'record-mining-output', {
      effectiveAt: '2025-06-30T00:00:00Z',
      wallet: 'cold',
      btc: '1000',
      usdPerBtc: '100000.00',
    });
    await app.http.accepted('fuzz', 'draw-loan', {
      effectiveAt: '2025-07-01T00:00:00Z',
      loanId: 'l1',
      lender: 'L',
      principalUsd: '1000000.00',
      annualRate: '0.08',
      marginCallLtv: '0.7',
      liquidationLtv: '0.85',
    });
    db = new Database(app.dbPath, { readonly: true });
  });
  afterAll(async () => {
    db.close();
    await app.dispose();
  });

  it(`${COMMAND_RUNS} random commands`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(commandRequest, async ({ command, body, headers }) => {
        const before = eventCount();
        const answer = await app.http.command('fuzz', command, body, headerSafe(headers));
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status).toBeLessThan(500);
        if (answer.status !== 201) {
          expect(answer.contentType).toMatch(/^application\/problem\+json/);
          expect(eventCount()).toBe(before);
        }
      }),
      { numRuns: COMMAND_RUNS },
    );
    // The fuzz must reach both sides: some accepted, most refused, for a reason each.
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
  });

  it(`${QUERY_RUNS} random queries`, async () => {
    const before = eventCount();
    await fc.assert(
      fc.asyncProperty(queryRequest, async ({ path, params }) => {
        const query = new URLSearchParams(params.map(([k, v]): [string, string] => [k, String(v)])).toString();
        const answer = await app.http.get(query === '' ? path : `${path}?${query}`);
        expect([path, query, answer.status < 500]).toEqual([path, query, true]);
      }),
      { numRuns: QUERY_RUNS },
    );
    expect(eventCount()).toBe(before);
  });
});
