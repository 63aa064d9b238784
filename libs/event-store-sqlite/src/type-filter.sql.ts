import type { EventTypeFilter } from '@treasury/event-store';

/**
 * The smallest string above every string that starts with `prefix`, in SQLite's BINARY order (UTF-8
 * bytes, which is code-point order): the prefix with its last code point raised by one. `undefined`
 * for '' (no bound). A last code point at the top of Unicode has no successor: then every string from
 * the prefix up to the shorter prefix's successor starts with it.
 */
export const prefixUpperBound = (prefix: string): string | undefined => {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) return String.fromCodePoint(...points, last === 0xd7ff ? 0xe000 : last + 1);
  }
  return undefined;
};

/**
 * The SQL condition and its parameters for a type filter: one range per prefix (`type >= p AND type < p'`),
 * so no LIKE wildcard (`_`, `%`) in a prefix can widen it, and no row's JSON is parsed to decide.
 */
export const typeFilterSql = (filter: EventTypeFilter): { readonly sql: string; readonly params: ReadonlyArray<string> } => {
  const terms: string[] = [];
  const params: string[] = [];
  for (const prefix of filter.prefixes) {
    const upper = prefixUpperBound(prefix);
    if (upper === undefined) return { sql: '1', params: [] };
    terms.push('(type >= ? AND type < ?)');
    params.push(prefix, upper);
  }
  return { sql: `(${terms.join(' OR ')})`, params };
};
