import * as t from 'io-ts';
import Ajv2020 from 'ajv/dist/2020';
import { closedObject } from './closed-object';
import { toJsonSchema } from './json-schema';
import { JsonSchema, asComponent, withSchema } from './schema-registry';

const validator = (schema: JsonSchema, components: Record<string, JsonSchema> = {}) => {
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema({ $id: 'components', $defs: components });
  return ajv.compile({ ...schema, $defs: components });
};

describe('toJsonSchema', () => {
  const Money = withSchema(
    new t.Type<string, string, unknown>(
      'Money',
      (u): u is string => typeof u === 'string',
      (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
      t.identity,
    ),
    {
      type: 'string',
      pattern: '^\\d+\\.\\d{2}$',
    },
  );

  it('t.type is an open object with every field required; partial adds optional fields; exact closes it', () => {
    const open = t.intersection([t.type({ a: t.string }), t.partial({ b: t.number })]);
    expect(toJsonSchema(open)).toEqual({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'] });
    const closed = validator(toJsonSchema(t.exact(open)));
    expect(closed({ a: 'x' })).toBe(true);
    expect(closed({ a: 'x', b: 1 })).toBe(true);
    expect(closed({ b: 1 })).toBe(false);
    expect(closed({ a: 'x', c: 1 })).toBe(false);
    expect(validator(toJsonSchema(open))({ a: 'x', c: 1 })).toBe(true);
  });

  it('closedObject is closed; its optional fields are not required', () => {
    const schema = toJsonSchema(closedObject('Thing', { a: t.string }, { b: t.boolean }));
    expect(schema).toMatchObject({ title: 'Thing', required: ['a'], additionalProperties: false });
  });

  it('literals, unions of literals, nullable leaves and unions of objects', () => {
    expect(toJsonSchema(t.literal('x'))).toEqual({ type: 'string', const: 'x' });
    expect(toJsonSchema(t.union([t.literal('a'), t.literal('b')]))).toEqual({ type: 'string', enum: ['a', 'b'] });
    expect(toJsonSchema(t.keyof({ a: null, b: null }))).toEqual({ type: 'string', enum: ['a', 'b'] });
    const nullableMoney = validator(toJsonSchema(t.union([Money, t.null])));
    expect(nullableMoney(null)).toBe(true);
    expect(nullableMoney('1.00')).toBe(true);
    expect(nullableMoney('1.0')).toBe(false);
    const shapes = validator(
      toJsonSchema(t.union([t.exact(t.type({ kind: t.literal('a'), a: t.string })), t.exact(t.type({ kind: t.literal('b'), b: t.Int }))])),
    );
    expect(shapes({ kind: 'a', a: 'x' })).toBe(true);
    expect(shapes({ kind: 'b', b: 2 })).toBe(true);
    expect(shapes({ kind: 'b', b: 2.5 })).toBe(false);
    expect(shapes({ kind: 'a', b: 2 })).toBe(false);
  });

  it('arrays, records, tuples, brands and readonly wrappers', () => {
    expect(toJsonSchema(t.readonlyArray(Money))).toEqual({ type: 'array', items: { type: 'string', pattern: '^\\d+\\.\\d{2}$' } });
    const map = validator(toJsonSchema(t.record(t.string, Money)));
    expect(map({ a: '1.00', b: '2.00' })).toBe(true);
    expect(map({ a: 1 })).toBe(false);
    expect(toJsonSchema(t.Int)).toEqual({ type: 'integer' });
    expect(toJsonSchema(t.readonly(t.type({ a: t.null })))).toMatchObject({ properties: { a: { type: 'null' } } });
    expect(toJsonSchema(t.tuple([t.string, t.number]))).toMatchObject({
      prefixItems: [{ type: 'string' }, { type: 'number' }],
      maxItems: 2,
    });
  });

  it('a named codec goes to the components once and is referenced', () => {
    const Wallet = asComponent(t.exact(t.type({ btc: t.string })), 'Wallet');
    const components: Record<string, JsonSchema> = {};
    const schema = toJsonSchema(t.type({ a: Wallet, b: t.readonlyArray(Wallet) }), { components });
    expect(schema).toMatchObject({
      properties: { a: { $ref: '#/components/schemas/Wallet' }, b: { items: { $ref: '#/components/schemas/Wallet' } } },
    });
    expect(Object.keys(components)).toEqual(['Wallet']);
    // Without a components map the schema is inlined.
    expect(toJsonSchema(Wallet)).toMatchObject({ type: 'object', additionalProperties: false });
  });

  it('refuses a codec it cannot describe instead of answering {} (which would accept anything)', () => {
    const opaque = new t.Type<string, string, unknown>('Opaque', (u): u is string => typeof u === 'string', t.success as never, t.identity);
    expect(() => toJsonSchema(t.type({ a: opaque }))).toThrow(/Opaque/);
  });
});
