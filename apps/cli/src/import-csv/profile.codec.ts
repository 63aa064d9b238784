import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { ClosedObjectType, FieldError, Text, TimeZone, bookCommandCodecs, closedObject, toFieldErrors } from '@treasury/domain';

/**
 * A mapping profile: how one CSV shape (a pool's payout export, an exchange's fills, …) becomes
 * commands. Every object is closed (a typo is refused, not ignored) and every list and string bounded,
 * because a profile may come from any file the user names.
 */

/** The commands a statement row may become: the recording ones, each with its own effectiveAt. */
export const IMPORTABLE_COMMANDS = [
  'record-mining-output',
  'record-btc-purchase',
  'record-btc-sale',
  'record-btc-payment',
  'record-btc-price',
  'record-reported-holdings',
  'record-cash-movement',
  'transfer-btc',
] as const;
export type ImportableCommand = (typeof IMPORTABLE_COMMANDS)[number];

const enumOf = <A extends string>(name: string, values: ReadonlyArray<A>) =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A => typeof u === 'string' && (values as ReadonlyArray<string>).includes(u),
    (u, c) =>
      typeof u === 'string' && (values as ReadonlyArray<string>).includes(u)
        ? t.success(u as A)
        : t.failure(u, c, `must be one of ${values.map((v) => `"${v}"`).join(', ')}`),
    (a) => a,
  );

const bounded = (name: string, pattern: RegExp, rule: string) =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && pattern.test(u),
    (u, c) => (typeof u === 'string' && pattern.test(u) ? t.success(u) : t.failure(u, c, rule)),
    (s) => s,
  );

/** A record with a bounded number of keys, each key checked by a pattern. */
const boundedRecord = <C extends t.Mixed>(name: string, keyPattern: RegExp, keyRule: string, value: C, min: number, max: number) =>
  new t.Type<Record<string, t.TypeOf<C>>, Record<string, t.OutputOf<C>>, unknown>(
    name,
    (u): u is Record<string, t.TypeOf<C>> => typeof u === 'object' && u !== null && !Array.isArray(u),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'must be a JSON object');
      const entries = Object.entries(u as Record<string, unknown>);
      if (entries.length < min || entries.length > max)
        return t.failure(u, c, `must have ${min} to ${max} entries (got ${entries.length})`);
      const errors: t.ValidationError[] = [];
      const out: Record<string, t.TypeOf<C>> = {};
      for (const [key, raw] of entries) {
        const at = t.appendContext(c, key, value, raw);
        if (!keyPattern.test(key)) errors.push({ value: raw, context: at, message: keyRule });
        const decoded = value.validate(raw, at);
        if (E.isLeft(decoded)) errors.push(...decoded.left);
        else out[key] = decoded.right;
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out);
    },
    (a) => a,
  );

export const ProfileName = bounded('ProfileName', /^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1 to 64 characters of a-z, 0-9 and "-"');
/** A header as the CSV spells it (matched exactly, after trimming). */
export const ColumnName = bounded(
  'ColumnName',
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
  /^(?=.*\S)[^\u0000-\u001f]{1,128}$/,
  'must be a column header: 1 to 128 printable characters',
);
/** A command body field, or one level below it (`scope.wallet`). */
const FIELD_PATH = /^[a-zA-Z][a-zA-Z0-9]{0,31}(\.[a-zA-Z][a-zA-Z0-9]{0,31})?$/;
const fieldRule = 'must be a command field such as "btc" or "scope.wallet"';
/** A cell value that selects the command (`buy`, `sell`), compared case-insensitively after trimming. */
// eslint-disable-next-line no-control-regex -- as above
const CELL_KEY = /^(?=.*\S)[^\u0000-\u001f]{1,64}$/;

export const COLUMN_TYPES = ['instant', 'date', 'btc', 'sats', 'usd', 'text'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];
export const DATE_FORMATS = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'DD.MM.YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const ColumnSpec = closedObject(
  'ColumnSpec',
  { column: ColumnName, type: enumOf('ColumnType', COLUMN_TYPES) },
  // less: an amount of the same unit subtracted (net = USD - Fee); optional: an empty cell leaves the field out.
  { less: ColumnName, optional: t.boolean },
);
export type ColumnSpec = t.TypeOf<typeof ColumnSpec>;

const Columns = boundedRecord('Columns', FIELD_PATH, fieldRule, ColumnSpec, 1, 32);
const Constants = boundedRecord('Constants', FIELD_PATH, fieldRule, Text, 0, 32);

const CommandChoice = closedObject(
  'CommandChoice',
  { command: enumOf('ImportableCommand', IMPORTABLE_COMMANDS) },
  { columns: boundedRecord('Columns', FIELD_PATH, fieldRule, ColumnSpec, 0, 32), constants: Constants },
);
export type CommandChoice = t.TypeOf<typeof CommandChoice>;

const CommandBy = closedObject('CommandBy', {
  column: ColumnName,
  values: boundedRecord('Values', CELL_KEY, 'must be 1 to 64 printable characters', CommandChoice, 1, 16),
});

const BookPrice = closedObject(
  'BookPrice',
  { field: enumOf('PriceField', ['usdPerBtc'] as const) },
  { maxAgeHours: t.refinement(t.Int, (n) => n >= 1 && n <= 8_784, 'HoursUpToAYear') },
);

