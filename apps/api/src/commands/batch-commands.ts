import { BatchFailure, BatchItem, BatchResult, MAX_BATCH_ITEMS, Principal } from '@treasury/application';
import * as E from 'fp-ts/Either';
import { FieldError, Instant, formatInstant, grantsAllow, toFieldErrors } from '@treasury/domain';
import { commandRole } from '../auth/access-policy';
import { commandErrorToProblem } from '../http/command-error.mapper';
import { Problem, invalidRequest, problem } from '../http/problem';
import { knownAtInBody, migrationRoleRefusal, placeKnownAt } from './known-at';

/**
 * The batch route's own checks and views: the body's shape (an array of `{command, body}`), the role
 * of every item (the guard only asked for a viewer on the book), and refusals named by their index.
 */

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An item's knownAt (migration mode): an instant, decoded by the codec of every effectiveAt. */
const knownAtOf = (value: unknown, index: number, errors: FieldError[]): number | undefined => {
  if (value === undefined) return undefined;
  const decoded = Instant.decode(value);
  if (E.isRight(decoded)) return decoded.right;
  errors.push(...toFieldErrors(decoded.left).map((error) => ({ ...error, path: `[${index}].knownAt` })));
  return undefined;
};

/** The items of a batch body, or every shape error with its path (`[3].command`). */
export const parseBatchBody = (body: unknown): { readonly items: ReadonlyArray<BatchItem> } | { readonly problem: Problem } => {
  if (!Array.isArray(body))
    return { problem: invalidRequest([{ path: '', message: 'must be a JSON array of {"command", "body"} objects' }]) };
  if (body.length === 0 || body.length > MAX_BATCH_ITEMS) {
    return {
      problem: invalidRequest(
        [{ path: '', message: `must hold 1 to ${MAX_BATCH_ITEMS} commands (got ${body.length})` }],
        `A batch holds 1 to ${MAX_BATCH_ITEMS} commands.`,
      ),
    };
  }
  const errors: FieldError[] = [];
  const items: BatchItem[] = [];
  for (const [index, item] of body.entries()) {
    if (!isRecord(item)) {
      errors.push({ path: `[${index}]`, message: 'must be an object {"command", "body"}' });
      continue;
    }
    if (typeof item.command !== 'string') errors.push({ path: `[${index}].command`, message: 'must be a command name (a string)' });
    if (!isRecord(item.body)) errors.push({ path: `[${index}].body`, message: 'must be an object' });
    for (const extra of Object.keys(item).filter((field) => field !== 'command' && field !== 'body' && field !== 'knownAt'))
      errors.push({ path: `[${index}].${extra}`, message: 'is not a field of a batch item' });
    const inBody = knownAtInBody(item.body, `[${index}].body.`, `beside the body: {"command", "body", "knownAt"}`);
    if (inBody !== undefined) errors.push(inBody);
    const knownAt = knownAtOf(item.knownAt, index, errors);
    if (errors.length === 0)
      items.push({ command: item.command as string, body: item.body, ...(knownAt === undefined ? {} : { knownAt }) });
    if (errors.length >= 100) break;
  }
  return errors.length === 0 ? { items } : { problem: invalidRequest(errors) };
};

/** The first item whose command needs a role the principal does not hold on the book: 403 naming its index. */
export const batchRoleRefusal = (items: ReadonlyArray<BatchItem>, principal: Principal, bookId: string): Problem | undefined => {
  for (const [index, item] of items.entries()) {
    const role = commandRole(item.command);
    if (!grantsAllow(principal.grants, role, bookId)) {
      return problem(
        403,
        'forbidden',
        'Forbidden',
        `Command [${index}] (${item.command}) needs the ${role} role on book "${bookId}"; nothing in the batch was written.`,
        {
          requiredRole: role,
          index,
          command: item.command,
        },
      );
    }
    const migrating =
      item.knownAt === undefined ? undefined : migrationRoleRefusal(principal, bookId, `Command [${index}] (${item.command}): `);
    if (migrating !== undefined) return { ...migrating, index, command: item.command };
  }
  return undefined;
};

/** A refused batch: the item's own problem, with `index` and its field paths under `[i].body.`. */
export const batchFailureToProblem = (failure: BatchFailure, items: ReadonlyArray<BatchItem>, bookId: string): Problem => {
  const base = commandErrorToProblem(failure.error, bookId);
  const { index } = failure;
  if (index === undefined) return base;
  const command = items[index]?.command;
  return {
    ...base,
    detail: `Command [${index}] (${command}) was refused; nothing in the batch was written. ${base.detail}`,
    index,
    command,
    ...(base.errors === undefined
      ? {}
      : {
          errors: placeKnownAt(base.errors, `[${index}].knownAt`, (error) => ({
            ...error,
            path: error.path === '' ? `[${index}].body` : `[${index}].body.${error.path}`,
          })),
        }),
  };
};

export const batchResultView = (result: BatchResult) => ({
  bookId: result.bookId,
  revision: result.revision,
  logPosition: result.logPosition.toString(),
  replayed: result.replayed,
  items: result.items.map((item) => ({
    index: item.index,
    command: item.command,
    commandId: item.commandId,
    events: item.events.map((event) => ({
      eventId: event.eventId,
      type: event.type,
      effectiveAt: formatInstant(event.effectiveAt),
      recordedAt: formatInstant(event.recordedAt),
    })),
  })),
});
