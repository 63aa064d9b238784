import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so that key order never changes a request's identity.
 * Built with plain loops: the CLI import hashes every line's body, and this is on its hot path.
 */
export const canonicalJson = (value: unknown): string => {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` on strings does.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const field = record[key];
    if (field === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(field)}`;
    first = false;
  }
  return `${out}}`;
};

/**
 * Identifies a request for idempotency: the command name and its body exactly as sent (after key
 * sorting). "1.5" and "1.50" are different requests; a client retrying sends the same bytes.
 */
export const requestHash = (command: string, body: unknown): string =>
  createHash('sha256').update(command).update('\n').update(canonicalJson(body)).digest('hex');
