import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as E from 'fp-ts/Either';
import { AccessService, AuthFailure, Principal } from '@treasury/application';
import { Role, grantsAllow, grantsAllowSomewhere } from '@treasury/domain';
import { ProblemException, problem } from '../http/problem';
import { ROUTE_ACCESS, RouteAccess, commandRole } from './access-policy';
import { AuthConfig } from './auth-config';
import { FailedAuthentications } from './failed-authentications';
import { OidcVerifier } from './oidc-verifier';

/** DI tokens for the auth configuration and the (optional) OIDC verifier. */
export const AUTH_CONFIG = Symbol('AuthConfig');
export const OIDC_VERIFIER = Symbol('OidcVerifier');

/** With AUTH=off every request acts as this principal, and events say so. */
export const LOCAL_PRINCIPAL: Principal = {
  id: 'local:unauthenticated',
  kind: 'local',
  name: 'AUTH=off (local experiments only)',
  grants: [{ role: 'admin', books: '*' }],
};

const MAX_TOKEN_LENGTH = 8_192;

type AuthenticatedRequest = Request & { principal?: Principal };

/** The authenticated principal of this request, for controllers (the guard has set it). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (principal === undefined) throw new Error('no principal: the route is public or the guard did not run');
  return principal;
});

const unauthorized = (failure: AuthFailure): ProblemException => {
  const detail: Record<AuthFailure['_tag'], string> = {
    MissingCredentials: 'Send Authorization: Bearer <API key or identity-provider token>.',
    MalformedCredentials: `The credentials are malformed: ${'detail' in failure ? failure.detail : ''}.`,
    UnknownKey: 'The API key is not known.',
    KeyRevoked: `API key ${'keyPrefix' in failure ? failure.keyPrefix : ''} has been revoked.`,
    KeyExpired: `API key ${'keyPrefix' in failure ? failure.keyPrefix : ''} has expired.`,
    InvalidToken: `The token was refused: ${'detail' in failure ? failure.detail : ''}.`,
    AuthUnavailable: `Credentials cannot be checked right now: ${'detail' in failure ? failure.detail : ''}.`,
    AuthBusy: 'Too many key checks are waiting; retry in a second.',
  };
  if (failure._tag === 'AuthBusy')
    return new ProblemException(problem(429, 'auth-busy', 'Too many requests', detail.AuthBusy, { retryAfterSeconds: 1 }));
  return failure._tag === 'AuthUnavailable'
    ? new ProblemException(problem(503, 'auth-unavailable', 'Authentication unavailable', detail[failure._tag]))
    : new ProblemException(problem(401, 'unauthenticated', 'Unauthenticated', detail[failure._tag], { reason: failure._tag }));
};

const describeGrants = (principal: Principal): string =>
  principal.grants.length === 0
    ? 'none'
    : principal.grants.map((g) => `${g.role} on ${g.books === '*' ? 'every book' : g.books.join(', ')}`).join('; ');

/**
 * Every request passes here: the route's entry in ROUTE_ACCESS says who may call it; the caller is
 * authenticated from its bearer credentials (an API key or an identity-provider token) and must hold
 * the role on the book. The principal found is what events record as their actor.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly access: AccessService,
    @Inject(OIDC_VERIFIER) private readonly oidc: OidcVerifier | null,
    private readonly failures: FailedAuthentications,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const routePath = (request.route as { path?: string } | undefined)?.path;
    // Express answers HEAD with the GET handler: the same rule applies.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const rule: RouteAccess | undefined = routePath === undefined ? undefined : ROUTE_ACCESS[`${method} ${routePath}`];
    if (rule === undefined) {
      throw new ProblemException(
        problem(403, 'route-not-classified', 'Forbidden', 'This route has no entry in the access table, so nobody may call it.'),
      );
    }
    if ('public' in rule) return true;
    const principal = await this.authenticate(request, http.getResponse<Response>());
    request.principal = principal;
    const params = request.params as Record<string, string | undefined>;
    const role: Role = rule.role === 'per-command' ? commandRole(params.command ?? '') : rule.role;
    const allowed =
      rule.scope === 'book'
        ? grantsAllow(principal.grants, role, params.bookId)
        : rule.scope === 'all-books'
          ? grantsAllow(principal.grants, role, undefined)
          : grantsAllowSomewhere(principal.grants, role);
    if (!allowed) {
      const where = rule.scope === 'book' ? `book "${params.bookId}"` : rule.scope === 'all-books' ? 'every book' : 'some book';
      throw new ProblemException(
        problem(
          403,
          'forbidden',
          'Forbidden',
          `This needs the ${role} role on ${where}; ${principal.id} holds: ${describeGrants(principal)}.`,
          { requiredRole: role },
        ),
      );
    }
    return true;
  }

  private async authenticate(request: Request, response: Response): Promise<Principal> {
    if (this.config.mode === 'off') return LOCAL_PRINCIPAL;
    const now = Date.now();
    const wait = this.failures.retryAfterSeconds(request.ip, now);
    if (wait > 0) {
      response.setHeader('Retry-After', String(wait));
      throw new ProblemException(
        problem(
          429,
          'too-many-failed-authentications',
          'Too many requests',
          `More than ${this.failures.limitPerMinute} refused authentications in a minute from this address; retry after ${wait} s.`,
          {
            retryAfterSeconds: wait,
          },
        ),
      );
    }
    const header = request.headers.authorization;
    const outcome = await this.check(header);
    if (E.isLeft(outcome) && outcome.left._tag !== 'AuthBusy' && outcome.left._tag !== 'AuthUnavailable')
      this.failures.record(request.ip, now);
    if (E.isLeft(outcome)) {
      if (outcome.left._tag === 'AuthBusy') response.setHeader('Retry-After', '1');
      else if (outcome.left._tag !== 'AuthUnavailable') response.setHeader('WWW-Authenticate', 'Bearer realm="treasury-engine"');
      throw unauthorized(outcome.left);
    }
    return outcome.right;
  }

  private async check(header: string | undefined): Promise<E.Either<AuthFailure, Principal>> {
    if (header === undefined || header === '') return E.left({ _tag: 'MissingCredentials' });
    const match = /^Bearer +([\x21-\x7e]+)$/i.exec(header);
    if (match === null || header.length > MAX_TOKEN_LENGTH)
      return E.left({ _tag: 'MalformedCredentials', detail: 'expected "Bearer <token>"' });
    const token = match[1]!;
    if (token.startsWith('tek_')) return this.access.authenticateKey(token);
    if (this.oidc !== null && /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) return this.oidc.verify(token);
    return E.left({
      _tag: 'MalformedCredentials',
      detail: this.oidc === null ? 'not an API key (tek_…), and no identity provider is configured' : 'neither an API key nor a JWT',
    });
  }
}
