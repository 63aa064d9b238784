import * as E from 'fp-ts/Either';
import { decodeBookCommand, formatUsd } from '@treasury/domain';
import { NumberFormat, SCALE, TimeFormat, formatAmount, parseAmount, parseDate, parseInstant, parseSats, parseText } from './cells';
import { ColumnSpec, CsvProfile, Mapping, mappingsOf } from './profile.codec';

/**
 * One CSV row to one command body, pure: which command (the profile's, or the one its `commandBy`
 * cell picks), each mapped column parsed by its type, the constants, the book's price if the profile
 * asks for it; then the command's own codec. A failure names the row as a spreadsheet numbers it and
 * the column at fault.
 */

export interface RowError {
  /** 1-based, header = row 1 (after any skipped preamble rows). */
  readonly row: number;
  readonly column?: string;
  readonly message: string;
}

export const describeRowError = (error: RowError): string =>
  `row ${error.row}${error.column === undefined ? '' : `, column "${error.column}"`}: ${error.message}`;

export interface MappedRow {
  readonly row: number;
  readonly command: Mapping['command'];
  /** The body as the API takes it (decimal strings, ISO instants). */
  readonly body: Record<string, unknown>;
  /** What the row's own cells said, parsed (the key of imports made before keys were raw cells: still recognised). */
  readonly facts: Readonly<Record<string, string>>;
  /** The raw text of every column the row's mapping reads (trimmed), by column: the row's identity. */
  readonly cells: Readonly<Record<string, string>>;
  /** The row's transaction id: the cell of the column mapped to `reference`, when it is not empty. */
  readonly id?: { readonly column: string; readonly value: string };
  /** Body field -> the column it came from, to name the column when the decider refuses a field. */
  readonly columns: Readonly<Record<string, string>>;
}

/** A price the book holds, for a profile with `bookPrice`. */
export interface BookPriceLookup {
  /** The latest observation effective at or before the instant, as the book knows it now. */
  at(instant: number): { readonly effectiveAt: number; readonly usdPerBtcCents: bigint } | undefined;
}

export interface RowMapper {
  map(cells: ReadonlyArray<string>, row: number): E.Either<RowError, MappedRow>;
}

/** The columns a profile reads, for the header check. */
const columnsRead = (profile: CsvProfile): ReadonlyArray<string> => {
  const names = new Set<string>();
  if (profile.commandBy !== undefined) names.add(profile.commandBy.column);
  for (const mapping of mappingsOf(profile).values()) {
    for (const spec of Object.values(mapping.columns)) {
      names.add(spec.column);
      if (spec.less !== undefined) names.add(spec.less);
    }
  }
  return [...names];
};

const setPath = (body: Record<string, unknown>, path: string, value: unknown): void => {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) body[head] = value;
  else body[head] = { ...((body[head] as Record<string, unknown> | undefined) ?? {}), [tail]: value };
};

/**
 * Checks the header against the profile once (every column it reads present, exactly once) and
 * returns the mapper for the rows below it.
 */
