import { createHash } from 'node:crypto';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { BatchItem, BatchItemResult, BookCommandService, CommandError } from '@treasury/application';
import { BookId, FieldError, Instant, KNOWN_AT_PATH, toFieldErrors } from '@treasury/domain';

/**
 * One line of an import file: a command for a book, as the HTTP API takes it. `knownAt` (migration
 * mode): when the old system knew the command, recorded as its recordedAt, as the API's `?knownAt=`.
 */
const ImportLine = t.intersection([
  t.type({ book: BookId, command: t.string, body: t.UnknownRecord }),
  t.partial({ idempotencyKey: t.string, actor: t.string, knownAt: Instant }),
]);

export interface ImportSummary {
  readonly lines: number;
  readonly appended: number;
  /** Lines already imported before (same idempotency key and body): nothing appended again. */
  readonly replayed: number;
  readonly failed?: { readonly line: number; readonly message: string };
}

const describe = (error: CommandError): string => {
  switch (error._tag) {
    case 'InvalidCommand':
      return `invalid: ${error.errors.map((e: FieldError) => `${e.path} ${e.message}`).join('; ')}`;
    case 'RuleViolated':
      return `refused (${error.code}): ${error.detail}`;
    case 'UnknownCommand':
      return `unknown command "${error.command}"`;
    case 'BookNotFound':
      return 'the book has not been opened (open-book first)';
    case 'BookAlreadyOpen':
      return 'the book is already open';
    case 'IdempotencyKeyReused':
      return `idempotency key "${error.key}" was used before for a different command`;
    case 'RevisionMismatch':
      return `revision mismatch (expected ${error.expected}, book at ${error.actual})`;
    case 'NotPermitted':
      return `not permitted: ${error.detail}`;
    case 'StoreFailure':
      return `event store failure: ${error.message}`;
  }
};

/** Lines per commit: one fsync per 5,000 commands instead of one per command (the batch route allows 10,000). */
export const IMPORT_CHUNK = 5_000;

interface PendingLine {
  readonly lineNumber: number;
  readonly item: BatchItem;
}

/**
 * Runs an import file's commands in order through the same batch path as the API
 * (`BookCommandService.executeBatch`): consecutive lines of one book go in chunks of up to
 * `chunkSize`, each chunk one commit. Each line gets an idempotency key from its content (and how many
 * identical lines came before), so re-running a file after fixing a bad line appends only what is new.
 * The first bad line stops the import; everything before it stays written: the chunk holding it is
 * committed up to the line before (the batch's `prefix` mode), and chunks are committed in order.
 */
export const importLines = async (
  service: BookCommandService,
  text: string,
  options: { readonly actor: string; readonly onProgress?: (done: number, total: number) => void; readonly chunkSize?: number },
): Promise<ImportSummary> => {
  const chunkSize = options.chunkSize ?? IMPORT_CHUNK;
  const lines = text.split(/\r?\n/);
  const total = lines.filter((line) => line.trim() !== '').length;
  const seen = new Map<string, number>();
  let appended = 0;
  let replayed = 0;
  let chunk: PendingLine[] = [];
  let chunkBook = '';
  const count = (items: ReadonlyArray<BatchItemResult>) => {
    for (const item of items)
      if (item.replayed) replayed += 1;
      else appended += 1;
    options.onProgress?.(appended + replayed, total);
  };
  /** Commits the pending chunk; on a refusal, what came before the refused line is committed and the line named. */
  const flush = async (): Promise<{ readonly line: number; readonly message: string } | undefined> => {
    if (chunk.length === 0) return undefined;
    const pending = chunk;
    chunk = [];
    const result = await service.executeBatch({
      bookId: chunkBook,
      items: pending.map(({ item }) => item),
      actor: options.actor,
      atomicity: 'prefix',
    })();
    if (E.isRight(result)) return void count(result.right.items);
    if (result.left.committed !== undefined) count(result.left.committed.items);
    const index = result.left.index ?? 0;
    return { line: pending[index]!.lineNumber, message: describe(result.left.error) };
  };
  for (const [index, raw] of lines.entries()) {
    const lineNumber = index + 1;
    if (raw.trim() === '') continue;
    const fail = async (message: string): Promise<ImportSummary> => {
      const earlier = await flush();
      return { lines: total, appended, replayed, failed: earlier ?? { line: lineNumber, message } };
    };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      return fail(`not JSON: ${(error as Error).message}`);
    }
    const decoded = ImportLine.decode(json);
    if (E.isLeft(decoded))
      return fail(
        `not an import line: ${toFieldErrors(decoded.left)
          .map((e) => `${e.path.replace(/^\d+\.?/, '') || '(line)'} ${e.message}`)
          .join('; ')}`,
      );
    const line = decoded.right;
    if (Object.prototype.hasOwnProperty.call(line.body, KNOWN_AT_PATH))
      return fail('not an import line: body.knownAt is not a field of any command: put knownAt beside body');
    const digest = createHash('sha256').update(raw.trim()).digest('hex').slice(0, 32);
    const occurrence = (seen.get(digest) ?? 0) + 1;
    seen.set(digest, occurrence);
    if (chunk.length >= chunkSize || (chunk.length > 0 && chunkBook !== line.book)) {
      const failed = await flush();
      if (failed !== undefined) return { lines: total, appended, replayed, failed };
    }
    chunkBook = line.book;
    chunk.push({
      lineNumber,
      item: {
        command: line.command,
        body: line.body,
        // The actor is whoever runs the import; a line's own "actor" is kept only as an on-behalf-of note.
        ...(line.actor === undefined ? {} : { onBehalfOf: line.actor }),
        ...(line.knownAt === undefined ? {} : { knownAt: line.knownAt }),
        idempotencyKey: line.idempotencyKey ?? `import:${digest}:${occurrence}`,
      },
    });
  }
  const failed = await flush();
  return failed === undefined ? { lines: total, appended, replayed } : { lines: total, appended, replayed, failed };
};
