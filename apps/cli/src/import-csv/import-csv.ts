import { createHash } from 'node:crypto';
import * as E from 'fp-ts/Either';
import { BatchItem, BookCommandService, CommandError, MAX_BATCH_ITEMS, RandomIds, SystemClock, canonicalJson } from '@treasury/application';
import type { FieldError } from '@treasury/domain';
import type { EventStore } from '@treasury/event-store';
import { readBookContext } from './book-context';
import { DryRunStore } from './dry-run-store';
import type { CsvProfile } from './profile.codec';
import { readCsv } from './read-csv';
import { MappedRow, RowError, rowMapper } from './row-mapping';

/** At most this many bad rows are listed: enough to fix a file in one pass, never a flood. */
export const MAX_REPORTED_ROW_ERRORS = 10;

export type RowStatus = 'new' | 'already imported' | 'held for approval';

export interface PlannedRow {
  readonly row: number;
  readonly command: string;
  readonly body: Record<string, unknown>;
  readonly idempotencyKey: string;
  readonly status: RowStatus;
}

export interface CsvImportSummary {
  readonly rows: number;
  /** Rows that appended their command now (or, in a dry run, would). */
  readonly appended: number;
  /** Rows imported before (same key, same command): nothing appended for them. */
  readonly replayed: number;
  /** Of the appended, those the book's approval policy turned into proposals. */
  readonly held: number;
  readonly planned: ReadonlyArray<PlannedRow>;
  /** What stopped the import; nothing of the file was written unless `written` says otherwise. */
  readonly failed?: ReadonlyArray<RowError>;
  /** Rows committed before a failure that only the real run met (another writer got in between): a re-run completes the file. */
  readonly written?: number;
}

