import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { FieldError, JsonSchema, toFieldErrors, withSchema } from '@treasury/domain';
import { ProblemException, invalidRequest } from './problem';

/**
 * Query parameters as codecs, like command bodies: one closed codec per endpoint (a `*.params.ts`
 * beside its controller) turns the query's strings into typed values and refuses unknown names (a
 * typo must not silently widen a query). The OpenAPI document lists each route's parameters from the
 * same codec (apps/api/src/docs/query-parameters.ts), so the two cannot drift.
 */

/** A parameter's value codec: a string (given once) in, a typed value out; its schema says the string form. */
export type ParamCodec<A> = t.Type<A, string, unknown>;

export interface Param<A, R extends boolean = boolean> {
  readonly codec: ParamCodec<A>;
  readonly required: R;
  /** The message when a required parameter is missing. */
  readonly missing: string;
  readonly description: string | undefined;
}

export const optional = <A>(codec: ParamCodec<A>, description?: string): Param<A, false> => ({
  codec,
  required: false,
  missing: '',
  description,
});
export const required = <A>(codec: ParamCodec<A>, description?: string, missing = 'is required'): Param<A, true> => ({
  codec,
  required: true,
  missing,
  description,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any parameter type
type Fields = Record<string, Param<any>>;
type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K]['required'] extends true ? K : never }[keyof F];
type ValueOf<P> = P extends Param<infer A> ? A : never;
export type QueryOf<F extends Fields> = { [K in RequiredKeys<F>]: ValueOf<F[K]> } & {
  [K in Exclude<keyof F, RequiredKeys<F>>]?: ValueOf<F[K]>;
};

/**
 * A check across parameters (to before from) over those that decoded, so it is reported beside the
 * others' failures; its errors name the parameter (`to`), reported as `query.to`.
 */
export type CrossCheck<A> = (decoded: Partial<A>) => ReadonlyArray<FieldError>;

const at = (c: t.Context, key: string, value: unknown, message: string): t.ValidationError => ({
  value,
  context: [...c, { key, type: t.unknown, actual: value }],
  message,
});

/** A closed query: every failing parameter in one 400, unknown names first, each at `query.<name>`. */
export class QueryCodec<F extends Fields> extends t.Type<QueryOf<F>, Record<string, string>, unknown> {
  readonly _tag = 'QueryCodec' as const;
  constructor(
    name: string,
    readonly fields: F,
    readonly check: CrossCheck<QueryOf<F>> = () => [],
  ) {
    const known = Object.keys(fields);
    super(
      name,
      (u): u is QueryOf<F> => typeof u === 'object' && u !== null,
      (u, c) => {
        const query = (typeof u === 'object' && u !== null ? u : {}) as Record<string, unknown>;
        const errors: t.ValidationError[] = [];
        for (const key of Object.keys(query)) {
          if (!Object.prototype.hasOwnProperty.call(fields, key))
            errors.push(at(c, key, query[key], `is not a known parameter (known: ${known.join(', ') || 'none'})`));
        }
        const decoded: Record<string, unknown> = {};
        for (const [key, param] of Object.entries(fields)) {
          const value = Object.prototype.hasOwnProperty.call(query, key) ? query[key] : undefined;
          if (value === undefined) {
            if (param.required) errors.push(at(c, key, value, param.missing));
            continue;
          }
          const result = param.codec.validate(value, [...c, { key, type: param.codec, actual: value }]);
          if (E.isRight(result)) decoded[key] = result.right;
          else errors.push(...result.left);
        }
        errors.push(...this.check(decoded as Partial<QueryOf<F>>).map((e) => at(c, e.path, query[e.path], e.message)));
        return errors.length > 0 ? t.failures(errors) : t.success(decoded as QueryOf<F>);
      },
      (value) => {
        const encoded: Record<string, string> = {};
        for (const [key, param] of Object.entries(fields)) {
          const field = (value as Record<string, unknown>)[key];
          if (field !== undefined) encoded[key] = param.codec.encode(field);
        }
        return encoded;
      },
    );
  }
}

export const queryCodec = <F extends Fields>(name: string, fields: F, check?: CrossCheck<QueryOf<F>>): QueryCodec<F> =>
  new QueryCodec(name, fields, check);

/** An endpoint that takes no query parameters: any name is refused. */
export const NO_QUERY = queryCodec('NoQuery', {});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query codec
export type AnyQueryCodec = QueryCodec<any>;

/** Decodes a request's query, or throws the 400 naming every failing `query.<name>`. */
export const decodeQuery = <F extends Fields>(codec: QueryCodec<F>, query: unknown): QueryOf<F> => {
  const decoded = codec.decode(query ?? {});
  if (E.isLeft(decoded))
    throw new ProblemException(invalidRequest(toFieldErrors(decoded.left).map((e) => ({ ...e, path: `query.${e.path}` }))));
  return decoded.right;
};

/** A parameter codec from a parse of the string (Left: the message) and the schema of its string form. */
export const paramCodec = <A>(
  name: string,
  schema: JsonSchema,
  parse: (text: string) => E.Either<string, A>,
  encode: (value: A) => string,
  notText = 'must be given once, as text',
): ParamCodec<A> =>
  withSchema(
    new t.Type<A, string, unknown>(
      name,
      (u): u is A => u !== undefined,
      (u, c) => {
        // `?a=1&a=2` arrives as an array, `?a[b]=1` as an object: neither is a value of one parameter.
        if (typeof u !== 'string') return t.failure(u, c, notText);
        const parsed = parse(u);
        return E.isLeft(parsed) ? t.failure(u, c, parsed.left) : t.success(parsed.right);
      },
      encode,
    ),
    schema,
  );
