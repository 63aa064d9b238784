import * as E from 'fp-ts/Either';
import { authConfigFromEnv, defaultBootstrapKeyFile } from './auth-config';

describe('auth configuration', () => {
  it('is on by default, with the bootstrap key beside the SQLite file', () => {
    expect(authConfigFromEnv({}, '127.0.0.1', '/var/lib/treasury/treasury.db')).toEqual(
      E.right({ mode: 'on', bootstrapKeyFile: '/var/lib/treasury/admin.key' }),
    );
    expect(defaultBootstrapKeyFile(undefined)).toBe('./data/admin.key');
  });

  it('refuses AUTH=off unless the server listens on loopback only', () => {
    expect(authConfigFromEnv({ AUTH: 'off' }, '127.0.0.1', 'x.db')).toMatchObject(E.right({ mode: 'off' }));
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'localhost']) {
      const refused = authConfigFromEnv({ AUTH: 'off' }, host, 'x.db');
      expect(E.isLeft(refused) && refused.left).toMatch(/AUTH=off is refused unless HOST=127\.0\.0\.1/);
    }
    expect(E.isLeft(authConfigFromEnv({ AUTH: 'maybe' }, '127.0.0.1', 'x.db'))).toBe(true);
  });

  it('needs an audience with an issuer, and an https JWKS address (or localhost)', () => {
    expect(authConfigFromEnv({ OIDC_ISSUER: 'https://id.example.com' }, '127.0.0.1', 'x.db')).toEqual(
      E.left('OIDC_ISSUER needs OIDC_AUDIENCE (the audience the tokens are issued for)'),
    );
    expect(authConfigFromEnv({ OIDC_ISSUER: 'https://id.example.com/', OIDC_AUDIENCE: 'treasury' }, '127.0.0.1', 'x.db')).toMatchObject(
      E.right({
        oidc: {
          issuer: 'https://id.example.com/',
          audience: 'treasury',
          jwksUri: 'https://id.example.com/.well-known/jwks.json',
          rolesClaim: 'roles',
        },
      }),
    );
    expect(
      E.isLeft(
        authConfigFromEnv(
          { OIDC_ISSUER: 'https://id.example.com', OIDC_AUDIENCE: 'a', OIDC_JWKS_URI: 'http://id.example.com/jwks' },
          '127.0.0.1',
          'x.db',
        ),
      ),
    ).toBe(true);
    expect(
      E.isLeft(
        authConfigFromEnv({ OIDC_ISSUER: 'https://id.example.com', OIDC_AUDIENCE: 'a', OIDC_JWKS_URI: 'not a url' }, '127.0.0.1', 'x.db'),
      ),
    ).toBe(true);
  });
});
