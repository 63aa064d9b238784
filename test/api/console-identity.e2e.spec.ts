import { startTestApp, TestApp } from '@treasury/test-support';

/** GET /v1/me and GET /v1/books: what the web console asks first, for any authenticated principal. */
describe('GET /v1/me and GET /v1/books', () => {
  let app: TestApp;
  let viewer: string;

  beforeAll(async () => {
    app = await startTestApp();
    await app.http.accepted('acme', 'open-book', {
      name: 'Acme Mining Corp.',
      effectiveAt: '2025-06-01T00:00:00Z',
      timeZone: 'America/New_York',
    });
    await app.http.accepted('other', 'open-book', { name: 'Other Co.', effectiveAt: '2025-07-01T00:00:00Z' });
    const created = await app.http.post('/v1/admin/api-keys', { name: 'viewer@acme', role: 'viewer', books: ['acme'] });
    viewer = created.body.key;
  });
  afterAll(() => app.dispose());

  it('says who the caller is, with its grants', async () => {
    const admin = await app.http.get('/v1/me');
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({
      id: expect.stringMatching(/^key:[a-z0-9]{8}$/),
      name: 'bootstrap admin',
      kind: 'api-key',
      grants: [{ role: 'admin', books: '*' }],
    });
    const me = await app.http.as(viewer).get('/v1/me');
    expect(me.body).toMatchObject({ name: 'viewer@acme', kind: 'api-key', grants: [{ role: 'viewer', books: ['acme'] }] });
    // The secret is everything after tek_<prefix>_ (base64url: it may itself hold an underscore).
    const secret = viewer.slice('tek_'.length + 8 + 1);
    expect(secret.length).toBeGreaterThan(40);
    expect(JSON.stringify(me.body)).not.toContain(secret);
  });

  it('lists the books the caller may read, with name, time zone and opening date', async () => {
    const all = await app.http.get('/v1/books');
    expect(all.body).toEqual({
      books: [
        { bookId: 'acme', name: 'Acme Mining Corp.', timeZone: 'America/New_York', openedAt: '2025-06-01T00:00:00.000Z' },
        { bookId: 'other', name: 'Other Co.', timeZone: 'UTC', openedAt: '2025-07-01T00:00:00.000Z' },
      ],
      truncated: false,
    });
    const mine = await app.http.as(viewer).get('/v1/books');
    expect(mine.body.books.map((b: { bookId: string }) => b.bookId)).toEqual(['acme']);
  });

  it('needs credentials', async () => {
    for (const path of ['/v1/me', '/v1/books']) {
      const anonymous = await app.http.as(undefined).get(path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.contentType).toContain('application/problem+json');
    }
  });

  it('serves the console at / without credentials, and nothing else from the file system', async () => {
    const anonymous = app.http.as(undefined);
    const index = await anonymous.get('/');
    // The console is in dist/web once `npm run build` ran (npm test builds first); otherwise a clear 404.
    if (index.status === 200) {
      expect(index.contentType).toContain('text/html');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(String(index.body))?.[1];
      expect(script).toBeDefined();
      const asset = await anonymous.get(script!);
      expect(asset.status).toBe(200);
      expect(asset.contentType).toContain('text/javascript');
      expect(asset.headers.get('content-security-policy')).toContain("script-src 'self'");
    } else {
      expect(index.body).toMatchObject({ status: 404, detail: expect.stringContaining('npm run build') });
    }
    for (const path of ['/assets/..%2F..%2Fpackage.json', '/assets/nothing.js', '/assets/index.html'])
      expect((await anonymous.get(path)).status).toBe(404);
    // The API's own paths are not shadowed by the console.
    expect((await anonymous.get('/health')).status).toBe(200);
    expect((await anonymous.get('/v1/books/acme/position')).status).toBe(401);
  });
});
