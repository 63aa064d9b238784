import * as E from 'fp-ts/Either';
import { formatInstant } from '../codecs/instant';
import { DomainError, ruleViolated } from '../errors';
import type { AccessEvent } from './access.events';
import type { Role } from './roles';

/** One API key as the access log has made it. */
export interface ApiKeyRecord {
  readonly keyPrefix: string;
  readonly name: string;
  readonly secretHash: string;
  readonly createdAt: number;
  readonly createdBy: string;
  readonly expiresAt: number | undefined;
  role: Role;
  books: '*' | ReadonlyArray<string>;
  revokedAt: number | undefined;
  lastUsedAt: number | undefined;
}

export interface AccessState {
  revision: number;
  readonly keys: Map<string, ApiKeyRecord>;
}

export const initialAccessState = (): AccessState => ({ revision: -1, keys: new Map() });

export interface RecordedAccessEvent {
  readonly revision: number;
  readonly recordedAt: number;
  readonly actor: string;
  readonly event: AccessEvent;
}

export const evolveAccess = (state: AccessState, { revision, recordedAt, actor, event }: RecordedAccessEvent): AccessState => {
  state.revision = revision;
  const key = state.keys.get(event.keyPrefix);
  switch (event.type) {
    case 'ApiKeyCreated':
      state.keys.set(event.keyPrefix, {
        keyPrefix: event.keyPrefix,
        name: event.name,
        secretHash: event.secretHash,
        createdAt: recordedAt,
        createdBy: actor,
        expiresAt: event.expiresAt,
        role: event.role,
        books: event.books,
        revokedAt: undefined,
        lastUsedAt: undefined,
      });
      break;
    case 'ApiKeyRoleChanged':
      if (key !== undefined) {
        key.role = event.role;
        key.books = event.books;
      }
      break;
    case 'ApiKeyRevoked':
      if (key !== undefined) key.revokedAt = recordedAt;
      break;
    case 'ApiKeyUsed':
      if (key !== undefined && (key.lastUsedAt === undefined || event.usedAt > key.lastUsedAt)) key.lastUsedAt = event.usedAt;
      break;
  }
  return state;
};

/** Whether a key may be used at `now`: neither revoked nor expired. */
export const keyUsable = (key: ApiKeyRecord, now: number): E.Either<'revoked' | 'expired', ApiKeyRecord> =>
  key.revokedAt !== undefined ? E.left('revoked') : key.expiresAt !== undefined && key.expiresAt <= now ? E.left('expired') : E.right(key);

export type AccessCommand =
  | {
      readonly name: 'create-api-key';
      readonly keyPrefix: string;
      readonly keyName: string;
      readonly role: Role;
      readonly books: '*' | ReadonlyArray<string>;
      readonly expiresAt?: number;
      readonly secretHash: string;
    }
  | { readonly name: 'change-api-key-role'; readonly keyPrefix: string; readonly role: Role; readonly books: '*' | ReadonlyArray<string> }
  | { readonly name: 'revoke-api-key'; readonly keyPrefix: string; readonly reason?: string };

const liveKey = (state: AccessState, prefix: string): E.Either<DomainError, ApiKeyRecord> => {
  const key = state.keys.get(prefix);
  if (key === undefined) return E.left({ _tag: 'RuleViolated', code: 'unknown-api-key', detail: `No API key has the prefix "${prefix}".` });
  if (key.revokedAt !== undefined)
    return E.left(ruleViolated('api-key-revoked', `API key ${prefix} was revoked at ${formatInstant(key.revokedAt)}.`));
  return E.right(key);
};

/** The access decider: what an admin's request appends to the access log, or why it is refused. */
export const decideAccess = (
  command: AccessCommand,
  state: AccessState,
  { now }: { readonly now: number },
): E.Either<DomainError, ReadonlyArray<AccessEvent>> => {
  switch (command.name) {
    case 'create-api-key': {
      if (state.keys.has(command.keyPrefix))
        return E.left(ruleViolated('api-key-prefix-taken', `The prefix ${command.keyPrefix} is taken.`));
      if (command.expiresAt !== undefined && command.expiresAt <= now) {
        return E.left({ _tag: 'InvalidCommand', errors: [{ path: 'expiresAt', message: 'must be in the future' }] });
      }
      return E.right([
        {
          type: 'ApiKeyCreated',
          keyPrefix: command.keyPrefix,
          name: command.keyName,
          role: command.role,
          books: command.books,
          secretHash: command.secretHash,
          ...(command.expiresAt === undefined ? {} : { expiresAt: command.expiresAt }),
        },
      ]);
    }
    case 'change-api-key-role':
      return E.map(() => [{ type: 'ApiKeyRoleChanged' as const, keyPrefix: command.keyPrefix, role: command.role, books: command.books }])(
        liveKey(state, command.keyPrefix),
      );
    case 'revoke-api-key':
      return E.map(() => [
        {
          type: 'ApiKeyRevoked' as const,
          keyPrefix: command.keyPrefix,
          ...(command.reason === undefined ? {} : { reason: command.reason }),
        },
      ])(liveKey(state, command.keyPrefix));
  }
};
