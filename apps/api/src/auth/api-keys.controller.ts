import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import { AccessService, Principal } from '@treasury/application';
import { ApiKeyRecord, ChangeApiKeyRole, CreateApiKey, KeyPrefix, RevokeApiKey, formatInstant, toFieldErrors } from '@treasury/domain';
import { commandErrorToProblem } from '../http/command-error.mapper';
import { ProblemException, invalidRequest } from '../http/problem';
import { NO_QUERY, decodeQuery } from '../http/query.params';
import { ApiKeysQuery } from './access.params';
import { CurrentPrincipal } from './auth.guard';

/** A key as an admin sees it: never its secret or the secret's hash. */
export const apiKeyView = (key: ApiKeyRecord) => ({
  keyPrefix: key.keyPrefix,
  name: key.name,
  role: key.role,
  books: key.books,
  createdAt: formatInstant(key.createdAt),
  createdBy: key.createdBy,
  expiresAt: key.expiresAt === undefined ? null : formatInstant(key.expiresAt),
  revokedAt: key.revokedAt === undefined ? null : formatInstant(key.revokedAt),
  lastUsedAt: key.lastUsedAt === undefined ? null : formatInstant(key.lastUsedAt),
});

const decodeBody = <A>(codec: t.Type<A, unknown, unknown>, body: unknown): A => {
  const decoded = codec.decode(body ?? {});
  if (E.isLeft(decoded)) throw new ProblemException(invalidRequest(toFieldErrors(decoded.left)));
  return decoded.right;
};

const prefixParam = (value: string): string => {
  if (!KeyPrefix.is(value))
    throw new ProblemException(invalidRequest([{ path: 'keyPrefix', message: 'must be a key prefix: 8 characters of a-z and 0-9' }]));
  return value;
};

/** API keys: created (the secret shown once), listed, re-scoped and revoked, each an event in the access log. */
@Controller('v1/admin/api-keys')
export class ApiKeysController {
  constructor(private readonly access: AccessService) {}

  @Get()
  list(@Query() query: Record<string, unknown>) {
    decodeQuery(ApiKeysQuery, query);
    return { keys: this.access.keys().map(apiKeyView) };
  }

  @Post()
  @HttpCode(201)
  async create(@Query() query: Record<string, unknown>, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    decodeQuery(NO_QUERY, query);
    const request = decodeBody(CreateApiKey, body);
    const created = await this.access.createKey(
      {
        name: request.name,
        role: request.role,
        books: request.books ?? '*',
        ...(request.expiresAt === undefined ? {} : { expiresAt: request.expiresAt }),
      },
      principal.id,
    )();
    if (E.isLeft(created)) throw new ProblemException(commandErrorToProblem(created.left, 'access'));
    return { ...apiKeyView(created.right.key), key: created.right.token, notice: 'This is the only time the key is shown; store it now.' };
  }

  @Post(':keyPrefix/revoke')
  @HttpCode(200)
  async revoke(
    @Query() query: Record<string, unknown>,
    @Param('keyPrefix') rawPrefix: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    decodeQuery(NO_QUERY, query);
    const keyPrefix = prefixParam(rawPrefix);
    const request = decodeBody(RevokeApiKey, body);
    const revoked = await this.access.revoke(keyPrefix, request.reason, principal.id)();
    if (E.isLeft(revoked)) throw new ProblemException(commandErrorToProblem(revoked.left, 'access'));
    return apiKeyView(revoked.right);
  }

  @Post(':keyPrefix/role')
  @HttpCode(200)
  async changeRole(
    @Query() query: Record<string, unknown>,
    @Param('keyPrefix') rawPrefix: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    decodeQuery(NO_QUERY, query);
    const keyPrefix = prefixParam(rawPrefix);
    const request = decodeBody(ChangeApiKeyRole, body);
    const changed = await this.access.changeRole(keyPrefix, request.role, request.books ?? '*', principal.id)();
    if (E.isLeft(changed)) throw new ProblemException(commandErrorToProblem(changed.left, 'access'));
    return apiKeyView(changed.right);
  }
}
