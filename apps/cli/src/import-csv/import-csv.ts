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

/** `duplicate in file`: a row repeating an earlier row's transaction id and cells (a duplicated export line): not imported. */
export type RowStatus = 'new' | 'already imported' | 'held for approval' | 'duplicate in file';

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
  /** Rows repeating an earlier row of the file (same transaction id, same cells): imported once, with that row. */
  readonly duplicates: number;
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

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * Row keys never involve the profile: not its name (a copy under another name meets the rows its
 * original imported), nor its settings (a changed time zone or date rule gives the same key with
 * another body, refused as imported before with other values instead of imported again), nor its
 * constants or the book's price. A row with a transaction id (the column mapped to `reference`) is
 * keyed on the book and that id; any other on the book, the raw text of the columns its mapping reads
 * (trimmed), and how many identical rows came before it in the file (two equal payouts on one day
 * without ids are two payouts).
 */
export const idKey = (bookId: string, id: string): string => `csv-id:${digest(`${bookId}\n${id}`)}`;
export const rowKey = (bookId: string, cells: Readonly<Record<string, string>>, occurrence: number): string =>
  `csv-row:${digest(`${bookId}\n${canonicalJson(cells)}`)}:${occurrence}`;
/** The key rows were imported with before keys left the profile out: a re-run of such a file still replays them. */
export const legacyRowKey = (profile: string, bookId: string, facts: Readonly<Record<string, string>>, occurrence: number): string =>
  `csv:${profile}:${digest(`${profile}\n${bookId}\n${canonicalJson(facts)}`)}:${occurrence}`;

const counter = () => {
  const seen = new Map<string, number>();
  return (identity: string): number => {
    const occurrence = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, occurrence);
    return occurrence;
  };
};

