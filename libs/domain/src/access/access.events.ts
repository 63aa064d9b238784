import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import { Instant, StoredInstant } from '../codecs/instant';
import { literal } from '../codecs/literal';
import { BookId, StoredText, Text } from '../codecs/names';
import { withSchema } from '../codecs/schema-registry';
import { RoleCodec } from './roles';

/**
 * The access log: API keys created, re-scoped and revoked, in one stream of the event store, hash
 * chained like the books, so an auditor reads and verifies who could do what, and since when.
 */

/** The visible part of a key (`tek_<prefix>_<secret>`): how it is found, listed and named in the audit trail. */
export const KeyPrefix = withSchema(
  new t.Type<string, string, unknown>(
    'KeyPrefix',
    (u): u is string => typeof u === 'string' && /^[a-z0-9]{8}$/.test(u),
    (u, c) =>
      typeof u === 'string' && /^[a-z0-9]{8}$/.test(u)
        ? t.success(u)
        : t.failure(u, c, 'must be a key prefix: 8 characters of a-z and 0-9'),
    (s) => s,
  ),
  { type: 'string', pattern: '^[a-z0-9]{8}$', description: 'the visible prefix of an API key', example: 'k3x9q2ab' },
);

export const MAX_BOOKS_PER_GRANT = 100;
const scopeRule = `must be "*" (every book) or a list of 1 to ${MAX_BOOKS_PER_GRANT} book ids`;

/** The books a key's role applies to. */
export const BookScope = withSchema(
  new t.Type<'*' | ReadonlyArray<string>, '*' | ReadonlyArray<string>, unknown>(
    'BookScope',
    (u): u is '*' | ReadonlyArray<string> => u === '*' || Array.isArray(u),
    (u, c) => {
      if (u === '*') return t.success('*');
      if (!Array.isArray(u) || u.length === 0 || u.length > MAX_BOOKS_PER_GRANT) return t.failure(u, c, scopeRule);
      const books: string[] = [];
      for (const book of u) {
        if (!BookId.is(book)) return t.failure(u, c, `${scopeRule}; "${String(book).slice(0, 70)}" is not a book id`);
        if (!books.includes(book)) books.push(book);
      }
      return t.success(books);
    },
    (scope) => scope,
  ),
  {
    oneOf: [
      { type: 'string', enum: ['*'] },
      { type: 'array', items: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' }, minItems: 1, maxItems: MAX_BOOKS_PER_GRANT },
    ],
    description: scopeRule,
    example: ['acme'],
  },
);

export const ApiKeyCreated = closedObject(
  'ApiKeyCreated',
  { type: literal('ApiKeyCreated'), keyPrefix: KeyPrefix, name: StoredText, role: RoleCodec, books: BookScope, secretHash: t.string },
  { expiresAt: StoredInstant },
);
export const ApiKeyRoleChanged = closedObject('ApiKeyRoleChanged', {
  type: literal('ApiKeyRoleChanged'),
  keyPrefix: KeyPrefix,
  role: RoleCodec,
  books: BookScope,
});
export const ApiKeyRevoked = closedObject(
  'ApiKeyRevoked',
  { type: literal('ApiKeyRevoked'), keyPrefix: KeyPrefix },
  { reason: StoredText },
);
/** Recorded at most once an hour per key: enough to tell a key in use from a forgotten one. */
export const ApiKeyUsed = closedObject('ApiKeyUsed', { type: literal('ApiKeyUsed'), keyPrefix: KeyPrefix, usedAt: StoredInstant });

const accessEventCodecs = { ApiKeyCreated, ApiKeyRoleChanged, ApiKeyRevoked, ApiKeyUsed } as const;
type AccessEventType = keyof typeof accessEventCodecs;
export type AccessEvent = { [K in AccessEventType]: t.TypeOf<(typeof accessEventCodecs)[K]> }[AccessEventType];
const isAccessEventType = (type: unknown): type is AccessEventType =>
  typeof type === 'string' && Object.prototype.hasOwnProperty.call(accessEventCodecs, type);

/** Dispatches on `type`, like the book events' codec (a plain union would encode with the first member that fits). */
export const AccessEventCodec = new t.Type<AccessEvent, Record<string, unknown>, unknown>(
  'AccessEvent',
  (u): u is AccessEvent => typeof u === 'object' && u !== null && isAccessEventType((u as { type?: unknown }).type),
  (u, c) => {
    const type = typeof u === 'object' && u !== null ? (u as { type?: unknown }).type : undefined;
    if (!isAccessEventType(type)) return t.failure(u, c, `unknown access event type ${JSON.stringify(type)}`);
    return accessEventCodecs[type].validate(u, c) as t.Validation<AccessEvent>;
  },
  (event) => (accessEventCodecs[event.type] as t.Type<AccessEvent, Record<string, unknown>>).encode(event),
);

/** Access commands: the bodies (bounded like every input; the events above read the log with the stored twins) of the admin key endpoints. */
export const CreateApiKey = closedObject('CreateApiKey', { name: Text, role: RoleCodec }, { books: BookScope, expiresAt: Instant });
export const ChangeApiKeyRole = closedObject('ChangeApiKeyRole', { role: RoleCodec }, { books: BookScope });
export const RevokeApiKey = closedObject('RevokeApiKey', {}, { reason: Text });
