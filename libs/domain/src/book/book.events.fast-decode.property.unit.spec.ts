import fc from 'fast-check';
import * as t from 'io-ts';
import { ClosedObjectType } from '../codecs/closed-object';
import { schemaOf } from '../codecs/schema-registry';
import { BookEventCodec, bookEventCodecs } from './book.events';
import { NOT_SURE } from '../codecs/fast-decode';
import { decodeBookEventForReplay, decodeEventMetadataForReplay, fastBookEvent, fastEventMetadata } from './book.events.fast-decode';
import { EventMetadata } from './event-metadata';

/**
 * Property: the replay decoder gives exactly what io-ts gives. Random events of every type are built
 * from the codecs themselves (each closed object's fields, each leaf's JSON schema, kept when the leaf's
 * codec accepts it); then the same events are damaged at random (a field replaced, removed or added,
 * the type changed), and whatever io-ts rejects the replay decoder rejects with the same errors.
 */
const instantText = fc
  .tuple(
    fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2199-12-31T00:00:00Z') }),
    fc.nat(5),
    fc.constantFrom('', '', '29', '30', '31'),
  )
  .map(([ms, form, day]) => {
    const iso = new Date(ms).toISOString().replace(/-\d\dT/, (d) => (day === '' ? d : `-${day}T`));
    // Every shape the codec reads, the two the engine writes and the ones only a hand or an old writer would; some name days that do not exist.
    return [
      iso,
      iso.replace(/\.\d{3}Z$/, 'Z'),
      iso.replace(/Z$/, '+00:00'),
      iso.replace(/\d\dZ$/, 'Z'),
      iso.replace(/^\d{4}/, '2100'),
      iso.replace(/:\d\d\.\d{3}Z$/, 'Z'),
    ][form]!;
  });