const ProfileShape = closedObject(
  'CsvProfile',
  { name: ProfileName, columns: Columns, dateFormat: enumOf('DateFormat', DATE_FORMATS) },
  {
    description: Text,
    command: enumOf('ImportableCommand', IMPORTABLE_COMMANDS),
    commandBy: CommandBy,
    constants: Constants,
    timeZone: TimeZone,
    dateOnlyAt: enumOf('DateOnlyAt', ['end-of-day', 'start-of-day'] as const),
    decimalMark: enumOf('DecimalMark', ['.', ','] as const),
    thousandsSeparator: enumOf('ThousandsSeparator', [',', '.', ' ', "'"] as const),
    delimiter: enumOf('Delimiter', [',', ';', '\t', '|'] as const),
    skipRows: t.refinement(t.Int, (n) => n >= 0 && n <= 100, 'ZeroToHundred'),
    bookPrice: BookPrice,
  },
);
export type CsvProfile = t.TypeOf<typeof ProfileShape>;

/** What a profile is worth reading: far larger than any real one, small enough to parse at once. */
export const MAX_PROFILE_BYTES = 64 * 1024;

/** One command a row may become, with the columns and constants that apply to it. */
export interface Mapping {
  readonly command: ImportableCommand;
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  readonly constants: Readonly<Record<string, string>>;
}

/** The mappings of a profile: one for `command`, one per cell value for `commandBy` (keys lower-cased). */
export const mappingsOf = (profile: CsvProfile): ReadonlyMap<string, Mapping> => {
  const shared = { columns: profile.columns, constants: profile.constants ?? {} };
  if (profile.command !== undefined) return new Map([['', { command: profile.command, ...shared }]]);
  return new Map(
    Object.entries(profile.commandBy?.values ?? {}).map(([value, choice]) => [
      value.trim().toLowerCase(),
      {
        command: choice.command,
        columns: { ...shared.columns, ...choice.columns },
        constants: { ...shared.constants, ...choice.constants },
      },
    ]),
  );
};

const commandFields = (command: ImportableCommand) => {
  const codec = bookCommandCodecs[command] as unknown as ClosedObjectType<t.Props, t.Props>;
  return {
    required: Object.keys(codec.required),
    all: new Set([...Object.keys(codec.required), ...Object.keys(codec.optional)]),
    codecOf: (field: string): t.Mixed | undefined => codec.required[field] ?? codec.optional[field],
  };
};

/** What the codec cannot say alone: one way to pick the command, fields the command has, every required field fed. */
const checkMappings = (profile: CsvProfile): ReadonlyArray<FieldError> => {
  if ((profile.command === undefined) === (profile.commandBy === undefined))
    return [{ path: 'command', message: 'give either "command" or "commandBy", not both or neither' }];
  if (profile.decimalMark !== undefined && profile.decimalMark === profile.thousandsSeparator)
    return [{ path: 'thousandsSeparator', message: 'must differ from decimalMark' }];
  const errors: FieldError[] = [];
  const keys = new Set<string>();
  for (const raw of Object.keys(profile.commandBy?.values ?? {})) {
    const value = raw.trim().toLowerCase();
    if (keys.has(value))
      errors.push({ path: 'commandBy.values', message: `"${value}" is given twice (values are compared case-insensitively)` });
    keys.add(value);
  }
  for (const [value, mapping] of mappingsOf(profile)) {
    const where = profile.commandBy === undefined ? '' : `commandBy.values.${value}: `;
    const fields = commandFields(mapping.command);
    const fed = new Set([
      ...Object.keys(mapping.columns),
      ...Object.keys(mapping.constants),
      ...(profile.bookPrice === undefined ? [] : [profile.bookPrice.field]),
    ]);
    for (const field of fed) {
      if (!fields.all.has(field.split('.')[0]!))
        errors.push({ path: `${where}${field}`, message: `${mapping.command} has no field "${field.split('.')[0]}"` });
    }
    for (const [field, value] of Object.entries(mapping.constants)) {
      // A constant is the same on every row: checked by the command's codec once, here.
      const decoded = field.includes('.') ? undefined : fields.codecOf(field)?.decode(value);
      if (decoded !== undefined && E.isLeft(decoded))
        errors.push({ path: `${where}constants.${field}`, message: toFieldErrors(decoded.left)[0]?.message ?? 'is invalid' });
    }
    for (const field of fields.required) {
      if (![...fed].some((f) => f.split('.')[0] === field))
        errors.push({
          path: `${where}columns`,
          message: `${mapping.command} needs "${field}": map a column to it or give it as a constant`,
        });
    }
    if (
      profile.bookPrice !== undefined &&
      (mapping.columns[profile.bookPrice.field] !== undefined || mapping.constants[profile.bookPrice.field] !== undefined)
    ) {
      errors.push({
        path: 'bookPrice',
        message: `"${profile.bookPrice.field}" comes from a column or constant already; drop bookPrice or that mapping`,
      });
    }
  }
  return errors;
};

/** Decodes a parsed profile: closed, bounded, and consistent with the commands it names. */
export const decodeProfileJson = (json: unknown): E.Either<ReadonlyArray<FieldError>, CsvProfile> => {
  const decoded = ProfileShape.decode(json);
  if (E.isLeft(decoded)) return E.left(toFieldErrors(decoded.left));
  const problems = checkMappings(decoded.right);
  return problems.length > 0 ? E.left(problems) : E.right(decoded.right);
};

/** Decodes a profile file's text, refusing one above MAX_PROFILE_BYTES before parsing it. */
export const decodeProfile = (text: string): E.Either<ReadonlyArray<FieldError>, CsvProfile> => {
  if (Buffer.byteLength(text, 'utf8') > MAX_PROFILE_BYTES)
    return E.left([{ path: '', message: `a profile must be at most ${MAX_PROFILE_BYTES} bytes` }]);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return E.left([{ path: '', message: `not JSON: ${(error as Error).message}` }]);
  }
  return decodeProfileJson(json);
};
