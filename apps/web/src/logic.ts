/**
 * The console's pure helpers (no DOM, no clock), unit-tested in logic.unit.spec.ts: roles, exact
 * decimal display, month ticks, wall time in a zone to an instant, command bodies from form fields.
 */
import type { Me, Role } from './types';

/** The same nesting as the API's roles (libs/domain/src/access/roles.ts). */
const INCLUDES: Readonly<Record<Role, ReadonlyArray<Role>>> = {
  viewer: ['viewer'],
  auditor: ['auditor', 'viewer'],
  bookkeeper: ['bookkeeper', 'viewer'],
  treasurer: ['treasurer', 'bookkeeper', 'viewer'],
  admin: ['viewer', 'auditor', 'bookkeeper', 'treasurer', 'admin'],
};

export const holds = (me: Me, role: Role, bookId: string): boolean =>
  me.grants.some((grant) => INCLUDES[grant.role]?.includes(role) === true && (grant.books === '*' || grant.books.includes(bookId)));

/** A decimal string with thousands separators, digits untouched: "1234567.50" -> "1,234,567.50". */
export const groupDigits = (decimal: string): string => {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (match === null) return decimal;
  return `${match[1]}${match[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${match[3] ?? ''}`;
};

/** A ratio string as a percentage, exactly: "0.625946" -> "62.5946%". */
export const ratioAsPercent = (ratio: string): string => {
  const match = /^(-?)(\d+)\.?(\d*)$/.exec(ratio);
  if (match === null) return ratio;
  const digits = `${match[2]}${match[3]!.padEnd(2, '0')}`;
  const whole = digits.slice(0, match[2]!.length + 2).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(match[2]!.length + 2).replace(/0+$/, '');
  return `${match[1]}${whole}${rest === '' ? '' : `.${rest}`}%`;
};

/** For drawing only: a chart needs a float. The figures shown are the strings. */
export const toFloat = (decimal: string | null | undefined): number | null =>
  decimal === null || decimal === undefined ? null : Number(decimal);

/** Calendar parts of an instant in a zone. */
const partsIn = (ms: number, timeZone: string) => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
};

/** The zone's offset from UTC at an instant, in ms. */
const offsetAt = (ms: number, timeZone: string): number => {
  const p = partsIn(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
};

/** "2025-10-31T17:30" (a datetime-local value) in `timeZone` -> "2025-10-31T21:30:00.000Z"; undefined if malformed. */
export const wallTimeToInstant = (local: string, timeZone: string): string | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (match === null) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes settle the offset on either side of a daylight-saving change.
  let instant = asUtc - offsetAt(asUtc, timeZone);
  instant = asUtc - offsetAt(instant, timeZone);
  return new Date(instant).toISOString();
};

/** Today's date (YYYY-MM-DD) in a zone, at `nowMs`. */
export const dateIn = (nowMs: number, timeZone: string): string => {
  const p = partsIn(nowMs, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Month ticks between two instants (seconds, as uPlot's x scale): the first of each month in UTC, every
 * `step`-th month so that at most `maxTicks` fit.
 */
export const monthTicks = (minSeconds: number, maxSeconds: number, maxTicks: number): number[] => {
  const start = new Date(minSeconds * 1000);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  if (Date.UTC(year, month, 1) < minSeconds * 1000) month += 1;
  const all: number[] = [];
  for (;;) {
    const at = Date.UTC(year, month, 1) / 1000;
    if (at > maxSeconds) break;
    all.push(at);
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  const step = Math.max(1, Math.ceil(all.length / Math.max(1, maxTicks)));
  return all.filter((at) => new Date(at * 1000).getUTCMonth() % step === 0);
};

export const monthLabel = (seconds: number): string => {
  const date = new Date(seconds * 1000);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
};

/** The series step for a range: daily up to two years, weekly beyond (a few hundred points either way). */
export const seriesStep = (fromMs: number, toMs: number): '1d' | '1w' => (toMs - fromMs <= 2 * 366 * 86_400_000 ? '1d' : '1w');

/** A field of a command's JSON schema, as the form draws it. */
export interface FormField {
  readonly name: string;
  readonly required: boolean;
  readonly kind: 'text' | 'decimal' | 'instant' | 'select' | 'checkbox' | 'json';
  readonly options: ReadonlyArray<string>;
  readonly description: string;
  readonly example: string;
}

interface JsonSchema {
  readonly type?: string | ReadonlyArray<string>;
  readonly format?: string;
  readonly pattern?: string;
  readonly enum?: ReadonlyArray<unknown>;
  readonly description?: string;
  readonly example?: unknown;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: ReadonlyArray<string>;
}

/** The command's body schema (an object) -> the form's fields, required first as the schema orders them. */
export const formFields = (schema: JsonSchema): FormField[] =>
  Object.entries(schema.properties ?? {}).map(([name, field]) => {
    const required = (schema.required ?? []).includes(name);
    const kind: FormField['kind'] =
      field.enum !== undefined && field.enum.length === 1 && field.enum[0] === true
        ? 'checkbox'
        : field.enum !== undefined
          ? 'select'
          : field.format === 'date-time'
            ? 'instant'
            : field.type === 'object' || field.type === 'array'
              ? 'json'
              : field.pattern !== undefined && /\\d/.test(field.pattern) && /\\\./.test(field.pattern)
                ? 'decimal'
                : 'text';
    return {
      name,
      required,
      kind,
      options: (field.enum ?? []).map(String),
      description: field.description ?? '',
      example: field.example === undefined ? '' : typeof field.example === 'string' ? field.example : JSON.stringify(field.example),
    };
  });

/**
 * Form values -> the command body: empty fields left out (the API says which are required), instants
 * converted from wall time in the chosen zone, JSON fields parsed. A value that cannot be converted is
 * sent as typed, so the API's own error names the field.
 */
export const commandBody = (
  fields: ReadonlyArray<FormField>,
  values: Readonly<Record<string, string | boolean>>,
  timeZone: string,
): Record<string, unknown> => {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined || value === '' || value === false) continue;
    if (field.kind === 'checkbox') body[field.name] = true;
    else if (field.kind === 'instant') body[field.name] = wallTimeToInstant(String(value), timeZone) ?? value;
    else if (field.kind === 'json') {
      try {
        body[field.name] = JSON.parse(String(value));
      } catch {
        body[field.name] = value;
      }
    } else body[field.name] = value;
  }
  return body;
};

/** The form field an API error path belongs to: "replacement.btc" -> "replacement", "body" -> "". */
export const fieldOfPath = (path: string): string => path.replace(/^body\.?/, '').split(/[.[]/)[0] ?? '';
