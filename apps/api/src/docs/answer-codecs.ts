import * as t from 'io-ts';
import { withSchema } from '@treasury/domain';

/**
 * Leaf codecs for what the API *answers*: the JSON text a view writes (decimal strings at their fixed
 * scale, ISO-8601 instants), typed as the strings they are, so a view's return type can be checked
 * against the answer codec at compile time (SameShape below) and the document generated from it.
 * Requests decode to bigint; answers are already encoded, hence these string codecs.
 */
const patterned = (name: string, regex: RegExp, schema: Record<string, unknown>) =>
  withSchema(
    new t.Type<string, string, unknown>(
      name,
      (u): u is string => typeof u === 'string' && regex.test(u),
      (u, c) => (typeof u === 'string' && regex.test(u) ? t.success(u) : t.failure(u, c)),
      t.identity,
    ),
    {
      type: 'string',
      pattern: regex.source,
      ...schema,
    },
  );

const decimal = (name: string, decimals: number, unit: string, example: string) =>
  patterned(name, new RegExp(`^-?\\d+\\.\\d{${decimals}}$`), {
    description: `${unit}, a decimal string with exactly ${decimals} decimals`,
    example,
  });

/** Satoshis as BTC with 8 decimals, e.g. "6.25000000". */
export const BtcText = decimal('BtcText', 8, 'BTC', '6.25000000');
/** Cents as USD with 2 decimals. */
export const UsdText = decimal('UsdText', 2, 'USD', '68524.00');
/** Micros as a ratio with 6 decimals ("0.700000" is 70%). */
export const RatioText = decimal('RatioText', 6, 'A ratio', '0.700000');
/** A percentage with 4 decimals ("25.0000" is 25%). */
export const PercentText = decimal('PercentText', 4, 'A percentage', '25.0000');
/** An instant as `Date.toISOString` writes it (UTC, milliseconds). */
export const InstantText = patterned('InstantText', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, {
  format: 'date-time',
  example: '2026-01-31T23:59:59.999Z',
});
/** A calendar month, YYYY-MM. */
export const MonthText = patterned('MonthText', /^\d{4}-\d{2}$/, { example: '2026-01' });
/** A 64-bit log position, as a string (JSON numbers lose precision past 2^53). */
export const PositionText = patterned('PositionText', /^\d{1,20}$/, {
  description: 'a global log position (64-bit integer as a string)',
  example: '42',
});
export const Uuid = patterned('Uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { format: 'uuid' });

/** A whole number (a revision, a count, seconds): JSON numbers, never a fraction. */
export const Integer = withSchema(
  new t.Type<number, number, unknown>(
    'Integer',
    (u): u is number => Number.isSafeInteger(u),
    (u, c) => (Number.isSafeInteger(u) ? t.success(u as number) : t.failure(u, c)),
    t.identity,
  ),
  {
    type: 'integer',
  },
);

export const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/** A closed answer object: the view writes exactly these fields (optional ones may be absent). */
export const closed = <R extends t.Props, O extends t.Props = Record<never, never>>(required: R, optional?: O) =>
  t.exact(t.intersection([t.type(required), t.partial(optional ?? ({} as O))]));

/** A map from names (wallets, accounts, loan ids) to values, as JSON writes it. */
export const mapOf = <C extends t.Mixed>(codec: C) => t.record(t.string, codec);

/** An io-ts literal union from a tuple of strings (enums the views write). */
export const oneOf = <const L extends readonly [string, string, ...string[]]>(values: L) =>
  t.union(
    values.map((value) => t.literal(value)) as unknown as [t.LiteralC<L[number]>, t.LiteralC<L[number]>, ...Array<t.LiteralC<L[number]>>],
  );

type DeepReadonly<T> = T extends (infer E)[]
  ? ReadonlyArray<DeepReadonly<E>>
  : T extends ReadonlyArray<infer E>
    ? ReadonlyArray<DeepReadonly<E>>
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/**
 * A compile-time check that a view's type and an answer codec's type are the same shape, both ways
 * (readonly-ness aside): a field the view adds, drops, renames or makes nullable fails `tsc` at the
 * line that declares the check, naming the field. Declare one per answer:
 *   export const positionAnswerIsTheView: SameShape<PositionResult, t.TypeOf<typeof PositionAnswer>> = [(v) => v, (a) => a];
 */
export type SameShape<View, Answer> = readonly [
  (view: DeepReadonly<View>) => DeepReadonly<Answer>,
  (answer: DeepReadonly<Answer>) => DeepReadonly<View>,
];
