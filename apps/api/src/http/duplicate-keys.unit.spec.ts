import fc from 'fast-check';
import { firstDuplicateKey } from './duplicate-keys';

describe('firstDuplicateKey', () => {
  it.each([
    ['a repeated top-level key', '{"btc":"1000000","wallet":"cold","btc":"0.00000001"}', 'btc'],
    ['a key repeated through an escape', '{"btc":"1","\\u0062tc":"2"}', 'btc'],
    ['an escaped key repeated plainly', '{"\\u0061":1,"a":2}', 'a'],
    ['a repeat inside a nested object', '{"a":{"b":1,"c":{"d":1,"d":2}}}', 'a.c.d'],
    ['a repeat inside an object in an array', '{"items":[{"x":1},{"x":1,"x":2}]}', 'items.1.x'],
    ['a repeat in a top-level array', '[0,{"k":1,"k":2}]', '1.k'],
    ['keys with quotes and backslashes', '{"a\\"b":1,"a\\u0022b":2}', 'a"b'],
    ['whitespace everywhere', ' { "a" : 1 ,\n\t"a" : [ ] } ', 'a'],
  ])('finds %s', (_case, text, path) => {
    expect(firstDuplicateKey(text)).toBe(path);
  });

  it.each([
    ['distinct keys', '{"btc":"1","wallet":"cold"}'],
    ['the same key in sibling objects', '{"a":{"x":1},"b":{"x":2}}'],
    ['the same key at different depths', '{"a":{"a":{"a":1}}}'],
    ['a value equal to a key', '{"a":"a","b":"a"}'],
    ['a string that looks like JSON', '{"memo":"{\\"a\\":1,\\"a\\":2}"}'],
    ['keys differing only by case', '{"A":1,"a":2}'],
    ['scalars', '"x"'],
    ['numbers and literals', '{"a":-1.5e3,"b":true,"c":null,"d":[1,false]}'],
  ])('accepts %s', (_case, text) => {
    expect(firstDuplicateKey(text)).toBeUndefined();
  });

  it.each(['{"a":', '{"a":"unterminated', '}', '{"\\uZZZZ":1,"\\uZZZZ":2}'])(
    'reports nothing on malformed JSON %j (JSON.parse refuses it)',
    (text) => {
      expect(firstDuplicateKey(text)).toBeUndefined();
    },
  );

  it('agrees with JSON.parse on any JSON without duplicates, and finds the one added', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 8 }), (object) => {
        const text = JSON.stringify(object);
        expect(firstDuplicateKey(text)).toBeUndefined();
        const [key] = Object.keys(object);
        const doubled = `${text.slice(0, -1)},${JSON.stringify(key)}:0}`;
        expect(firstDuplicateKey(doubled)).toBe(key);
      }),
    );
  });
});
