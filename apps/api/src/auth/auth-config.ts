import { dirname, join } from 'node:path';
import * as E from 'fp-ts/Either';

/** How requests are authenticated, read once from the environment. */
export interface AuthConfig {
  /** `off` only for local experiments: every request then acts as a local admin. */
  readonly mode: 'on' | 'off';
  /** Where the first admin key of a fresh store is written (readable by its owner only). */
  readonly bootstrapKeyFile: string;
  readonly oidc?: OidcConfig;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
  /** The claim holding roles: an array of `role` (every book) or `role:bookId` strings. */
  readonly rolesClaim: string;
}

/** The bootstrap key sits beside the store's file; with EventStoreDB, in ./data. */
export const defaultBootstrapKeyFile = (sqlitePath: string | undefined): string =>
  sqlitePath === undefined || sqlitePath === ':memory:' ? './data/admin.key' : join(dirname(sqlitePath), 'admin.key');

export const authConfigFromEnv = (env: NodeJS.ProcessEnv, host: string, sqlitePath: string | undefined): E.Either<string, AuthConfig> => {
  const mode = env.AUTH ?? 'on';
  if (mode !== 'on' && mode !== 'off') return E.left(`AUTH must be "on" or "off", got "${mode}"`);
  // Off is for a laptop: anyone who reaches the port would be an admin.
  if (mode === 'off' && host !== '127.0.0.1')
    return E.left(`AUTH=off is refused unless HOST=127.0.0.1 (HOST is "${host}"): anyone reaching the port would act as an admin`);
  const bootstrapKeyFile =
    env.BOOTSTRAP_KEY_FILE !== undefined && env.BOOTSTRAP_KEY_FILE !== '' ? env.BOOTSTRAP_KEY_FILE : defaultBootstrapKeyFile(sqlitePath);
  const issuer = env.OIDC_ISSUER;
  if (issuer === undefined || issuer === '') return E.right({ mode, bootstrapKeyFile });
  const audience = env.OIDC_AUDIENCE;
  if (audience === undefined || audience === '') return E.left('OIDC_ISSUER needs OIDC_AUDIENCE (the audience the tokens are issued for)');
  const jwksUri =
    env.OIDC_JWKS_URI !== undefined && env.OIDC_JWKS_URI !== '' ? env.OIDC_JWKS_URI : `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
  try {
    const url = new URL(jwksUri);
    if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
      return E.left(`OIDC_JWKS_URI must be https (or on localhost), got "${jwksUri}"`);
  } catch {
    return E.left(`OIDC_JWKS_URI is not a URL: "${jwksUri}"`);
  }
  return E.right({ mode, bootstrapKeyFile, oidc: { issuer, audience, jwksUri, rolesClaim: env.OIDC_ROLES_CLAIM ?? 'roles' } });
};
