import * as t from 'io-ts';

/**
 * JSON Schema fragments attached to leaf codecs, so the OpenAPI document is generated from the very
 * codecs that validate requests (one source of truth) without reaching into io-ts internals.
 */
export type JsonSchema = Readonly<Record<string, unknown>>;

const schemas = new WeakMap<t.Mixed, JsonSchema>();

export const withSchema = <C extends t.Mixed>(codec: C, schema: JsonSchema): C => {
  schemas.set(codec, schema);
  return codec;
};

export const schemaOf = (codec: t.Mixed): JsonSchema | undefined => schemas.get(codec);

const componentNames = new WeakMap<t.Mixed, string>();

/**
 * Names a codec as a reusable schema: the JSON Schema converter (json-schema.ts) then writes it once
 * under `components.schemas[name]` and refers to it by `$ref`, and generated clients get a named type.
 */
export const asComponent = <C extends t.Mixed>(codec: C, name: string): C => {
  componentNames.set(codec, name);
  return codec;
};

export const componentNameOf = (codec: t.Mixed): string | undefined => componentNames.get(codec);
