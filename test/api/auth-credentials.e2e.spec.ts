import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyLike, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * API keys (revocation and expiry take effect at once, the secret is never shown again) and tokens
 * from an identity provider, whose keys a local JWKS server publishes.
 */
describe('credentials: API keys', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
  });
  afterAll(() => app.dispose());

  it('a revoked key is refused on its very next request; the revocation is in the access log with who did it', async () => {
    const created = await app.http.post('/v1/admin/api-keys', { name: 'ops laptop', role: 'viewer' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'viewer', books: '*', revokedAt: null, key: expect.stringMatching(/^tek_[a-z0-9]{8}_/) });
    const viewer = app.http.as(created.body.key);
    expect((await viewer.get('/v1/books/acme/position')).status).toBe(200);

    const revoked = await app.http.post(`/v1/admin/api-keys/${created.body.keyPrefix}/revoke`, { reason: 'laptop lost' });
    expect([revoked.status, revoked.body.revokedAt]).toEqual([200, '2026-03-01T12:00:00.000Z']);
    const refused = await viewer.get('/v1/books/acme/position');
    expect([refused.status, refused.body.reason]).toEqual([401, 'KeyRevoked']);

    // The listing never shows a secret or its hash; the access log records who revoked it.
    const listing = await app.http.get('/v1/admin/api-keys');
    expect(JSON.stringify(listing.body)).not.toContain(created.body.key.slice(13));
    expect(JSON.stringify(listing.body)).not.toContain('scrypt$');
    const log = await app.http.get('/v1/access/events');
    const revocation = log.body.events.find(
      (e: { type: string; data: { keyPrefix: string } }) => e.type === 'ApiKeyRevoked' && e.data.keyPrefix === created.body.keyPrefix,
    );
    expect(revocation).toMatchObject({ data: { reason: 'laptop lost' }, metadata: { actor: `key:${app.adminKey.slice(4, 12)}` } });
    expect(JSON.stringify(log.body)).not.toContain('scrypt$');
    expect((await app.http.get('/v1/access/verify')).body).toMatchObject({ ok: true, firstBroken: null });
  });

  it('an expired key is refused; an expiry in the past is refused at creation', async () => {
    const created = await app.http.post('/v1/admin/api-keys', { name: 'temp', role: 'viewer', expiresAt: '2026-03-01T13:00:00Z' });
    expect(created.body.expiresAt).toBe('2026-03-01T13:00:00.000Z');
    expect((await app.http.as(created.body.key).get('/v1/books/acme/position')).status).toBe(200);
    app.clock.set('2026-03-01T13:00:00Z');
    const refused = await app.http.as(created.body.key).get('/v1/books/acme/position');
    expect([refused.status, refused.body.reason]).toEqual([401, 'KeyExpired']);
    const past = await app.http.post('/v1/admin/api-keys', { name: 'late', role: 'viewer', expiresAt: '2026-03-01T12:59:00Z' });
    expect([past.status, past.body.errors]).toEqual([400, [{ path: 'expiresAt', message: 'must be in the future' }]]);
    app.clock.set('2026-03-01T12:00:00Z');
  });

  it('a role change applies to the next request; bad bodies name the field', async () => {
    const created = await app.http.post('/v1/admin/api-keys', { name: 'clerk', role: 'viewer', books: ['acme'] });
    const clerk = app.http.as(created.body.key);
    const price = { effectiveAt: '2025-06-30T00:00:00Z', usdPerBtc: '100000.00' };
    expect((await clerk.command('acme', 'record-btc-price', price)).status).toBe(403);
    expect((await app.http.post(`/v1/admin/api-keys/${created.body.keyPrefix}/role`, { role: 'bookkeeper', books: ['acme'] })).status).toBe(
      200,
    );
    expect((await clerk.command('acme', 'record-btc-price', price)).status).toBe(201);
    const bad = await app.http.post('/v1/admin/api-keys', { name: 'x', role: 'owner', books: ['Not A Book'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['books', 'role']);
    expect((await app.http.post('/v1/admin/api-keys/NOPE/revoke', {})).status).toBe(400);
    expect((await app.http.post('/v1/admin/api-keys/zzzzzzzz/revoke', {})).body.rule).toBe('unknown-api-key');
  });

  it("an auditor of one book cannot read another book's event by id (404, as if it did not exist)", async () => {
    const eventId = (await app.http.accepted('acme', 'record-btc-price', { effectiveAt: '2025-06-30T00:00:00Z', usdPerBtc: '90000.00' }))
      .events[0].eventId;
    const elsewhere = (await app.http.post('/v1/admin/api-keys', { name: 'other auditor', role: 'auditor', books: ['other'] })).body.key;
    const here = (await app.http.post('/v1/admin/api-keys', { name: 'acme auditor', role: 'auditor', books: ['acme'] })).body.key;
    expect((await app.http.as(elsewhere).get(`/v1/events/${eventId}`)).status).toBe(404);
    expect((await app.http.as(here).get(`/v1/events/${eventId}`)).body).toMatchObject({ bookId: 'acme', eventId });
  });

  it('keeps keys across a restart (the access log is in the store), and the bootstrap key file is private', async () => {
    const created = await app.http.post('/v1/admin/api-keys', { name: 'survivor', role: 'auditor' });
    const { statSync } = await import('node:fs');
    const { dirname, join } = await import('node:path');
    expect(statSync(join(dirname(app.dbPath), 'admin.key')).mode & 0o777).toBe(0o600);
    app = await app.restart();
    expect((await app.http.as(created.body.key).get('/v1/books/acme/verify')).status).toBe(200);
  });
});