const decimalText = (scale: number) =>
  fc
    .tuple(
      fc.constantFrom('', '', '', '-'),
      fc.oneof(fc.stringMatching(/^\d{1,20}$/), fc.constantFrom('0', '00', '1')),
      fc.option(fc.oneof(fc.stringMatching(new RegExp(`^\\d{0,${scale + 1}}$`)), fc.constantFrom('0', '0'.repeat(scale)))),
    )
    .map(([sign, whole, fraction]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}`);

const byName: Record<string, fc.Arbitrary<unknown>> = {
  StoredInstant: instantText,
  StoredText: fc.string({ minLength: 1, maxLength: 40 }),
  ReportScope: fc.oneof(
    fc.constant('company'),
    fc.record({ wallet: fc.constantFrom('cold', 'hot-1') }),
    fc.record({ loanId: fc.constant('loan-a') }),
  ),
};

const valid = (codec: t.Mixed) => (u: unknown) => codec.decode(u)._tag === 'Right';

/** The JSON a leaf codec reads, from its schema; kept only when the codec accepts it. */
const leafArbitrary = (codec: t.Mixed, keep: (codec: t.Mixed) => (u: unknown) => boolean): fc.Arbitrary<unknown> => {
  if (codec instanceof t.LiteralType) return fc.constant(codec.value);
  if (codec instanceof t.KeyofType) return fc.constantFrom(...Object.keys(codec.keys));
  const named = byName[codec.name];
  if (named !== undefined) return named.filter(keep(codec));
  const scale = /^Stored.*(Btc|Usd|Ratio)$/.exec(codec.name);
  if (scale !== null) return decimalText({ Btc: 8, Usd: 2, Ratio: 6 }[scale[1] as 'Btc' | 'Usd' | 'Ratio']).filter(keep(codec));
  const schema = (schemaOf(codec) ?? {}) as { type?: string; pattern?: string; minimum?: number; maximum?: number; example?: unknown };
  const candidates: Array<fc.Arbitrary<unknown>> = [];
  if (schema.example !== undefined) candidates.push(fc.constant(schema.example));
  if (schema.type === 'string') candidates.push(schema.pattern === undefined ? fc.string() : fc.stringMatching(new RegExp(schema.pattern)));
  if (schema.type === 'integer') candidates.push(fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 }));
  if (schema.type === 'boolean' || codec instanceof t.BooleanType) candidates.push(fc.boolean());
  if (schema.type === 'array') candidates.push(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 4 }));
  if (schema.type === 'object' || codec.name === 'UnknownRecord')
    candidates.push(fc.constant({}), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }));
  if (candidates.length === 0) candidates.push(fc.constant(true));
  return fc.oneof(...candidates).filter(keep(codec));
};

/** An encoded object of the codec's shape; with `keep = valid` one the codec accepts, with `keep = anything` near misses in every leaf. */
const encodedArbitrary = (codec: t.Mixed, keep = valid): fc.Arbitrary<Record<string, unknown>> => {
  if (!(codec instanceof ClosedObjectType)) return leafArbitrary(codec, keep) as fc.Arbitrary<Record<string, unknown>>;
  const fields = (props: t.Props) =>
    Object.fromEntries(Object.entries(props).map(([key, field]) => [key, encodedArbitrary(field as t.Mixed, keep)]));
  const required = fields(codec.required);
  return fc.record({ ...required, ...fields(codec.optional) }, { requiredKeys: Object.keys(required) });
};

const anything = () => () => true;
const anyEvent = fc.oneof(...Object.values(bookEventCodecs).map((codec) => encodedArbitrary(codec as t.Mixed)));
const nearMissEvent = fc.oneof(...Object.values(bookEventCodecs).map((codec) => encodedArbitrary(codec as t.Mixed, anything)));
const metadata = encodedArbitrary(EventMetadata);

/** A damaged copy: one field replaced by random JSON, removed, an unknown one added, or the type changed. */
const damaged = <A extends Record<string, unknown>>(valid: fc.Arbitrary<A>) =>
  fc.tuple(valid, fc.nat(), fc.nat(3), fc.jsonValue({ maxDepth: 2 })).map(([value, pick, how, junk]) => {
    const copy: Record<string, unknown> = { ...value };
    const keys = Object.keys(copy);
    const key = keys[pick % keys.length]!;
    if (how === 0) copy[key] = junk;
    else if (how === 1) delete copy[key];
    else if (how === 2) copy[`x${key}`] = junk;
    else copy['type'] = Object.keys(bookEventCodecs)[pick % Object.keys(bookEventCodecs).length];
    return copy;
  });

describe('the replay decoder', () => {
  it('decodes every valid event of every type exactly as io-ts does', () => {
    const seen = new Map<unknown, number>();
    let fast = 0;
    fc.assert(
      fc.property(anyEvent, (encoded) => {
        seen.set(encoded['type'], (seen.get(encoded['type']) ?? 0) + 1);
        if (fastBookEvent(encoded) !== NOT_SURE) fast += 1;
        const expected = BookEventCodec.decode(encoded);
        expect(expected._tag).toBe('Right');
        expect(decodeBookEventForReplay(encoded)).toStrictEqual(expected);
      }),
      { numRuns: 3_000 },
    );
    expect([...seen.keys()].sort()).toEqual(Object.keys(bookEventCodecs).sort());
    // Most random events take the fast path (the rest carry an instant shape only io-ts reads).
    expect(fast).toBeGreaterThan(500);
  });

  it('rejects every damaged event io-ts rejects, with the same errors, and agrees on the rest', () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.oneof(damaged(anyEvent), nearMissEvent), (u) => {
        const expected = BookEventCodec.decode(u);
        if (expected._tag === 'Left') rejected += 1;
        expect(decodeBookEventForReplay(u)).toStrictEqual(expected);
      }),
      { numRuns: 3_000 },
    );
    expect(rejected).toBeGreaterThan(1_000);
  });

  it('reads metadata exactly as io-ts does, valid or damaged', () => {
    fc.assert(
      fc.property(fc.oneof(metadata, damaged(metadata)), (u) => {
        expect(decodeEventMetadataForReplay(u)).toStrictEqual(EventMetadata.decode(u));
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes its fast path for the shapes the engine writes, and leaves the rest to io-ts', () => {
    const event = {
      type: 'MiningOutputReceived',
      effectiveAt: '2026-01-31T23:59:59.999Z',
      wallet: 'cold',
      btc: '0.00000001',
      usdPerBtc: '90000.5',
    };
    expect(decodeBookEventForReplay(event)).toStrictEqual(BookEventCodec.decode(event));
    expect(fastBookEvent(event)).not.toBe(NOT_SURE);
    const written = {
      recordedAt: '2026-01-31T23:59:59.999Z',
      command: 'c',
      commandId: 'i',
      actor: 'a',
      correlationId: 'i',
      causationId: 'i',
      hash: 'h',
      migrated: true,
    };
    const decoded = EventMetadata.decode(written);
    expect(decoded._tag).toBe('Right');
    expect(fastEventMetadata(written)).toStrictEqual(decoded._tag === 'Right' ? decoded.right : undefined);
    for (const [field, value] of [
      ['effectiveAt', '2026-02-29T00:00:00Z'],
      ['effectiveAt', '2024-02-30T00:00:00.000Z'],
      ['btc', '0'],
      ['btc', '1.000000001'],
      ['btc', '1.'],
      ['usdPerBtc', '-1.00'],
      ['usdPerBtc', 90000],
    ] as const) {
      const bad = { ...event, [field]: value };
      const replay = decodeBookEventForReplay(bad);
      expect({ field, value, tag: replay._tag }).toEqual({ field, value, tag: 'Left' });
      expect(replay).toStrictEqual(BookEventCodec.decode(bad));
    }
    expect(decodeBookEventForReplay({ ...event, effectiveAt: '2024-02-29T12:00:00Z' })).toStrictEqual(
      t.success({ ...event, effectiveAt: Date.parse('2024-02-29T12:00:00Z'), btc: 1n, usdPerBtc: 9_000_050n }),
    );
  });
});