export const rowMapper = (
  profile: CsvProfile,
  header: ReadonlyArray<string>,
  headerRow: number,
  context: { readonly timeZone: string; readonly prices?: BookPriceLookup },
): E.Either<RowError, RowMapper> => {
  const index = new Map<string, number>();
  const trimmed = header.map((name) => name.trim());
  for (const name of columnsRead(profile)) {
    const found = trimmed.flatMap((h, i) => (h === name ? [i] : []));
    if (found.length === 0)
      return E.left({ row: headerRow, message: `no column "${name}" in the header (it has ${trimmed.map((h) => `"${h}"`).join(', ')})` });
    if (found.length > 1) return E.left({ row: headerRow, column: name, message: 'appears more than once in the header' });
    index.set(name, found[0]!);
  }
  const mappings = mappingsOf(profile);
  const numbers: NumberFormat = {
    decimalMark: profile.decimalMark ?? '.',
    ...(profile.thousandsSeparator === undefined ? {} : { thousandsSeparator: profile.thousandsSeparator }),
  };
  const times: TimeFormat = {
    dateFormat: profile.dateFormat,
    timeZone: profile.timeZone ?? context.timeZone,
    dateOnlyAt: profile.dateOnlyAt ?? 'end-of-day',
  };
  const cellOf = (cells: ReadonlyArray<string>, column: string): string => cells[index.get(column)!] ?? '';

  const amount = (cells: ReadonlyArray<string>, spec: ColumnSpec, scale: number): E.Either<{ column: string; message: string }, string> => {
    const value = parseAmount(cellOf(cells, spec.column), scale, numbers);
    if (E.isLeft(value)) return E.left({ column: spec.column, message: value.left });
    if (spec.less === undefined) return E.right(formatAmount(value.right, scale));
    const less = parseAmount(cellOf(cells, spec.less), scale, numbers);
    if (E.isLeft(less)) return E.left({ column: spec.less, message: less.left });
    return E.right(formatAmount(value.right - less.right, scale));
  };

  const parseCell = (cells: ReadonlyArray<string>, spec: ColumnSpec): E.Either<{ column: string; message: string }, string> => {
    const at = (result: E.Either<string, string>) => E.mapLeft((message: string) => ({ column: spec.column, message }))(result);
    const cell = cellOf(cells, spec.column);
    switch (spec.type) {
      case 'btc':
        return amount(cells, spec, SCALE.btc);
      case 'usd':
        return amount(cells, spec, SCALE.usd);
      case 'sats':
        return spec.less === undefined
          ? at(parseSats(cell, numbers))
          : E.left({ column: spec.column, message: '"less" applies to btc and usd columns only' });
      case 'date':
        return at(parseDate(cell, times));
      case 'instant':
        return at(parseInstant(cell, times));
      case 'text':
        return at(parseText(cell));
    }
  };

  const map = (cells: ReadonlyArray<string>, row: number): E.Either<RowError, MappedRow> => {
    let mapping: Mapping | undefined;
    if (profile.commandBy === undefined) mapping = mappings.get('');
    else {
      const choice = cellOf(cells, profile.commandBy.column).trim();
      mapping = mappings.get(choice.toLowerCase());
      if (mapping === undefined) {
        const accepted = [...mappings.keys()].map((k) => `"${k}"`).join(', ');
        return E.left({ row, column: profile.commandBy.column, message: `"${choice.slice(0, 64)}" is not one of ${accepted}` });
      }
    }
    if (mapping === undefined) return E.left({ row, message: 'the profile maps no command' });
    const body: Record<string, unknown> = {};
    const facts: Record<string, string> = { command: mapping.command };
    const source = new Map<string, string>();
    for (const [field, spec] of Object.entries(mapping.columns)) {
      if (spec.optional === true && cellOf(cells, spec.column).trim() === '') continue;
      const value = parseCell(cells, spec);
      if (E.isLeft(value)) return E.left({ row, ...value.left });
      setPath(body, field, value.right);
      facts[field] = value.right;
      source.set(field, `column "${spec.column}"`);
    }
    for (const [field, value] of Object.entries(mapping.constants)) {
      setPath(body, field, value);
      source.set(field, `profile constant "${field}"`);
    }
    if (profile.bookPrice !== undefined) {
      const priced = bookPriceFor(profile.bookPrice, body, context.prices);
      if (E.isLeft(priced)) return E.left({ row, column: columnOf(mapping, 'effectiveAt'), message: priced.left });
      setPath(body, profile.bookPrice.field, priced.right);
    }
    const decoded = decodeBookCommand(mapping.command, body);
    if (E.isLeft(decoded)) {
      const first = decoded.left._tag === 'InvalidCommand' ? decoded.left.errors[0] : undefined;
      const path = first?.path ?? '';
      const message = first?.message ?? 'is not a valid command';
      const field = [...source.keys()].find((f) => f === path || f.startsWith(`${path}.`) || path.startsWith(`${f}.`));
      const column = field === undefined ? undefined : columnOf(mapping, field);
      if (column !== undefined) return E.left({ row, column, message });
      return E.left({ row, message: `${field === undefined ? `field "${path}"` : source.get(field)!} ${message}` });
    }
    const columns = Object.fromEntries(Object.entries(mapping.columns).map(([field, spec]) => [field, spec.column]));
    const raw: Record<string, string> = {};
    for (const column of columnsOf(profile, mapping)) raw[column] = cellOf(cells, column).trim();
    const reference = mapping.columns.reference?.column;
    const id = reference === undefined || raw[reference] === '' ? undefined : { column: reference, value: raw[reference]! };
    return E.right({ row, command: mapping.command, body, facts, cells: raw, columns, ...(id === undefined ? {} : { id }) });
  };
  return E.right({ map });
};

const columnOf = (mapping: Mapping, field: string): string | undefined => mapping.columns[field]?.column;

/** The columns one mapping reads: the command's cell, each field's column and its "less" column. */
const columnsOf = (profile: CsvProfile, mapping: Mapping): ReadonlyArray<string> => {
  const names = new Set<string>();
  if (profile.commandBy !== undefined) names.add(profile.commandBy.column);
  for (const spec of Object.values(mapping.columns)) {
    names.add(spec.column);
    if (spec.less !== undefined) names.add(spec.less);
  }
  return [...names].sort();
};

const HOUR_MS = 3_600_000;
/** A day's close is a day old at the latest moment a payout of the next day may use it; two days leaves a gap of one missing close. */
export const DEFAULT_PRICE_MAX_AGE_HOURS = 48;

const bookPriceFor = (
  spec: NonNullable<CsvProfile['bookPrice']>,
  body: Record<string, unknown>,
  prices: BookPriceLookup | undefined,
): E.Either<string, string> => {
  const when = typeof body.effectiveAt === 'string' ? Date.parse(body.effectiveAt) : Number.NaN;
  if (Number.isNaN(when)) return E.left('no effectiveAt to look the book price up at');
  const found = prices?.at(when);
  const iso = new Date(when).toISOString();
  if (found === undefined)
    return E.left(
      `the book has no BTC price at or before ${iso} for ${spec.field}: import the daily prices first (import-csv --profile daily-prices …)`,
    );
  const maxAge = spec.maxAgeHours ?? DEFAULT_PRICE_MAX_AGE_HOURS;
  if (when - found.effectiveAt > maxAge * HOUR_MS) {
    return E.left(
      `the book's latest BTC price at or before ${iso} is from ${new Date(found.effectiveAt).toISOString()}, more than ${maxAge} hours earlier: import the missing daily prices first`,
    );
  }
  return E.right(formatUsd(found.usdPerBtcCents));
};
