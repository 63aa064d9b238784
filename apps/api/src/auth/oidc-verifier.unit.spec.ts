import { grantsFromClaim } from './oidc-verifier';

describe('roles claim of an identity-provider token', () => {
  it('maps role (every book) and role:book entries, ignoring anything else', () => {
    expect(grantsFromClaim(['viewer', 'treasurer:acme', 'owner', 'admin:Not A Book', 'auditor:a:b', 7, null])).toEqual([
      { role: 'viewer', books: '*' },
      { role: 'treasurer', books: ['acme'] },
    ]);
    expect(grantsFromClaim('auditor bookkeeper:beta')).toEqual([
      { role: 'auditor', books: '*' },
      { role: 'bookkeeper', books: ['beta'] },
    ]);
    expect(grantsFromClaim(undefined)).toEqual([]);
    expect(grantsFromClaim({ role: 'admin' })).toEqual([]);
  });
});
