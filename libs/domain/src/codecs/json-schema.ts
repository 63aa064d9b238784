import * as t from 'io-ts';
import { ClosedObjectType } from './closed-object';
import { JsonSchema, componentNameOf, schemaOf } from './schema-registry';

/**
 * io-ts -> JSON Schema 2020-12 (the dialect of OpenAPI 3.1), so the contract is generated from the very
 * codecs that decode requests and describe answers. A codec with a registered schema (withSchema) is a
 * leaf; the structure of the rest is read from io-ts's own combinators:
 * type / partial (open objects, as io-ts decodes them), exact / strict / closedObject (closed:
 * additionalProperties false), intersection (merged into one object, so closed parts stay closed),
 * union (anyOf; literals become an enum, `X | null` a type list), literal, keyof, array, record,
 * null, readonly, refinement and brand (the underlying schema; t.Int an integer).
 *
 * A codec registered with asComponent is emitted once under `components` and referenced by `$ref`,
 * when the caller passes a components map. Anything the converter cannot describe throws: a schema
 * of `{}` would silently accept anything, which is the bug this exists to prevent.
 */
export interface SchemaContext {
  /** Named schemas collected while converting; `$ref`s point at `${refPrefix}${name}`. */
  readonly components?: Record<string, JsonSchema>;
  readonly refPrefix?: string;
}

interface ObjectParts {
  readonly properties: Record<string, JsonSchema>;
  readonly required: ReadonlyArray<string>;
  readonly closed: boolean;
}

type Tagged = t.Mixed & { readonly _tag?: string };

const isIntCodec = (codec: t.Mixed): boolean => codec === (t.Int as t.Mixed);

/** The object parts of a codec that describes an object, or undefined when it does not. */
const objectParts = (codec: Tagged, ctx: SchemaContext): ObjectParts | undefined => {
  if (codec instanceof ClosedObjectType) {
    const closed = codec as ClosedObjectType<t.Props, t.Props>;
    return {
      properties: propertiesOf({ ...closed.required, ...closed.optional }, ctx),
      required: Object.keys(closed.required),
      closed: true,
    };
  }
  if (codec instanceof t.InterfaceType)
    return { properties: propertiesOf(codec.props as t.Props, ctx), required: Object.keys(codec.props as t.Props), closed: false };
  if (codec instanceof t.PartialType) return { properties: propertiesOf(codec.props as t.Props, ctx), required: [], closed: false };
  if (codec instanceof t.ExactType) {
    const inner = objectParts(codec.type as Tagged, ctx);
    return inner === undefined ? undefined : { ...inner, closed: true };
  }
  if (codec instanceof t.ReadonlyType || codec instanceof t.RefinementType)
    return schemaOf(codec) === undefined ? objectParts(codec.type as Tagged, ctx) : undefined;
  if (codec instanceof t.IntersectionType) {
    const parts = (codec.types as ReadonlyArray<Tagged>).map((part) => objectParts(part, ctx));
    if (parts.some((part) => part === undefined)) return undefined;
    const defined = parts as ReadonlyArray<ObjectParts>;
    return {
      properties: Object.assign({}, ...defined.map((part) => part.properties)) as Record<string, JsonSchema>,
      required: [...new Set(defined.flatMap((part) => part.required))],
      // Merged: closed when any part is closed (its fields plus the others' are then the whole object).
      closed: defined.some((part) => part.closed),
    };
  }
  return undefined;
};

const propertiesOf = (props: t.Props, ctx: SchemaContext): Record<string, JsonSchema> =>
  Object.fromEntries(Object.entries(props).map(([name, field]) => [name, toJsonSchema(field, ctx)]));

const objectSchema = (parts: ObjectParts, title: string | undefined): JsonSchema => ({
  type: 'object',
  ...(title === undefined ? {} : { title }),
  properties: parts.properties,
  ...(parts.required.length === 0 ? {} : { required: parts.required }),
  ...(parts.closed ? { additionalProperties: false } : {}),
});

