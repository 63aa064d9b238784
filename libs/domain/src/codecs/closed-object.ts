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
    const fields: ReadonlyArray<readonly [string, t.Mixed, boolean]> = [
      ...Object.entries(required).map(([key, codec]) => [key, codec, true] as const),
      ...Object.entries(optional).map(([key, codec]) => [key, codec, false] as const),
    ];
    super(
      name,
      (u): u is Out<R, O> => isRecord(u),
      (u, c) => {
        if (!isRecord(u)) return t.failure(u, c, 'must be a JSON object');
        let errors: t.ValidationError[] | undefined;
        for (const key of Object.keys(u)) {
          if (!allowed.has(key)) (errors ??= []).push(failureAt(c, key, u[key], 'is not a known field'));
        }
        const result: Record<string, unknown> = {};
        for (const [key, codec, isRequired] of fields) {
          const value = u[key];
          if (value === undefined) {
            if (isRequired) (errors ??= []).push(failureAt(c, key, value, 'is required'));
            continue;
          }
          // The happy path skips building the field's context (the log is read a million events at a
          // time); a failure is validated again with it, so its path is exact.
          const decoded = codec.validate(value, c);
          if (decoded._tag === 'Right') result[key] = decoded.right;
          else {
            const located = codec.validate(value, t.appendContext(c, key, codec, value));
            (errors ??= []).push(...(located._tag === 'Left' ? located.left : decoded.left));
          }
        }
        return errors !== undefined ? t.failures(errors) : t.success(result as Out<R, O>);
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
