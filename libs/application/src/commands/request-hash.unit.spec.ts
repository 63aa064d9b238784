import fc from 'fast-check';
import { canonicalJson, requestHash } from './request-hash';

/** The form before canonicalJson was rewritten with loops: stored requestHash values were made with it. */
const reference = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

describe('canonicalJson and requestHash', () => {
  it('keep the hash of a request recorded before (idempotency keys in old logs still match)', () => {
    const body = {
      wallet: 'cold',
      effectiveAt: '2026-01-31T00:00:00Z',
      btc: '10',
      usdPerBtc: '90000.00',
      memo: 'é "q"',
      nested: { b: [1, null, { z: 1, a: 'x' }], a: true },
    };
    expect(canonicalJson(body)).toBe(
      '{"btc":"10","effectiveAt":"2026-01-31T00:00:00Z","memo":"é \\"q\\"","nested":{"a":true,"b":[1,null,{"a":"x","z":1}]},"usdPerBtc":"90000.00","wallet":"cold"}',
    );
    expect(requestHash('record-mining-output', body)).toBe('1763023a3d699ada980834e0bbad5a5f4a24a2d58876eceb5894b98f14abbe9b');
  });

  it('equal the reference form on any JSON value, undefined fields and unicode keys included', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(
          fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('1', '10', '9', '01', '__proto__', 'constructor', '')),
          fc.oneof(tie('node'), fc.constant(undefined)),
          { maxKeys: 5 },
        ),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => canonicalJson(v) === reference(v)),
      { numRuns: 2000 },
    );
    // Strings made of the characters JSON escapes (or not) around plain ones: the quoted-as-is path must agree.
    const awkward = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\u0000', '\u001f', ' ', '\ud800', '\udc00', '😀', '\u2028', 'é') });
    fc.assert(
      fc.property(
        awkward,
        fc.dictionary(awkward, awkward),
        (text, record) => canonicalJson(text) === reference(text) && canonicalJson(record) === reference(record),
      ),
      { numRuns: 2000 },
    );
    for (const tricky of [
      {
        q: 'say "hi"',
        b: 'a\\b',
        c: '\u0001\n\t',
        lone: '\ud800x',
        low: 'x\udfff',
        emoji: '😀',
        sep: '\u2028\u2029',
        del: '\u007f',
        plain: 'tek_ab12cd34',
      },
      { 10: 'a', 9: 'b', x: 1 },
      JSON.parse('{"__proto__": {"b": 1, "a": 2}}'),
      { when: new Date(0) },
      [undefined, () => 1],
      { f: () => 1 },
      undefined,
      -0,
      Number.NaN,
    ]) {
      expect(canonicalJson(tricky)).toBe(reference(tricky));
    }
  });
});