const typeOfValue = (value: unknown): string =>
  value === null ? 'null' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;

/** A union: literals as one enum, `X | null` as X's type list where X is a plain leaf, else anyOf. */
const unionSchema = (members: ReadonlyArray<t.Mixed>, ctx: SchemaContext): JsonSchema => {
  const schemas = members.map((member) => toJsonSchema(member, ctx));
  if (schemas.every((schema) => 'const' in schema)) {
    const values = schemas.map((schema) => schema.const);
    const types = [...new Set(values.map(typeOfValue))];
    return { type: types.length === 1 ? types[0] : types, enum: values };
  }
  const isNull = (schema: JsonSchema) => schema.type === 'null' && Object.keys(schema).length === 1;
  const others = schemas.filter((schema) => !isNull(schema));
  if (others.length === 1 && others.length < schemas.length) {
    const [other] = others as [JsonSchema];
    if (typeof other.type === 'string' && other.type !== 'object' && other.type !== 'array' && !('enum' in other) && !('const' in other))
      return { ...other, type: [other.type, 'null'] };
  }
  return { anyOf: schemas };
};

export const toJsonSchema = (codec: t.Mixed, ctx: SchemaContext = {}): JsonSchema => {
  const name = componentNameOf(codec);
  if (name !== undefined && ctx.components !== undefined) {
    if (!(name in ctx.components)) {
      ctx.components[name] = {}; // reserved first, so a codec used inside itself cannot loop
      ctx.components[name] = structuralSchema(codec as Tagged, ctx);
    }
    return { $ref: `${ctx.refPrefix ?? '#/components/schemas/'}${name}` };
  }
  return structuralSchema(codec as Tagged, ctx);
};

const structuralSchema = (codec: Tagged, ctx: SchemaContext): JsonSchema => {
  const registered = schemaOf(codec);
  if (registered !== undefined) return registered;
  if (isIntCodec(codec)) return { type: 'integer' };
  const parts = objectParts(codec, ctx);
  if (parts !== undefined) return objectSchema(parts, codec instanceof ClosedObjectType ? codec.name : undefined);
  if (codec instanceof t.StringType) return { type: 'string' };
  if (codec instanceof t.NumberType) return { type: 'number' };
  if (codec instanceof t.BooleanType) return { type: 'boolean' };
  if (codec instanceof t.NullType) return { type: 'null' };
  if (codec instanceof t.UnknownType) return {};
  if (codec instanceof t.AnyDictionaryType) return { type: 'object' };
  if (codec instanceof t.AnyArrayType) return { type: 'array' };
  if (codec instanceof t.LiteralType) return { type: typeOfValue(codec.value), const: codec.value };
  if (codec instanceof t.KeyofType) return { type: 'string', enum: Object.keys(codec.keys as object) };
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType)
    return { type: 'array', items: toJsonSchema(codec.type as t.Mixed, ctx) };
  if (codec instanceof t.ReadonlyType || codec instanceof t.RefinementType) return toJsonSchema(codec.type as t.Mixed, ctx);
  if (codec instanceof t.UnionType) return unionSchema(codec.types as ReadonlyArray<t.Mixed>, ctx);
  if (codec instanceof t.DictionaryType) {
    const domain = codec.domain as Tagged;
    const keys = domain instanceof t.StringType ? {} : { propertyNames: toJsonSchema(domain, ctx) };
    return { type: 'object', ...keys, additionalProperties: toJsonSchema(codec.codomain as t.Mixed, ctx) };
  }
  if (codec instanceof t.TupleType) {
    const items = (codec.types as ReadonlyArray<t.Mixed>).map((item) => toJsonSchema(item, ctx));
    return { type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length };
  }
  throw new Error(`toJsonSchema: no JSON Schema for codec ${codec.name} (${codec._tag ?? 'untagged'}); register one with withSchema`);
};
