import * as E from 'fp-ts/Either';
import { AccessEvent } from './access.events';
import { decideAccess, evolveAccess, initialAccessState, keyUsable } from './access.decider';
import { grantsAllow, grantsAllowSomewhere, roleIncludes } from './roles';

const given = (...events: AccessEvent[]) => {
  const state = initialAccessState();
  events.forEach((event, revision) => evolveAccess(state, { revision, recordedAt: 1_000 + revision, actor: 'key:admin001', event }));
  return state;
};
const created: AccessEvent = {
  type: 'ApiKeyCreated',
  keyPrefix: 'abcd1234',
  name: 'ops',
  role: 'viewer',
  books: ['acme'],
  secretHash: 'scrypt$…',
  expiresAt: 5_000,
};

describe('roles', () => {
  it('nest as the issue says: auditor and bookkeeper include viewer, treasurer includes bookkeeper, admin everything', () => {
    expect(roleIncludes('auditor', 'viewer')).toBe(true);
    expect(roleIncludes('auditor', 'bookkeeper')).toBe(false);
    expect(roleIncludes('treasurer', 'bookkeeper')).toBe(true);
    expect(roleIncludes('treasurer', 'auditor')).toBe(false);
    expect(roleIncludes('bookkeeper', 'treasurer')).toBe(false);
    expect(['viewer', 'auditor', 'bookkeeper', 'treasurer', 'admin'].every((role) => roleIncludes('admin', role as 'viewer'))).toBe(true);
  });

  it('a grant covers its books; only a grant on every book covers a route that names none', () => {
    const scoped = [{ role: 'admin' as const, books: ['acme'] }];
    expect(grantsAllow(scoped, 'treasurer', 'acme')).toBe(true);
    expect(grantsAllow(scoped, 'viewer', 'beta')).toBe(false);
    expect(grantsAllow(scoped, 'admin', undefined)).toBe(false);
    expect(grantsAllow([{ role: 'auditor', books: '*' }], 'auditor', undefined)).toBe(true);
    expect(grantsAllowSomewhere(scoped, 'auditor')).toBe(true);
    expect(grantsAllowSomewhere([{ role: 'viewer', books: ['acme'] }], 'auditor')).toBe(false);
  });
});

describe('access decider', () => {
  it('creates a key once per prefix, and not already expired', () => {
    const command = {
      name: 'create-api-key' as const,
      keyPrefix: 'abcd1234',
      keyName: 'ops',
      role: 'viewer' as const,
      books: '*' as const,
      secretHash: 'h',
    };
    expect(decideAccess(command, given(), { now: 10 })).toEqual(
      E.right([{ type: 'ApiKeyCreated', keyPrefix: 'abcd1234', name: 'ops', role: 'viewer', books: '*', secretHash: 'h' }]),
    );
    expect(decideAccess(command, given(created), { now: 10 })).toMatchObject(E.left({ code: 'api-key-prefix-taken' }));
    expect(decideAccess({ ...command, keyPrefix: 'zzzz0000', expiresAt: 10 }, given(), { now: 10 })).toMatchObject(
      E.left({ _tag: 'InvalidCommand' }),
    );
  });

  it('revokes or re-scopes a live key only', () => {
    const revoke = { name: 'revoke-api-key' as const, keyPrefix: 'abcd1234', reason: 'lost' };
    expect(decideAccess(revoke, given(created), { now: 10 })).toEqual(
      E.right([{ type: 'ApiKeyRevoked', keyPrefix: 'abcd1234', reason: 'lost' }]),
    );
    expect(decideAccess(revoke, given(created, { type: 'ApiKeyRevoked', keyPrefix: 'abcd1234' }), { now: 10 })).toMatchObject(
      E.left({ code: 'api-key-revoked' }),
    );
    expect(
      decideAccess({ name: 'change-api-key-role', keyPrefix: 'nope0000', role: 'admin', books: '*' }, given(created), { now: 10 }),
    ).toMatchObject(E.left({ code: 'unknown-api-key' }));
  });

  it('folds role changes, revocation and last use; a key is unusable from its expiry on', () => {
    const state = given(
      created,
      { type: 'ApiKeyRoleChanged', keyPrefix: 'abcd1234', role: 'auditor', books: '*' },
      { type: 'ApiKeyUsed', keyPrefix: 'abcd1234', usedAt: 1_500 },
    );
    const key = state.keys.get('abcd1234')!;
    expect([key.role, key.books, key.lastUsedAt, key.createdBy, key.createdAt]).toEqual(['auditor', '*', 1_500, 'key:admin001', 1_000]);
    expect(E.isRight(keyUsable(key, 4_999))).toBe(true);
    expect(keyUsable(key, 5_000)).toEqual(E.left('expired'));
    evolveAccess(state, { revision: 3, recordedAt: 2_000, actor: 'key:admin001', event: { type: 'ApiKeyRevoked', keyPrefix: 'abcd1234' } });
    expect(keyUsable(key, 2_001)).toEqual(E.left('revoked'));
  });
});
