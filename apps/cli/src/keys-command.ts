import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import * as E from 'fp-ts/Either';
import { AccessService, RandomIds, SystemClock } from '@treasury/application';
import { BookId, Instant, ROLES, isRole, toFieldErrors } from '@treasury/domain';
import type { EventStore } from '@treasury/event-store';
import { textTable } from './text-table';

export const KEYS_USAGE = `  npm run cli -- keys create --name <name> --role <${ROLES.join('|')}> [--book <id>]... [--expires-at <instant>]
  npm run cli -- keys list
  npm run cli -- keys revoke <prefix> [--reason <text>]`;

/**
 * Who acts from the command line: whoever can open the store's file already holds every key, so the
 * CLI records the operating-system user rather than asking for a key.
 */
export const cliActor = (): string => `local:cli:${userInfo().username}`;

/** `keys create|list|revoke`: the same access log as POST /v1/admin/api-keys. Returns the exit code. */
export const runKeys = async (store: EventStore, argv: ReadonlyArray<string>): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      book: { type: 'string', multiple: true },
      'expires-at': { type: 'string' },
      reason: { type: 'string' },
    },
  });
  const access = new AccessService(store, new SystemClock(), new RandomIds());
  const started = await access.start()();
  if (E.isLeft(started)) throw started.left;
  const [action, prefix] = positionals;
  if (action === 'list') {
    console.log(
      textTable(
        [
          ['prefix', 'keyPrefix'],
          ['name', 'name'],
          ['role', 'role'],
          ['books', 'books'],
          ['expires', 'expiresAt'],
          ['revoked', 'revokedAt'],
        ],
        access.keys().map((key) => ({
          keyPrefix: key.keyPrefix,
          name: key.name,
          role: key.role,
          books: key.books === '*' ? '*' : key.books.join(' '),
          expiresAt: key.expiresAt === undefined ? '' : new Date(key.expiresAt).toISOString(),
          revokedAt: key.revokedAt === undefined ? '' : new Date(key.revokedAt).toISOString(),
        })),
      ),
    );
    return 0;
  }
  if (action === 'create') {
    const problems: string[] = [];
    if (values.name === undefined || values.name.trim() === '') problems.push('--name is required');
    if (!isRole(values.role)) problems.push(`--role must be one of ${ROLES.join(', ')}`);
    const books = values.book ?? [];
    for (const book of books) if (!BookId.is(book)) problems.push(`--book "${book}" is not a book id (a-z, 0-9, -)`);
    const expires = values['expires-at'] === undefined ? undefined : Instant.decode(values['expires-at']);
    if (expires !== undefined && E.isLeft(expires))
      problems.push(`--expires-at ${toFieldErrors(expires.left)[0]?.message ?? 'is invalid'}`);
    if (problems.length > 0 || !isRole(values.role) || values.name === undefined) {
      console.error(problems.join('\n'));
      return 2;
    }
    const created = await access.createKey(
      {
        name: values.name,
        role: values.role,
        books: books.length === 0 ? '*' : books,
        ...(expires !== undefined && E.isRight(expires) ? { expiresAt: expires.right } : {}),
      },
      cliActor(),
    )();
    if (E.isLeft(created)) {
      console.error(
        `refused: ${'detail' in created.left ? created.left.detail : 'message' in created.left ? created.left.message : created.left._tag}`,
      );
      return 1;
    }
    // The secret goes to stdout once (to be piped into a secret store), the rest to stderr.
    console.error(
      `created key ${created.right.key.keyPrefix} "${values.name}": ${values.role} on ${books.length === 0 ? 'every book' : books.join(', ')}. It is shown once:`,
    );
    console.log(created.right.token);
    return 0;
  }
  if (action === 'revoke' && prefix !== undefined) {
    const revoked = await access.revoke(prefix, values.reason, cliActor())();
    if (E.isLeft(revoked)) {
      console.error(`refused: ${'detail' in revoked.left ? revoked.left.detail : revoked.left._tag}`);
      return 1;
    }
    console.log(`revoked ${prefix}`);
    return 0;
  }
  console.error(`usage:\n${KEYS_USAGE}`);
  return 2;
};
