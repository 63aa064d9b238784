import * as t from 'io-ts';
import { withSchema } from '../codecs/schema-registry';

/**
 * Who may do what. Roles nest: an auditor can do all a viewer can, a treasurer all a bookkeeper can,
 * and an admin everything (an admin can create a key of any role, so withholding rights from it would
 * be theatre; four-eyes approval is what stops one person acting alone).
 */
export const ROLES = ['viewer', 'auditor', 'bookkeeper', 'treasurer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The roles each role includes, itself first. */
const INCLUDES: Record<Role, ReadonlyArray<Role>> = {
  viewer: ['viewer'],
  auditor: ['auditor', 'viewer'],
  bookkeeper: ['bookkeeper', 'viewer'],
  treasurer: ['treasurer', 'bookkeeper', 'viewer'],
  admin: ROLES,
};

export const roleIncludes = (held: Role, needed: Role): boolean => INCLUDES[held].includes(needed);

export const isRole = (u: unknown): u is Role => typeof u === 'string' && (ROLES as ReadonlyArray<string>).includes(u);

export const RoleCodec = withSchema(
  new t.Type<Role, string, unknown>(
    'Role',
    isRole,
    (u, c) => (isRole(u) ? t.success(u) : t.failure(u, c, `must be one of ${ROLES.join(', ')}`)),
    (role) => role,
  ),
  { type: 'string', enum: [...ROLES], description: `one of ${ROLES.join(', ')}`, example: 'treasurer' },
);

/** A role on some books, or on every book (`'*'`, which also covers routes that name no book). */
export interface Grant {
  readonly role: Role;
  readonly books: '*' | ReadonlyArray<string>;
}

/**
 * Whether grants allow `role` on `bookId`; with no book (admin routes, a search across books) only a
 * grant on every book will do.
 */
export const grantsAllow = (grants: ReadonlyArray<Grant>, role: Role, bookId: string | undefined): boolean =>
  grants.some((grant) => roleIncludes(grant.role, role) && (grant.books === '*' || (bookId !== undefined && grant.books.includes(bookId))));

/** Whether grants allow `role` on at least one book (for a route whose book is only known after a lookup). */
export const grantsAllowSomewhere = (grants: ReadonlyArray<Grant>, role: Role): boolean =>
  grants.some((grant) => roleIncludes(grant.role, role));
