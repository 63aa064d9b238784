import * as t from 'io-ts';

type Out<R extends t.Props, O extends t.Props> = { [K in keyof R]: t.TypeOf<R[K]> } & {
  [K in keyof O]?: t.TypeOf<O[K]>;
};
type Enc<R extends t.Props, O extends t.Props> = { [K in keyof R]: t.OutputOf<R[K]> } & {
  [K in keyof O]?: t.OutputOf<O[K]>;
};

/**
 * An object codec with required and optional fields that REFUSES unknown fields (io-ts `exact` would
 * silently strip them, and a typo like `btcc` must not be accepted and dropped). Every failure carries
 * the field's path. The field maps stay visible for the OpenAPI generator.
 */
export class ClosedObjectType<R extends t.Props, O extends t.Props> extends t.Type<Out<R, O>, Enc<R, O>, unknown> {
  readonly _tag = 'ClosedObjectType' as const;
  constructor(
    name: string,
    readonly required: R,
    readonly optional: O,
  ) {
    const allowed = new Set([...Object.keys(required), ...Object.keys(optional)]);
    super(
      name,
      (u): u is Out<R, O> => isRecord(u),
      (u, c) => {
        if (!isRecord(u)) return t.failure(u, c, 'must be a JSON object');
        const errors: t.Errors = [];
        const result: Record<string, unknown> = {};
        for (const key of Object.keys(u)) {
          if (!allowed.has(key)) errors.push(failureAt(c, key, u[key], 'is not a known field'));
        }
        const decodeField = (key: string, codec: t.Mixed, isRequired: boolean) => {
          const value = u[key];
          if (value === undefined) {
            if (isRequired) errors.push(failureAt(c, key, value, 'is required'));
            return;
          }
          const decoded = codec.validate(value, t.appendContext(c, key, codec, value));
          if (decoded._tag === 'Left') errors.push(...decoded.left);
          else result[key] = decoded.right;
        };
        for (const [key, codec] of Object.entries(required)) decodeField(key, codec, true);
        for (const [key, codec] of Object.entries(optional)) decodeField(key, codec, false);
        return errors.length > 0 ? t.failures(errors) : t.success(result as Out<R, O>);
      },
      (value) => {
        const encoded: Record<string, unknown> = {};
        const source = value as Record<string, unknown>;
        for (const [key, codec] of [...Object.entries(required), ...Object.entries(optional)]) {
          if (source[key] !== undefined) encoded[key] = codec.encode(source[key]);
        }
        return encoded as Enc<R, O>;
      },
    );
  }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

const failureAt = (c: t.Context, key: string, value: unknown, message: string): t.ValidationError => ({
  value,
  context: [...c, { key, type: t.unknown, actual: value }],
  message,
});

export const closedObject = <R extends t.Props, O extends t.Props = Record<never, never>>(
  name: string,
  required: R,
  optional: O = {} as O,
): ClosedObjectType<R, O> => new ClosedObjectType(name, required, optional);

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** io-ts errors as `{path, message}` pairs, the shape every 400 problem document lists. */
export const toFieldErrors = (errors: t.Errors): ReadonlyArray<FieldError> => {
  const seen = new Set<string>();
  const fieldErrors: FieldError[] = [];
  for (const error of errors) {
    const path = error.context
      .map((entry) => entry.key)
      .filter((key) => key !== '')
      .join('.');
    const message = error.message ?? 'is invalid';
    const id = `${path}\u0000${message}`;
    if (!seen.has(id)) {
      seen.add(id);
      fieldErrors.push({ path, message });
    }
  }
  return fieldErrors;
};
