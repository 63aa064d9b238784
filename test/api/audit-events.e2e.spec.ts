import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * Audit reads over HTTP: every filter of GET …/events, pagination across page boundaries, reversal
 * links both ways, one event by id, and the JSON Lines and CSV exports.
 */
describe('audit queries over the log', () => {
  let app: TestApp;
  const id: Record<string, string> = {};
  let treasurerKey: { key: string; keyPrefix: string };
  const send = async (
    name: string,
    recordedAt: string,
    command: string,
    body: Record<string, unknown>,
    as: 'admin' | 'treasurer' = 'admin',
  ) => {
    app.clock.set(recordedAt);
    const client = as === 'treasurer' ? app.http.as(treasurerKey.key) : app.http;
    id[name] = (await client.accepted('audit', command, body)).events[0].eventId;
  };
  const listed = async (query: string) => {
    const response = await app.http.get(`/v1/books/audit/events?${query}`);
    if (response.status !== 200) throw new Error(`${query}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.events as Array<{
      eventId: string;
      type: string;
      revision: number;
      reverses: string | null;
      reversedBy: { eventId: string } | null;
    }>;
  };
  const names = (events: ReadonlyArray<{ eventId: string }>) => events.map((e) => Object.keys(id).find((k) => id[k] === e.eventId));

  beforeAll(async () => {
    app = await startTestApp();
    app.clock.set('2026-01-01T00:00:00Z');
    treasurerKey = (await app.http.post('/v1/admin/api-keys', { name: 'treasurer@acme', role: 'treasurer', books: ['audit'] })).body;
    const treasurer = 'treasurer' as const;
    await send('open', '2026-01-01T00:00:00Z', 'open-book', { name: 'Audit', effectiveAt: '2026-01-01T00:00:00Z' });
    await send('minedJan', '2026-02-01T09:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-31T00:00:00Z',
      wallet: 'pool',
      btc: '496.35',
      usdPerBtc: '84000.00',
      reference: 'pool-2026-01',
    });
    await send(
      'soldJan',
      '2026-02-01T10:00:00Z',
      'record-btc-sale',
      { effectiveAt: '2026-01-31T12:00:00Z', wallet: 'pool', btc: '50', proceedsUsd: '4200000.00', reference: 'otc-17' },
      treasurer,
    );
    await send('sweep', '2026-02-02T00:00:00Z', 'transfer-btc', {
      effectiveAt: '2026-02-02T00:00:00Z',
      fromWallet: 'pool',
      toWallet: 'cold',
      btc: '400',
      feeBtc: '0.0001',
    });
    await send('price', '2026-02-03T00:00:00Z', 'record-btc-price', { effectiveAt: '2026-02-03T00:00:00Z', usdPerBtc: '70000.00' });
    await send(
      'loan',
      '2026-02-04T00:00:00Z',
      'draw-loan',
      {
        effectiveAt: '2026-02-04T00:00:00Z',
        loanId: 'l1',
        lender: 'Lender',
        principalUsd: '10000000.00',
        annualRate: '0.08',
        marginCallLtv: '0.7',
        liquidationLtv: '0.85',
      },
      treasurer,
    );
    await send(
      'pledge',
      '2026-02-04T01:00:00Z',
      'pledge-collateral',
      { effectiveAt: '2026-02-04T01:00:00Z', loanId: 'l1', wallet: 'cold', btc: '300' },
      treasurer,
    );
    await send('interest', '2026-02-28T00:00:00Z', 'accrue-interest', {
      effectiveAt: '2026-02-28T00:00:00Z',
      loanId: 'l1',
      interestUsd: '61369.86',
    });
    await send('minedFebWrong', '2026-03-01T09:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-02-28T23:59:59Z',
      wallet: 'pool',
      btc: '4500',
      usdPerBtc: '70000.00',
      reference: 'pool-2026-02',
    });
    await send(
      'reversal',
      '2026-03-01T10:00:00Z',
      'reverse-event',
      { eventId: id.minedFebWrong, reason: 'typo: 450.0, not 4500' },
      treasurer,
    );
    await send('minedFeb', '2026-03-01T10:01:00Z', 'record-mining-output', {
      effectiveAt: '2026-02-28T23:59:59Z',
      wallet: 'pool',
      btc: '450',
      usdPerBtc: '70000.00',
      reference: 'pool-2026-02',
    });
  });
  afterAll(() => app.dispose());

  it('filters by type (one or several), effective and recorded time, actor, reference, loan and wallet', async () => {
    expect(names(await listed('type=MiningOutputReceived'))).toEqual(['minedJan', 'minedFebWrong', 'minedFeb']);
    expect(names(await listed('type=BtcSold,BtcTransferred'))).toEqual(['soldJan', 'sweep']);
    expect(names(await listed('effectiveFrom=2026-02-28T00:00:00Z&effectiveTo=2026-02-28T23:59:59Z'))).toEqual([
      'interest',
      'minedFebWrong',
      'minedFeb',
    ]);
    expect(names(await listed('effectiveTo=2026-01-31T11:59:59Z'))).toEqual(['open', 'minedJan']);
    expect(names(await listed('recordedFrom=2026-03-01T00:00:00Z'))).toEqual(['minedFebWrong', 'reversal', 'minedFeb']);
    expect(names(await listed('recordedFrom=2026-02-01T09:00:00Z&recordedTo=2026-02-01T10:00:00Z'))).toEqual(['minedJan', 'soldJan']);
    expect(names(await listed(`actor=key%3A${treasurerKey.keyPrefix}`))).toEqual(['soldJan', 'loan', 'pledge', 'reversal']);
    expect(names(await listed('reference=pool-2026-02'))).toEqual(['minedFebWrong', 'minedFeb']);
    expect(names(await listed('loanId=l1'))).toEqual(['loan', 'pledge', 'interest']);
    expect(names(await listed('wallet=cold'))).toEqual(['sweep', 'pledge']);
    expect(names(await listed('wallet=pool&type=MiningOutputReceived&recordedTo=2026-02-28T00:00:00Z'))).toEqual(['minedJan']);
    expect(await listed('actor=nobody')).toEqual([]);
  });

  it('pages across page boundaries in a stable order, with and without a filter', async () => {
    const everything = await listed('');
    expect(everything.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const [query, limit] of [
      ['', 3],
      ['', 11],
      ['type=MiningOutputReceived', 2],
      ['wallet=pool', 1],
    ] as const) {
      const pages: Array<ReadonlyArray<{ eventId: string }>> = [];
      let after: number | null = null;
      do {
        const response = await app.http.get(
          `/v1/books/audit/events?limit=${limit}${query === '' ? '' : `&${query}`}${after === null ? '' : `&after=${after}`}`,
        );
        expect(response.body.events.length).toBeLessThanOrEqual(limit);
        pages.push(response.body.events);
        after = response.body.next;
      } while (after !== null);
      expect(pages.flat().map((e) => e.eventId)).toEqual((await listed(query)).map((e) => e.eventId));
      expect(pages.at(-1)!.length).toBeGreaterThan(0);
    }
  });

  it('links a reversal and its target both ways, and lists the correction after them', async () => {
    const events = await listed('reference=pool-2026-02');
    expect(events.map((e) => e.reversedBy?.eventId ?? null)).toEqual([id.reversal, null]);
    const [reversal] = await listed('type=EventReversed');
    expect(reversal).toMatchObject({ eventId: id.reversal, reverses: id.minedFebWrong, reversedBy: null });
  });

  it('finds one event by id across books, with its hash and the previous hash', async () => {
    const found = await app.http.get(`/v1/events/${id.minedFebWrong}`);
    expect(found.status).toBe(200);
    const previous = await app.http.get(`/v1/events/${id.interest}`);
    expect(found.body).toMatchObject({
      bookId: 'audit',
      eventId: id.minedFebWrong,
      revision: 8,
      type: 'MiningOutputReceived',
      reversedBy: { eventId: id.reversal },
    });
    expect(found.body.previousHash).toBe(previous.body.hash);
    expect(found.body.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await app.http.get('/v1/events/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('exports the same filtered events as JSON Lines and CSV', async () => {
    const jsonl = await fetch(`${app.http.baseUrl}/v1/books/audit/events.jsonl?wallet=pool`, { headers: app.http.headers });
    expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await jsonl.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(await listed('wallet=pool'));

    const csv = await fetch(`${app.http.baseUrl}/v1/books/audit/events.csv?type=BtcSold`, { headers: app.http.headers });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = (await csv.text()).split('\r\n');
    expect(rows[0]).toBe(
      'revision,logPosition,eventId,type,effectiveAt,recordedAt,actor,commandId,reference,reverses,reversedBy,hash,data,amends,amendedBy,migrated',
    );
    expect(rows[1]).toMatch(
      new RegExp(
        `^2,\\d+,${id.soldJan},BtcSold,2026-01-31T12:00:00.000Z,2026-02-01T10:00:00.000Z,key:${treasurerKey.keyPrefix},[0-9a-f-]{36},otc-17,,,[0-9a-f]{64},"\\{""wallet"":""pool"",""btc"":""50.00000000""`,
      ),
    );
    expect(rows.slice(2)).toEqual(['']);
  });

  it('refuses bad filters with each failing parameter named, and unknown books with 404', async () => {
    const bad = await app.http.get(
      '/v1/books/audit/events?type=Minted&effectiveFrom=2026-01-32T00:00:00Z&limit=1001&recordedFrom=2026-02-02T00:00:00Z&recordedTo=2026-02-01T00:00:00Z',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'query.effectiveFrom',
      'query.limit',
      'query.recordedTo',
      'query.type',
    ]);
    const filters = await app.http.get(
      '/v1/books/audit/events?type=Minted&effectiveFrom=2026-01-32T00:00:00Z&recordedFrom=2026-02-02T00:00:00Z&recordedTo=2026-02-01T00:00:00Z',
    );
    expect(filters.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'query.effectiveFrom',
      'query.recordedTo',
      'query.type',
    ]);
    const csv = await fetch(`${app.http.baseUrl}/v1/books/audit/events.csv?wallet=`, { headers: app.http.headers });
    expect([csv.status, csv.headers.get('content-type')]).toEqual([400, expect.stringContaining('application/problem+json')]);
    expect((await app.http.get('/v1/books/nobody/events')).status).toBe(404);
    expect((await fetch(`${app.http.baseUrl}/v1/books/nobody/events.jsonl`, { headers: app.http.headers })).status).toBe(404);
  });
});
