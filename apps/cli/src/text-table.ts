/** A plain text table: numbers right-aligned, the rest left-aligned, `—` for null. */
export const textTable = (
  columns: ReadonlyArray<readonly [header: string, key: string]>,
  rows: ReadonlyArray<Record<string, unknown>>,
): string => {
  const cells = rows.map((row) => columns.map(([, key]) => (row[key] === null || row[key] === undefined ? '—' : String(row[key]))));
  const widths = columns.map(([header], c) => Math.max(header.length, ...cells.map((r) => r[c]!.length)));
  const numeric = columns.map((_, c) => cells.every((r) => /^-?[\d.,]+$|^—$/.test(r[c]!)));
  const pad = (text: string, c: number) => (numeric[c] ? text.padStart(widths[c]!) : text.padEnd(widths[c]!));
  return [
    columns.map(([header], c) => pad(header, c)).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((r) => r.map(pad).join('  ')),
  ].join('\n');
};