describe('credentials: guessing keys', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp(undefined, { http: { authFailuresPerMinute: 5 } })));
  afterAll(() => app.dispose());

  it('an address that keeps presenting unknown keys is slowed to 429 (each made-up key would dodge the per-credential limit)', async () => {
    const guesses = Array.from({ length: 6 }, (_, i) => `tek_${app.adminKey.slice(4, 12)}_${String(i).repeat(43)}`);
    const statuses = [];
    for (const guess of guesses) statuses.push((await app.http.as(guess).get('/v1/admin/api-keys')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const blocked = await app.http.get('/v1/admin/api-keys');
    expect([blocked.status, Number(blocked.headers.get('retry-after')) > 0]).toEqual([429, true]);
    expect((await app.http.as(undefined).get('/health')).status).toBe(200);
  });
});

describe('credentials: tokens from the identity provider (OIDC/JWT)', () => {
  let app: TestApp;
  let jwks: Server;
  let sign: (claims: Record<string, unknown>, options?: { audience?: string; expiresIn?: string; issuer?: string }) => Promise<string>;
  let foreignSign: (claims: Record<string, unknown>) => Promise<string>;
  const issuer = 'https://id.example.test/';
  let signingKey: KeyLike;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    signingKey = privateKey;
    const foreign = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUri = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    // The token's times follow the test clock's now as jose sees it (the real clock): tokens are made fresh.
    sign = (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-1' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? 'treasury-engine')
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(privateKey);
    foreignSign = (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-1' })
        .setIssuer(issuer)
        .setAudience('treasury-engine')
        .setExpirationTime('5m')
        .sign(foreign.privateKey);
    app = await startTestApp(undefined, {
      auth: { mode: 'on', bootstrapKeyFile: '', oidc: { issuer, audience: 'treasury-engine', jwksUri, rolesClaim: 'treasury_roles' } },
    });
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
  });
  afterAll(async () => {
    await app.dispose();
    jwks.closeAllConnections();
    await new Promise((resolve) => jwks.close(resolve));
  });

  it('accepts a signed token: its subject is the actor, its roles claim the grants (per book or every book)', async () => {
    const token = await sign({ sub: 'alice', email: 'alice@acme.example', treasury_roles: ['bookkeeper:acme', 'viewer', 'owner', 42] });
    const alice = app.http.as(token);
    const recorded = await alice.command('acme', 'record-btc-price', { effectiveAt: '2025-06-30T00:00:00Z', usdPerBtc: '100000.00' });
    expect(recorded.status).toBe(201);
    expect(
      (await alice.command('acme', 'record-btc-sale', { effectiveAt: '2025-06-30T00:00:00Z', wallet: 'w', btc: '1', proceedsUsd: '1.00' }))
        .status,
    ).toBe(403);
    const events = await app.http.allEvents('acme');
    expect(events.at(-1)?.metadata).toMatchObject({ actor: 'oidc:alice', actorName: 'alice@acme.example' });
  });

  it.each([
    ['the wrong audience', () => sign({ sub: 'bob', treasury_roles: ['admin'] }, { audience: 'another-app' })],
    ['another issuer', () => sign({ sub: 'bob', treasury_roles: ['admin'] }, { issuer: 'https://evil.example.test/' })],
    ['an expired token', () => sign({ sub: 'bob', treasury_roles: ['admin'] }, { expiresIn: '-10m' })],
    ['a key the issuer never published', () => foreignSign({ sub: 'bob', treasury_roles: ['admin'] })],
    [
      'a token without an expiry',
      () =>
        new SignJWT({ sub: 'bob', treasury_roles: ['admin'] })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-1' })
          .setIssuer(issuer)
          .setAudience('treasury-engine')
          .sign(signingKey),
    ],
    [
      'an unsigned token (alg none)',
      async () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'bob', iss: issuer, aud: 'treasury-engine', treasury_roles: ['admin'] })).toString('base64url')}.`,
    ],
  ])('refuses %s with 401', async (_what, make) => {
    const answer = await app.http.as(await make()).get('/v1/books/acme/position');
    expect([answer.status, answer.body.reason]).toEqual([401, 'InvalidToken']);
  });

  it('a token with no role for the book is a 403, not a 401', async () => {
    const answer = await app.http.as(await sign({ sub: 'carol', treasury_roles: ['viewer:other'] })).get('/v1/books/acme/position');
    expect(answer.status).toBe(403);
  });
});
