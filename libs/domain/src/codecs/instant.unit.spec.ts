import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { schemaOf } from './schema-registry';
import { toFieldErrors } from './closed-object';
import { Instant, StoredInstant } from './instant';

const two = (n: number) => String(n).padStart(2, '0');

const isoText = (yearRange: { min: number; max: number }) =>
  fc
    .record({
      year: fc.integer(yearRange),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.option(fc.integer({ min: 0, max: 59 })),
      fraction: fc.option(fc.stringMatching(/^\d{1,3}$/)),
      zone: fc.oneof(
        fc.constant('Z'),
        fc
          .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
          .map(([s, h, m]) => `${s}${two(h)}:${two(m)}`),
      ),
    })
    .map((f) => {
      const seconds = f.second === null ? '' : `:${two(f.second)}${f.fraction === null ? '' : `.${f.fraction}`}`;
      return `${String(f.year).padStart(4, '0')}-${two(f.month)}-${two(f.day)}T${two(f.hour)}:${two(f.minute)}${seconds}${f.zone}`;
    });

const messageOf = (u: unknown): string | undefined => {
  const decoded = Instant.decode(u);
  return E.isLeft(decoded) ? toFieldErrors(decoded.left)[0]!.message : undefined;
};

const GENESIS = Date.parse('2009-01-03T18:15:05Z');
const END = Date.parse('2200-01-01T00:00:00Z');

describe('StoredInstant (the log)', () => {
  it('reads every accepted string exactly as Date.parse does, years 0000 to 9999 included', () => {
    fc.assert(
      fc.property(isoText({ min: 0, max: 9999 }), (text) => {
        expect(StoredInstant.decode(text)).toEqual(E.right(Date.parse(text)));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('Instant (commands and queries)', () => {
  it('is StoredInstant restricted to [genesis block, 2200-01-01)', () => {
    fc.assert(
      fc.property(isoText({ min: 0, max: 9999 }), (text) => {
        const millis = Date.parse(text);
        expect(Instant.decode(text)).toEqual(
          millis >= GENESIS && millis < END ? E.right(millis) : expect.objectContaining({ _tag: 'Left' }),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('accepts the genesis block instant and refuses the millisecond before it, in any zone', () => {
    expect(Instant.decode('2009-01-03T18:15:05Z')).toEqual(E.right(GENESIS));
    expect(Instant.decode('2009-01-03T19:15:05+01:00')).toEqual(E.right(GENESIS));
    expect(messageOf('2009-01-03T18:15:04.999Z')).toBe('must not be before the bitcoin genesis block (2009-01-03T18:15:05Z)');
    expect(messageOf('2009-01-03T18:15:05+00:01')).toBe('must not be before the bitcoin genesis block (2009-01-03T18:15:05Z)');
  });

  it('refuses years 0000-0099 instead of misreading them', () => {
    for (const text of ['0099-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '0026-01-31T00:00:00Z']) {
      expect(messageOf(text)).toMatch(/genesis block/);
    }
    expect(messageOf('1970-01-01T00:00:00Z')).toMatch(/genesis block/);
  });

  it('accepts up to the last millisecond before 2200 and refuses 2200-01-01 and 9999-12-31', () => {
    expect(Instant.decode('2199-12-31T23:59:59.999Z')).toEqual(E.right(END - 1));
    expect(messageOf('2200-01-01T00:00:00Z')).toBe('must be before 2200-01-01T00:00:00Z');
    expect(messageOf('2199-12-31T23:00:00-01:00')).toBe('must be before 2200-01-01T00:00:00Z');
    expect(messageOf('9999-12-31T23:59:59Z')).toBe('must be before 2200-01-01T00:00:00Z');
  });

  it('refuses dates that do not exist, strings without a zone and overlong strings', () => {
    for (const text of [
      '2026-02-29T00:00:00Z',
      '2024-02-30T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-01-31T00:00:00',
      '2026-01-31',
      '2026-13-01T00:00:00Z',
      `2026-01-31T00:00:00Z${' '.repeat(10_000)}`,
      1738368000000,
    ]) {
      expect(messageOf(text)).toBe('must be an ISO-8601 instant with a time zone, e.g. "2026-01-31T23:59:59Z"');
    }
    expect(Instant.decode('2024-02-29T23:59:59.5+01:00')).toEqual(E.right(Date.parse('2024-02-29T22:59:59.500Z')));
    expect(Instant.decode('2026-01-31T23:59:59.999+05:30')).toEqual(E.right(Date.parse('2026-01-31T18:29:59.999Z')));
  });

  it('states the range and the longest accepted form in its OpenAPI schema', () => {
    expect(schemaOf(Instant)).toMatchObject({
      maxLength: '2026-01-31T23:59:59.999+05:30'.length,
      description: expect.stringContaining('from the bitcoin genesis block (2009-01-03T18:15:05Z) to before 2200-01-01T00:00:00Z'),
    });
  });
});
