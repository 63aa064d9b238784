import { createHash } from 'node:crypto';

/** An object with an array-index key: JavaScript enumerates those first, so a sorted copy would not stay sorted. */
const UNSORTABLE = Symbol('unsortable');
const isIndexLike = (key: string): boolean => key.length > 0 && key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57;

/** A copy with every object's keys inserted in sorted order, undefined fields dropped, as canonicalJson prints them. */
const sortedCopy = (value: unknown): unknown => {
  if (typeof value === 'function' || typeof value === 'symbol') return null;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` on strings does.
  const keys = Object.keys(record).sort();
  // No prototype: a "__proto__" key stays an ordinary field.
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of keys) {
    const field = record[key];
    if (field === undefined) continue;
    if (isIndexLike(key)) throw UNSORTABLE;
    copy[key] = sortedCopy(field);
  }
  return copy;
};

/** The same text built by hand, for the rare object with a key starting with a digit. */
const canonicalByHand = (value: unknown): string => {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonicalByHand(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const field = record[key];
    if (field === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalByHand(field)}`;
    first = false;
  }
  return `${out}}`;
};

/**
 * JSON with object keys sorted at every depth, so that key order never changes a request's identity.
 * Every imported line and every event's hash goes through here: a sorted copy printed by the native
 * JSON.stringify is about twice as fast as building the text by hand, which it falls back to only for
 * keys starting with a digit.
 */
export const canonicalJson = (value: unknown): string => {
  try {
    return JSON.stringify(sortedCopy(value)) ?? 'null';
  } catch (error) {
    if (error !== UNSORTABLE) throw error;
    return canonicalByHand(value);
  }
};

/**
 * Identifies a request for idempotency: the command name and its body exactly as sent (after key
 * sorting). "1.5" and "1.50" are different requests; a client retrying sends the same bytes.
 */
export const requestHash = (command: string, body: unknown): string =>
  createHash('sha256').update(command).update('\n').update(canonicalJson(body)).digest('hex');
