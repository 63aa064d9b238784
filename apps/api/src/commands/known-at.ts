import type { Principal } from '@treasury/application';
import { FieldError, KNOWN_AT_PATH, Role, grantsAllow } from '@treasury/domain';
import { Problem, problem } from '../http/problem';

/**
 * knownAt on the command routes (migration mode, libs/domain/src/book/migration.rules.ts): a field of
 * the request, not of any command body. The single route takes it as a query parameter, a batch item
 * beside its `command` and `body`. The domain names its refusals by KNOWN_AT_PATH; this file says where
 * that is in the request.
 */

/** Loading history skips four eyes (a migrated command is never held), so it takes more than a bookkeeper. */
export const MIGRATION_ROLE: Role = 'treasurer';

/** 403 when the principal may not migrate on this book; `where` names the item in a batch. */
export const migrationRoleRefusal = (principal: Principal, bookId: string, where = ''): Problem | undefined =>
  grantsAllow(principal.grants, MIGRATION_ROLE, bookId)
    ? undefined
    : problem(
        403,
        'forbidden',
        'Forbidden',
        `${where}knownAt (loading history in migration mode) needs the ${MIGRATION_ROLE} role on book "${bookId}"; nothing was written.`,
        {
          requiredRole: MIGRATION_ROLE,
        },
      );

/**
 * A body that carries knownAt itself is refused here, with a hint, rather than by its codec as an
 * unknown field: so a `knownAt` path coming back from the domain always means the request's knownAt.
 */
export const knownAtInBody = (body: unknown, prefix: string, where: string): FieldError | undefined =>
  typeof body === 'object' && body !== null && Object.prototype.hasOwnProperty.call(body, KNOWN_AT_PATH)
    ? { path: `${prefix}${KNOWN_AT_PATH}`, message: `is not a field of any command: send it ${where}` }
    : undefined;

/** The problem's field errors with the domain's knownAt path moved to where the request carried it. */
export const placeKnownAt = (
  errors: ReadonlyArray<FieldError>,
  path: string,
  otherwise: (error: FieldError) => FieldError = (error) => error,
): FieldError[] => errors.map((error) => (error.path === KNOWN_AT_PATH ? { ...error, path } : otherwise(error)));
