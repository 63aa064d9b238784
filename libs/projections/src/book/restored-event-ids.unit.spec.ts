import fc from 'fast-check';
import { RestoredEventIds } from './restored-event-ids';

/** Property: after a restore and any later sets, RestoredEventIds answers every Map question as the Map filled one id at a time would. */
describe('RestoredEventIds', () => {
  // Few distinct characters and short ids: collisions in the table and duplicate ids are common.
  const id = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 0, maxLength: 4 });

  it('behaves as a Map filled by revision, then by later sets', () => {
    fc.assert(
      fc.property(
        fc.array(id, { maxLength: 60 }),
        fc.array(fc.tuple(id, fc.nat(1_000)), { maxLength: 20 }),
        fc.array(id, { maxLength: 20 }),
        (restored, later, probes) => {
          const real = new Map<string, number>();
          restored.forEach((eventId, revision) => real.set(eventId, revision));
          const index = new RestoredEventIds([...restored]);
          for (const [eventId, revision] of later) {
            real.set(eventId, revision);
            expect(index.set(eventId, revision)).toBe(index);
          }
          for (const probe of [...probes, ...restored, ...later.map(([eventId]) => eventId)]) {
            expect(index.get(probe)).toBe(real.get(probe));
            expect(index.has(probe)).toBe(real.has(probe));
          }
          expect(index.size).toBe(real.size);
          expect([...index]).toEqual([...real]);
          expect([...index.keys()]).toEqual([...real.keys()]);
          expect([...index.values()]).toEqual([...real.values()]);
          const seen: Array<[string, number]> = [];
          index.forEach((revision, eventId) => seen.push([eventId, revision]));
          expect(seen).toEqual([...real.entries()]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('holds a million ids and finds each', () => {
    const ids = Array.from({ length: 1_000_000 }, (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);
    const index = new RestoredEventIds(ids);
    expect(index.size).toBe(1_000_000);
    for (const revision of [0, 1, 77_777, 999_999]) expect(index.get(ids[revision]!)).toBe(revision);
    expect(index.get('00000000-0000-4000-8000-ffffffffffff')).toBeUndefined();
    expect(() => index.delete()).toThrow('never forgets');
  });
});
