import * as t from 'io-ts';
import { ROLES, asComponent } from '@treasury/domain';
import { InstantText, Integer, SameShape, closed, nullable, oneOf } from '../docs/answer-codecs';
import { BrokenLinkAnswer } from '../events/event.answers';
import type { AccessLogController } from './access-log.controller';
import type { ApiKeysController } from './api-keys.controller';

/** What the API-key and access-log routes answer (the OpenAPI document is generated from these codecs). */

export const RoleText = oneOf(ROLES);

export const ApiKeyAnswer = asComponent(
  closed({
    keyPrefix: t.string,
    name: t.string,
    role: RoleText,
    books: t.union([t.literal('*'), t.readonlyArray(t.string)]),
    createdAt: InstantText,
    createdBy: t.string,
    expiresAt: nullable(InstantText),
    revokedAt: nullable(InstantText),
    lastUsedAt: nullable(InstantText),
  }),
  'ApiKey',
);

export const ApiKeysAnswer = closed({ keys: t.readonlyArray(ApiKeyAnswer) });

/** The created key, with its whole secret (`tek_<prefix>_<secret>`), shown this once. */
export const CreatedApiKeyAnswer = asComponent(
  t.exact(t.intersection([ApiKeyAnswer.type, t.type({ key: t.string, notice: t.string })])),
  'CreatedApiKey',
);

/** An access event: key created, re-scoped, revoked or used; the secret's hash withheld. Data and metadata are the access log's own. */
export const AccessEventAnswer = closed({
  eventId: t.string,
  revision: Integer,
  type: t.string,
  data: t.UnknownRecord,
  metadata: t.UnknownRecord,
});

export const AccessEventsAnswer = asComponent(
  closed({ events: t.readonlyArray(AccessEventAnswer), next: nullable(Integer) }),
  'AccessEventsPage',
);

export const AccessVerifyAnswer = asComponent(
  t.union([
    closed({ ok: t.boolean, checked: Integer, firstBroken: BrokenLinkAnswer, lastHash: t.string }),
    closed({ ok: t.boolean, checked: Integer, firstBroken: t.null, lastHash: t.string }),
  ]),
  'AccessVerifyReport',
);

type Of<C, K extends keyof C> = C[K] extends (...args: never[]) => infer R ? Awaited<R> : never;
export const apiKeysAnswerIsTheView: SameShape<Of<ApiKeysController, 'list'>, t.TypeOf<typeof ApiKeysAnswer>> = [(v) => v, (a) => a];
export const createdKeyAnswerIsTheView: SameShape<Of<ApiKeysController, 'create'>, t.TypeOf<typeof CreatedApiKeyAnswer>> = [
  (v) => v,
  (a) => a,
];
export const revokedKeyAnswerIsTheView: SameShape<Of<ApiKeysController, 'revoke'>, t.TypeOf<typeof ApiKeyAnswer>> = [(v) => v, (a) => a];
export const changedKeyAnswerIsTheView: SameShape<Of<ApiKeysController, 'changeRole'>, t.TypeOf<typeof ApiKeyAnswer>> = [
  (v) => v,
  (a) => a,
];
export const accessEventsAnswerIsTheView: SameShape<Of<AccessLogController, 'events'>, t.TypeOf<typeof AccessEventsAnswer>> = [
  (v) => v,
  (a) => a,
];
export const accessVerifyAnswerIsTheView: SameShape<Of<AccessLogController, 'verify'>, t.TypeOf<typeof AccessVerifyAnswer>> = [
  (v) => v,
  (a) => a,
];
