import { sortedInSteps } from './effective-order';

interface Item {
  readonly at: number;
  readonly revision: number;
}
const order = (a: Item, b: Item) => a.at - b.at || a.revision - b.revision;

/** A log in revision order: mostly in effective order, every `lateEvery`-th event back-dated (deterministic). */
const log = (n: number, lateEvery: number): Item[] => {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  return Array.from({ length: n }, (_, revision) => ({
    at: revision % lateEvery === 0 ? Math.floor(random() * revision) : revision * 10,
    revision,
  }));
};

/** Drives the steps by hand: the largest number of comparisons made between two yields, the yields, the result. */
const drive = (items: Item[], chunk: number) => {
  let compares = 0;
  let most = 0;
  let yields = 0;
  const steps = sortedInSteps(items, (a, b) => (compares++, order(a, b)), chunk);
  for (;;) {
    const step = steps.next();
    most = Math.max(most, compares);
    compares = 0;
    if (step.done === true) return { most, yields, sorted: step.value };
    yields++;
  }
};

describe('sortedInSteps', () => {
  it('sorts a log with back-dated events and never compares more than one chunk sort (or one chunk of merge) between two yields', () => {
    const chunk = 64;
    for (const lateEvery of [2, 3, 50, 1_000_000]) {
      const items = log(20_000, lateEvery);
      const { most, yields, sorted } = drive(items, chunk);
      expect(sorted).toEqual([...items].sort(order));
      // A chunk of 64 sorts in well under 64 * 7 comparisons; a merge step writes at most 64 items.
      expect(most).toBeLessThanOrEqual(chunk * 7);
      expect(yields).toBeGreaterThanOrEqual(20_000 / chunk - 1);
    }
  });

  it('keeps an in-order log as it is, and sorts the empty and a one-item log', () => {
    const items = log(1000, 1_000_000);
    expect(drive(items, 64).sorted).toEqual(items);
    expect(drive([], 64).sorted).toEqual([]);
    expect(drive([{ at: 1, revision: 0 }], 64).sorted).toEqual([{ at: 1, revision: 0 }]);
    // Entirely reversed: everything but the first item is late.
    const reversed = items.map((item, i) => ({ at: -item.at, revision: i }));
    expect(drive(reversed, 64).sorted).toEqual([...reversed].sort(order));
  });
});