export interface CsvImportRequest {
  readonly store: EventStore;
  readonly profile: CsvProfile;
  readonly text: string;
  readonly bookId: string;
  readonly actor: string;
  readonly dryRun: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * The row's idempotency key: the profile, the book and what the row's own cells said (never the
 * constants or the book's price, so a changed profile or price cannot import a row twice: it is
 * refused as a key reused for another command), and how many identical rows came before it.
 */
export const rowKey = (profile: string, bookId: string, facts: Readonly<Record<string, string>>, occurrence: number): string =>
  `csv:${profile}:${createHash('sha256').update(`${profile}\n${bookId}\n${canonicalJson(facts)}`).digest('hex').slice(0, 32)}:${occurrence}`;

const describe = (error: CommandError): string => {
  switch (error._tag) {
    case 'InvalidCommand':
      return error.errors.map((e: FieldError) => `${e.path} ${e.message}`).join('; ');
    case 'RuleViolated':
      return `refused (${error.code}): ${error.detail}`;
    case 'IdempotencyKeyReused':
      return 'this row was imported before with other values (the profile\'s constants or the book\'s price for it changed since); correct the earlier event with amend-event rather than importing it again';
    case 'UnknownCommand':
      return `unknown command "${error.command}"`;
    case 'BookNotFound':
      return 'the book has not been opened (open-book first)';
    case 'BookAlreadyOpen':
      return 'the book is already open';
    case 'RevisionMismatch':
      return `the book changed while importing (expected revision ${error.expected}, found ${error.actual}): run the import again`;
    case 'NotPermitted':
      return `not permitted: ${error.detail}`;
    case 'StoreFailure':
      return `event store failure: ${error.message}`;
  }
};

const chunksOf = <A>(items: ReadonlyArray<A>, size: number): A[][] => {
  const chunks: A[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

interface Pending {
  readonly mapped: MappedRow;
  readonly item: BatchItem & { readonly idempotencyKey: string };
}

/** Runs the rows through the batch path on `store`, one commit per chunk; the first refusal names its row. */
const runBatches = async (
  store: EventStore,
  request: CsvImportRequest,
  pending: ReadonlyArray<Pending>,
): Promise<{ readonly statuses: RowStatus[]; readonly failed?: RowError }> => {
  const service = new BookCommandService(store, new SystemClock(), new RandomIds());
  const statuses: RowStatus[] = [];
  for (const chunk of chunksOf(pending, MAX_BATCH_ITEMS)) {
    const result = await service.executeBatch({ bookId: request.bookId, actor: request.actor, items: chunk.map((p) => p.item), atomicity: 'all' })();
    if (E.isLeft(result)) {
      const at = result.left.index === undefined ? chunk[0]! : chunk[result.left.index]!;
      const error = result.left.error;
      const path = error._tag === 'InvalidCommand' ? error.errors[0]?.path : undefined;
      const column = path === undefined ? undefined : at.mapped.columns[path];
      return { statuses, failed: { row: at.mapped.row, ...(column === undefined ? {} : { column }), message: column === undefined ? describe(error) : error._tag === 'InvalidCommand' ? error.errors[0]!.message : describe(error) } };
    }
    for (const item of result.right.items) {
      statuses.push(item.replayed ? 'already imported' : item.events.some((e) => e.type === 'CommandProposed') ? 'held for approval' : 'new');
    }
    request.onProgress?.(statuses.length, pending.length);
  }
  return { statuses };
};

/**
 * Imports one statement: read and map every row first (a bad row stops the file before anything is
 * decided), then decide every row on a dry-run store (a refused row stops the file before anything is
 * written), then, unless it is a dry run, the same batches against the real store.
 */
export const importCsv = async (request: CsvImportRequest): Promise<CsvImportSummary> => {
  const stop = (failed: ReadonlyArray<RowError>, rows = 0): CsvImportSummary => ({ rows, appended: 0, replayed: 0, held: 0, planned: [], failed });
  const context = await readBookContext(request.store, request.bookId);
  if (E.isLeft(context)) return stop([{ row: 0, message: context.left }]);
  if (!context.right.opened) return stop([{ row: 0, message: `the book "${request.bookId}" has not been opened (open-book first)` }]);
  const table = readCsv(request.text, { ...(request.profile.delimiter === undefined ? {} : { delimiter: request.profile.delimiter }), skipRows: request.profile.skipRows ?? 0 });
  if (E.isLeft(table)) return stop([table.left]);
  const mapper = rowMapper(request.profile, table.right.header, table.right.headerRow, { timeZone: context.right.timeZone, prices: context.right.prices });
  if (E.isLeft(mapper)) return stop([mapper.left]);

  const rows = table.right.rows.length;
  const errors: RowError[] = [];
  const pending: Pending[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of table.right.rows) {
    const mapped = mapper.right.map(cells, row);
    if (E.isLeft(mapped)) {
      if (errors.push(mapped.left) >= MAX_REPORTED_ROW_ERRORS) {
        errors.push({ row: 0, message: `stopped reading after ${MAX_REPORTED_ROW_ERRORS} bad rows` });
        break;
      }
      continue;
    }
    const identity = canonicalJson(mapped.right.facts);
    const occurrence = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, occurrence);
    const idempotencyKey = rowKey(request.profile.name, request.bookId, mapped.right.facts, occurrence);
    pending.push({ mapped: mapped.right, item: { command: mapped.right.command, body: mapped.right.body, idempotencyKey } });
  }
  if (errors.length > 0) return stop(errors, rows);
  if (pending.length === 0) return { rows, appended: 0, replayed: 0, held: 0, planned: [] };

  // Every row decided first without writing: a refused row stops the file with nothing of it written.
  const dry = await runBatches(new DryRunStore(request.store), { ...request, onProgress: undefined }, pending);
  if (dry.failed !== undefined) return stop([dry.failed], rows);
  const summarise = (statuses: ReadonlyArray<RowStatus>): CsvImportSummary => ({
    rows,
    appended: statuses.filter((s) => s !== 'already imported').length,
    replayed: statuses.filter((s) => s === 'already imported').length,
    held: statuses.filter((s) => s === 'held for approval').length,
    planned: pending.map(({ mapped, item }, i) => ({ row: mapped.row, command: item.command, body: mapped.body, idempotencyKey: item.idempotencyKey, status: statuses[i]! })),
  });
  if (request.dryRun) return summarise(dry.statuses);

  const real = await runBatches(request.store, request, pending);
  if (real.failed !== undefined) return { ...stop([real.failed], rows), written: real.statuses.length };
  return summarise(real.statuses);
};
