import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so that key order never changes a request's identity. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/**
 * Identifies a request for idempotency: the command name and its body exactly as sent (after key
 * sorting). "1.5" and "1.50" are different requests; a client retrying sends the same bytes.
 */
export const requestHash = (command: string, body: unknown): string =>
  createHash('sha256').update(command).update('\n').update(canonicalJson(body)).digest('hex');