const describe = (error: CommandError): string => {
  switch (error._tag) {
    case 'InvalidCommand':
      return error.errors.map((e: FieldError) => `${e.path} ${e.message}`).join('; ');
    case 'RuleViolated':
      return `refused (${error.code}): ${error.detail}`;
    case 'IdempotencyKeyReused':
      return "this row (its transaction id, or the same cells) was imported before with other values (the profile's date or time-zone rules, its constants or the book's price for it changed since, or the id now carries other values); correct the earlier event with amend-event rather than importing it again";
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
    const result = await service.executeBatch({
      bookId: request.bookId,
      actor: request.actor,
      items: chunk.map((p) => p.item),
      atomicity: 'all',
    })();
    if (E.isLeft(result)) {
      const at = result.left.index === undefined ? chunk[0]! : chunk[result.left.index]!;
      const error = result.left.error;
      const path = error._tag === 'InvalidCommand' ? error.errors[0]?.path : undefined;
      const column = path === undefined ? undefined : at.mapped.columns[path];
      return {
        statuses,
        failed: {
          row: at.mapped.row,
          ...(column === undefined ? {} : { column }),
          message: column === undefined ? describe(error) : error._tag === 'InvalidCommand' ? error.errors[0]!.message : describe(error),
        },
      };
    }
    for (const item of result.right.items) {
      statuses.push(
        item.replayed ? 'already imported' : item.events.some((e) => e.type === 'CommandProposed') ? 'held for approval' : 'new',
      );
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
  const stop = (failed: ReadonlyArray<RowError>, rows = 0): CsvImportSummary => ({
    rows,
    appended: 0,
    replayed: 0,
    held: 0,
    duplicates: 0,
    planned: [],
    failed,
  });
  const context = await readBookContext(request.store, request.bookId);
  if (E.isLeft(context)) return stop([{ row: 0, message: context.left }]);
  if (!context.right.opened) return stop([{ row: 0, message: `the book "${request.bookId}" has not been opened (open-book first)` }]);
  const table = readCsv(request.text, {
    ...(request.profile.delimiter === undefined ? {} : { delimiter: request.profile.delimiter }),
    skipRows: request.profile.skipRows ?? 0,
  });
  if (E.isLeft(table)) return stop([table.left]);
  const mapper = rowMapper(request.profile, table.right.header, table.right.headerRow, {
    timeZone: context.right.timeZone,
    prices: context.right.prices,
  });
  if (E.isLeft(mapper)) return stop([mapper.left]);

  const rows = table.right.rows.length;
  const errors: RowError[] = [];
  const pending: Pending[] = [];
  const duplicates: PlannedRow[] = [];
  const cellsSeen = counter();
  const factsSeen = counter();
  const ids = new Map<string, { readonly row: number; readonly identity: string; readonly key: string }>();
  const { importedKeys } = context.right;
  for (const { row, cells } of table.right.rows) {
    const mapped = mapper.right.map(cells, row);
    if (E.isLeft(mapped)) {
      if (errors.push(mapped.left) >= MAX_REPORTED_ROW_ERRORS) {
        errors.push({ row: 0, message: `stopped reading after ${MAX_REPORTED_ROW_ERRORS} bad rows` });
        break;
      }
      continue;
    }
    const { id } = mapped.right;
    const identity = canonicalJson(mapped.right.cells);
    const legacy = legacyRowKey(request.profile.name, request.bookId, mapped.right.facts, factsSeen(canonicalJson(mapped.right.facts)));
    const earlier = id === undefined ? undefined : ids.get(id.value);
    if (id !== undefined && earlier !== undefined) {
      // A repeated id: the same line exported twice, or two different rows claiming one transaction.
      if (earlier.identity === identity)
        duplicates.push({
          row,
          command: mapped.right.command,
          body: mapped.right.body,
          idempotencyKey: earlier.key,
          status: 'duplicate in file',
        });
      else if (
        errors.push({
          row,
          column: id.column,
          message: `"${id.value.slice(0, 64)}" is also the id of row ${earlier.row}, with other values: one transaction cannot be two rows (fix either row)`,
        }) >= MAX_REPORTED_ROW_ERRORS
      )
        break;
      continue;
    }
    const fresh = id === undefined ? rowKey(request.bookId, mapped.right.cells, cellsSeen(identity)) : idKey(request.bookId, id.value);
    const idempotencyKey = importedKeys.has(legacy) ? legacy : fresh;
    if (id !== undefined) ids.set(id.value, { row, identity, key: idempotencyKey });
    pending.push({ mapped: mapped.right, item: { command: mapped.right.command, body: mapped.right.body, idempotencyKey } });
  }
  if (errors.length > 0) return stop(errors, rows);
  if (pending.length === 0) return { rows, appended: 0, replayed: 0, held: 0, duplicates: duplicates.length, planned: duplicates };

  // Every row decided first without writing: a refused row stops the file with nothing of it written.
  const dry = await runBatches(new DryRunStore(request.store), { ...request, onProgress: undefined }, pending);
  if (dry.failed !== undefined) return stop([dry.failed], rows);
  const summarise = (statuses: ReadonlyArray<RowStatus>): CsvImportSummary => ({
    rows,
    appended: statuses.filter((s) => s !== 'already imported').length,
    replayed: statuses.filter((s) => s === 'already imported').length,
    held: statuses.filter((s) => s === 'held for approval').length,
    duplicates: duplicates.length,
    planned: [
      ...pending.map(({ mapped, item }, i): PlannedRow => ({
        row: mapped.row,
        command: item.command,
        body: mapped.body,
        idempotencyKey: item.idempotencyKey,
        status: statuses[i]!,
      })),
      ...duplicates,
    ].sort((a, b) => a.row - b.row),
  });
  if (request.dryRun) return summarise(dry.statuses);

  const real = await runBatches(request.store, request, pending);
  if (real.failed !== undefined) return { ...stop([real.failed], rows), written: real.statuses.length };
  return summarise(real.statuses);
};
