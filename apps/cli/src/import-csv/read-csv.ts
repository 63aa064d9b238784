import * as E from 'fp-ts/Either';
import { CsvError, parse } from 'csv-parse/sync';
import type { RowError } from './row-mapping';

/** A statement file above this is not a statement: refused before it is read. */
export const MAX_CSV_BYTES = 50 * 1024 * 1024;
/** Data rows per file: years of daily rows for dozens of wallets; 100,000 rows import in about 10 s and 800 MB. */
export const MAX_CSV_ROWS = 100_000;
/** One record: a runaway quote would otherwise swallow the rest of the file into one cell. */
const MAX_RECORD_BYTES = 64 * 1024;

export interface CsvRow {
  /** As a spreadsheet shows it: the header is row 1 (after skipped rows), blank lines count. */
  readonly row: number;
  readonly cells: ReadonlyArray<string>;
}

export interface CsvTable {
  readonly header: ReadonlyArray<string>;
  readonly headerRow: number;
  readonly rows: ReadonlyArray<CsvRow>;
}

interface Parsed {
  readonly record: string[];
  readonly info: { readonly records: number; readonly empty_lines: number; readonly lines: number };
}

/**
 * Parses a statement with csv-parse: a byte-order mark dropped, blank lines skipped (but counted in
 * row numbers), every record as wide as the header (a short or long row is an error naming its row),
 * quotes per RFC 4180.
 */
export const readCsv = (
  text: string,
  options: { readonly delimiter?: string; readonly skipRows?: number },
): E.Either<RowError, CsvTable> => {
  const skip = options.skipRows ?? 0;
  let parsed: Parsed[];
  try {
    parsed = parse(text, {
      bom: true,
      delimiter: options.delimiter ?? ',',
      from_line: skip + 1,
      skip_empty_lines: true,
      relax_column_count: false,
      max_record_size: MAX_RECORD_BYTES,
      // The header and at most MAX_CSV_ROWS rows, plus one to tell that there were more.
      to: MAX_CSV_ROWS + 2,
      info: true,
    }) as unknown as Parsed[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      return E.left({
        row: skip + (line ?? 1),
        message: `not valid CSV: ${error.message.replace(/ on line \d+$/, '').replace(/ at line \d+$/, '')}`,
      });
    }
    throw error;
  }
  const [first, ...rest] = parsed;
  if (first === undefined) return E.left({ row: skip + 1, message: 'the file has no header row' });
  if (rest.length > MAX_CSV_ROWS)
    return E.left({ row: skip + 1 + MAX_CSV_ROWS + 1, message: `a file may hold at most ${MAX_CSV_ROWS} rows below its header: split it` });
  const headerRow = skip + first.info.records + first.info.empty_lines;
  return E.right({
    header: first.record,
    headerRow,
    rows: rest.map(({ record, info }) => ({ row: skip + info.records + info.empty_lines, cells: record })),
  });
};
