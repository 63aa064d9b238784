/**
 * JSON.parse keeps the last of two equal keys, so `{"btc":"1000000","btc":"0.00000001"}` would quietly
 * sell one satoshi. This is one pass over the raw text that finds the first key repeated within one
 * object, at any depth, comparing keys after unescaping (`"a"` and `"\u0061"` are the same key).
 *
 * It only tracks structure: it assumes well-formed JSON and stops (reporting nothing) at the first
 * thing it does not expect, leaving the error to JSON.parse, which runs next.
 */

type Frame =
  | { readonly kind: 'object'; readonly path: string; readonly keys: Set<string>; key: string | undefined; expectingKey: boolean }
  | { readonly kind: 'array'; readonly path: string; index: number };

const join = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** The path (dot-separated, array indices as numbers, like every field error) of the first duplicated key, if any. */
export const firstDuplicateKey = (text: string): string | undefined => {
  const stack: Frame[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (WHITESPACE.has(c)) {
      i += 1;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 0x22) break;
        j += 1;
      }
      if (j >= n) return undefined;
      if (top?.kind === 'object' && top.expectingKey) {
        let key = text.slice(i + 1, j);
        if (escaped) {
          try {
            key = JSON.parse(text.slice(i, j + 1)) as string;
          } catch {
            return undefined;
          }
        }
        if (top.keys.has(key)) return join(top.path, key);
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      i = j + 1;
      continue;
    }
    switch (c) {
      case 0x7b /* { */:
      case 0x5b /* [ */: {
        const path =
          top === undefined
            ? ''
            : top.kind === 'array'
              ? join(top.path, top.index)
              : top.key === undefined
                ? top.path
                : join(top.path, top.key);
        stack.push(
          c === 0x7b ? { kind: 'object', path, keys: new Set(), key: undefined, expectingKey: true } : { kind: 'array', path, index: 0 },
        );
        break;
      }
      case 0x7d /* } */:
      case 0x5d /* ] */:
        if (stack.pop() === undefined) return undefined;
        break;
      case 0x2c /* , */:
        if (top === undefined) return undefined;
        if (top.kind === 'array') top.index += 1;
        else top.expectingKey = true;
        break;
      case 0x3a /* : */:
        break;
      default:
        // A number or a literal: skip to the next delimiter.
        while (i + 1 < n && !/[\s,:{}[\]"]/.test(text[i + 1]!)) i += 1;
    }
    i += 1;
  }
  return undefined;
};
