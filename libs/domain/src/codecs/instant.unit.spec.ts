import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { Instant } from './instant';

const two = (n: number) => String(n).padStart(2, '0');

describe('Instant', () => {
  it('reads every accepted string exactly as Date.parse does', () => {
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 1970, max: 2200 }),
          month: fc.integer({ min: 1, max: 12 }),
          day: fc.integer({ min: 1, max: 28 }),
          hour: fc.integer({ min: 0, max: 23 }),
          minute: fc.integer({ min: 0, max: 59 }),
          second: fc.option(fc.integer({ min: 0, max: 59 })),
          fraction: fc.option(fc.stringMatching(/^\d{1,3}$/)),
          zone: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([s, h, m]) => `${s}${two(h)}:${two(m)}`)),
        }),
        (f) => {
          const seconds = f.second === null ? '' : `:${two(f.second)}${f.fraction === null ? '' : `.${f.fraction}`}`;
          const text = `${f.year}-${two(f.month)}-${two(f.day)}T${two(f.hour)}:${two(f.minute)}${seconds}${f.zone}`;
          expect(Instant.decode(text)).toEqual(E.right(Date.parse(text)));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('refuses dates that do not exist and strings without a zone', () => {
    for (const text of ['2026-02-29T00:00:00Z', '2024-02-30T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-31T00:00:00', '2026-01-31', '2026-13-01T00:00:00Z']) {
      expect(E.isLeft(Instant.decode(text))).toBe(true);
    }
    expect(Instant.decode('2024-02-29T23:59:59.5+01:00')).toEqual(E.right(Date.parse('2024-02-29T22:59:59.500Z')));
  });
});
