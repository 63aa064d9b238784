import * as t from 'io-ts';
import { ChangeApiKeyRole, CreateApiKey, RevokeApiKey, JsonSchema } from '@treasury/domain';
import { COMMAND_ACCESS, ROUTE_ACCESS } from '../auth/access-policy';
import { AccessEventsAnswer, AccessVerifyAnswer, ApiKeyAnswer, ApiKeysAnswer, CreatedApiKeyAnswer } from '../auth/access.answers';
import { ProposalsAnswer } from '../approvals/proposal.answers';
import { ReadyAnswer } from '../health/health.answers';
import { jsonAnswer } from './responses';

/**
 * The access side of the OpenAPI document: the bearer scheme, the role every operation needs (from
 * the access table itself, so the contract cannot drift from the guard), and the key, access-log,
 * proposal and readiness endpoints.
 */
type Operation = Record<string, unknown> & { responses: Record<string, unknown>; description?: string };
type Paths = Record<string, Record<string, Operation>>;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const COMMAND_PATH = /^\/v1\/books\/\{bookId\}\/commands\/(.+)$/;

/** `/v1/books/{bookId}/position` -> `/v1/books/:bookId/position`, the form the access table uses. */
const routeOf = (method: string, path: string): string => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;

/** Adds to every operation the role it needs, the bearer requirement and the 401/403/429 answers. */
export const withAccess = (paths: Paths): Paths =>
  Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => {
          const command = COMMAND_PATH.exec(path)?.[1];
          const rule =
            command !== undefined
              ? { role: COMMAND_ACCESS[command as keyof typeof COMMAND_ACCESS], scope: 'book' as const }
              : ROUTE_ACCESS[routeOf(method, path)];
          if (rule === undefined || 'public' in rule) return [method, { ...operation, security: [] }];
          const where =
            rule.scope === 'book' ? 'on the book' : rule.scope === 'all-books' ? 'on every book (*)' : 'on the book holding the event';
          return [
            method,
            {
              ...operation,
              security: EITHER_SCHEME,
              'x-required-role': rule.role,
              description: `${operation.description ?? ''}${operation.description === undefined ? '' : '\n\n'}${
                rule.role === 'per-command'
                  ? `Needs, ${where}, the role of every command in the batch.`
                  : `Needs the **${rule.role}** role ${where}${command === 'approve-proposal' || command === 'reject-proposal' ? ", and the proposed command's own role" : ''}.`
              }`,
              responses: {
                ...operation.responses,
                '401': problem('No credentials, or an API key or token that is malformed, unknown, revoked, expired or otherwise invalid.'),
                '403': problem(`The principal lacks the ${rule.role} role ${where}.`),
                '429': problem('Too many requests from this principal; see Retry-After.'),
              },
            },
          ];
        }),
      ),
    ]),
  );

const keyPrefixParameter = { name: 'keyPrefix', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9]{8}$' } };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

export const accessPaths = (toSchema: (codec: t.Mixed) => JsonSchema, bookIdParameter: unknown): Paths => ({
  '/v1/admin/api-keys': {
    get: {
      operationId: 'listApiKeys',
      summary: 'Every API key (never a secret or its hash)',
      tags: ['access'],
      responses: { '200': jsonAnswer('The keys.', ApiKeysAnswer) },
    },
    post: {
      operationId: 'createApiKey',
      summary: 'Create an API key; the answer holds the secret, shown this once',
      tags: ['access'],
      requestBody: { required: true, ...json(toSchema(CreateApiKey)) },
      responses: {
        '201': jsonAnswer('The key, with `key` (the whole secret, `tek_<prefix>_<secret>`), shown this once.', CreatedApiKeyAnswer),
        '400': problem('Invalid body; errors names each field.'),
      },
    },
  },
  '/v1/admin/api-keys/{keyPrefix}/revoke': {
    post: {
      operationId: 'revokeApiKey',
      summary: 'Revoke a key: refused from its next request on',
      tags: ['access'],
      parameters: [keyPrefixParameter],
      requestBody: json(toSchema(RevokeApiKey)),
      responses: {
        '200': jsonAnswer('The revoked key.', ApiKeyAnswer),
        '400': problem('Invalid prefix or body.'),
        '422': problem('Unknown or already revoked key.'),
      },
    },
  },
  '/v1/admin/api-keys/{keyPrefix}/role': {
    post: {
      operationId: 'changeApiKeyRole',
      summary: "Change a key's role and books",
      tags: ['access'],
      parameters: [keyPrefixParameter],
      requestBody: { required: true, ...json(toSchema(ChangeApiKeyRole)) },
      responses: {
        '200': jsonAnswer('The key.', ApiKeyAnswer),
        '400': problem('Invalid prefix or body.'),
        '422': problem('Unknown or revoked key.'),
      },
    },
  },
  '/v1/access/events': {
    get: {
      operationId: 'accessLog',
      summary: 'The access log: keys created, re-scoped, revoked and used, with who did it (hash-chained like a book)',
      tags: ['access'],
      responses: {
        '200': jsonAnswer('A page of access events; `next` is the cursor.', AccessEventsAnswer),
        '400': problem('Invalid query parameter.'),
        '503': problem('Store unavailable.'),
      },
    },
  },
  '/v1/access/verify': {
    get: {
      operationId: 'verifyAccessLog',
      summary: "Recompute the access log's hash chain",
      tags: ['access'],
      responses: {
        '200': jsonAnswer('`ok`, `checked`, `firstBroken`, `lastHash`.', AccessVerifyAnswer),
        '503': problem('Store unavailable.'),
      },
    },
  },
  '/v1/books/{bookId}/proposals': {
    get: {
      operationId: 'proposals',
      summary: 'Four eyes: proposals of the book with proposer, status (open, approved, rejected, lapsed), decider and reason',
      tags: ['approvals'],
      parameters: [bookIdParameter],
      responses: {
        '200': jsonAnswer('The proposals, oldest first.', ProposalsAnswer),
        '400': problem('Invalid query parameter.'),
        '404': problem('Book not opened.'),
      },
    },
  },
  '/ready': {
    get: {
      operationId: 'ready',
      summary: 'Readiness for a load balancer: 200 once the projection has caught up',
      responses: { '200': jsonAnswer('ready', ReadyAnswer), '503': problem('Not ready yet, or the store does not answer.') },
    },
  },
});

/**
 * Two ways to authenticate, both as `Authorization: Bearer …`: an API key, or a JWT from the configured
 * identity provider (OIDC). Every protected operation accepts either.
 */
export const bearerSecurity = {
  securitySchemes: {
    apiKey: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'tek_<prefix>_<secret>',
      description:
        'An API key issued by POST /v1/admin/api-keys (or the bootstrap admin key): `tek_` + an 8-character prefix + `_` + the secret.',
    },
    oidc: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        "A JWT from the identity provider the server is configured with (OIDC issuer, audience, JWKS); its roles claim maps to this API's roles.",
    },
  },
};

/** Either scheme: the security requirement of every protected operation. */
export const EITHER_SCHEME = [{ apiKey: [] }, { oidc: [] }];
