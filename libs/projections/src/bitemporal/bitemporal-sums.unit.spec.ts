import fc from 'fast-check';
import { BitemporalSums } from './bitemporal-sums';

const YEAR = 365 * 86_400_000;
const T0 = Date.parse('2016-01-01T00:00:00Z');

/** Points known in revision order: each revision's point sits anywhere in ten years, so many arrive late. */
const arbitraryPoints = fc.array(fc.record({ at: fc.integer({ min: 0, max: 10 * YEAR }), qty: fc.bigInt({ min: 1n, max: 1_000n }) }), {
  minLength: 1,
  maxLength: 60,
});

describe('BitemporalSums', () => {
  it('sum and firstTimeReaching equal a scan of the points, over spans far past 2^31 ms', () => {
    fc.assert(
      fc.property(arbitraryPoints, fc.nat(60), fc.bigInt({ min: 1n, max: 70_000n }), (points, cut, target) => {
        const sums = new BitemporalSums();
        points.forEach((p, revision) => sums.add({ effectiveAt: T0 + p.at, order: revision, known: revision, deltas: [[0, p.qty]] }));
        const version = Math.min(cut, points.length);
        const known = points.slice(0, version);
        const sumAt = (t: number) => known.reduce((total, p) => (T0 + p.at <= t ? total + p.qty : total), 0n);
        // The sum only moves at a point's time, so the first time reaching the target is one of them.
        const times = [...new Set(known.map((p) => T0 + p.at))].sort((a, b) => a - b);
        for (const t of times) expect(sums.sum(0, version, t)).toBe(sumAt(t));
        const expected = times.find((t) => sumAt(t) >= target);
        expect(sums.firstTimeReaching(0, version, target)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
