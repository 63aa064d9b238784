import type { EventView } from '@treasury/application';

const COLUMNS = [
  'revision',
  'logPosition',
  'eventId',
  'type',
  'effectiveAt',
  'recordedAt',
  'actor',
  'commandId',
  'reference',
  'reverses',
  'reversedBy',
  'hash',
  'data',
  'amends',
  'amendedBy',
  'migrated',
] as const;

export const CSV_HEADER = `${COLUMNS.join(',')}\r\n`;

/** A cell a spreadsheet would run as a formula: it starts with =, +, -, @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number ("-125000.00", "+3"): a spreadsheet reads it as a number, never a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * CSV injection (OWASP): text starting with a formula character gets a leading apostrophe, which
 * spreadsheets show as text and do not evaluate. Plain numbers are left as they are.
 */
export const neutraliseFormula = (text: string): string => (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text);

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const field = (value: string | number | null | undefined): string => {
  const text = value === null || value === undefined ? '' : neutraliseFormula(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvRow = (view: EventView): string => {
  const metadata = view.metadata as { actor?: string; commandId?: string; reference?: string; hash?: string; migrated?: boolean };
  const cells = [
    view.revision,
    view.logPosition,
    view.eventId,
    view.type,
    view.effectiveAt,
    view.recordedAt,
    metadata.actor,
    metadata.commandId,
    metadata.reference,
    view.reverses,
    view.reversedBy?.eventId,
    metadata.hash,
    JSON.stringify(view.data),
    // Appended after data, so a reader of the earlier columns by position is unaffected.
    view.amends,
    view.amendedBy?.eventId,
    // Loaded in migration mode: recordedAt is the old system's date, not the server clock's.
    metadata.migrated === true ? 'true' : '',
  ];
  return `${cells.map(field).join(',')}\r\n`;
};
