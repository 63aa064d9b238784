import * as E from 'fp-ts/Either';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { AuthFailure, Principal } from '@treasury/application';
import { BookId, Grant, isRole } from '@treasury/domain';
import type { OidcConfig } from './auth-config';

/** Asymmetric algorithms only: a shared-secret (HS*) or unsigned (`none`) token is never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const MAX_GRANTS = 100;

/** `role` -> that role on every book; `role:bookId` -> on that book. Anything else is ignored. */
export const grantsFromClaim = (claim: unknown): ReadonlyArray<Grant> => {
  const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
  const grants: Grant[] = [];
  for (const value of values.slice(0, MAX_GRANTS)) {
    if (typeof value !== 'string') continue;
    const [role, book, extra] = value.split(':');
    if (!isRole(role) || extra !== undefined) continue;
    if (book === undefined) grants.push({ role, books: '*' });
    else if (BookId.is(book)) grants.push({ role, books: [book] });
  }
  return grants;
};

/**
 * Verifies tokens from the company's identity provider with `jose`: signature against the issuer's
 * JWKS (fetched and cached by jose, refreshed when an unknown key id appears), issuer, audience, expiry.
 */
export class OidcVerifier {
  private readonly jwks;

  constructor(private readonly config: OidcConfig) {
    this.jwks = createRemoteJWKSet(new URL(config.jwksUri), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  }

  async verify(token: string): Promise<E.Either<AuthFailure, Principal>> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: ALGORITHMS,
        clockTolerance: 30,
        requiredClaims: ['exp', 'sub'],
      });
      if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 200)
        return E.left({ _tag: 'InvalidToken', detail: 'the token has no subject' });
      const name =
        [payload.name, payload.email, payload.preferred_username].find((v): v is string => typeof v === 'string' && v.length <= 200) ??
        payload.sub;
      return E.right({ id: `oidc:${payload.sub}`, kind: 'oidc', name, grants: grantsFromClaim(payload[this.config.rolesClaim]) });
    } catch (error) {
      if (
        error instanceof errors.JWKSTimeout ||
        (error instanceof Error && /fetch|ECONNREFUSED|network/i.test(error.message) && !(error instanceof errors.JOSEError))
      ) {
        return E.left({ _tag: 'AuthUnavailable', detail: "the identity provider's keys could not be fetched" });
      }
      const detail =
        error instanceof errors.JWTExpired
          ? 'the token has expired'
          : error instanceof errors.JWTClaimValidationFailed
            ? `claim "${error.claim}" is not as expected`
            : 'the token is not valid';
      return E.left({ _tag: 'InvalidToken', detail });
    }
  }
}
