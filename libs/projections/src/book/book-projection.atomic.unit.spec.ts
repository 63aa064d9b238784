import { BookEvent, RecordedBookEvent } from '@treasury/domain';
import { BookProjection } from './book-projection';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const recorded = (revision: number, event: Record<string, unknown>): RecordedBookEvent => ({
  eventId: `e${revision}`,
  revision,
  recordedAt: T0 + revision,
  event: { effectiveAt: T0 + revision, ...event } as unknown as BookEvent,
});

/** apply is all or nothing: an event it cannot fold leaves the projection exactly as it was. */
describe('BookProjection.apply atomicity', () => {
  const opened = () => {
    const book = new BookProjection();
    book.apply(recorded(0, { type: 'BookOpened', name: 'Acme' }));
    book.apply(recorded(1, { type: 'MiningOutputReceived', wallet: 'cold', btc: 100_000_000n, usdPerBtc: 9_000_000n }));
    return book;
  };

  it('an event that fails part-way (after its balances were worked out) changes nothing', () => {
    const book = opened();
    const before = book.toSnapshot();
    // A new wallet's balance is registered first, then the lot cost cannot be computed.
    expect(() => book.apply(recorded(2, { type: 'MiningOutputReceived', wallet: 'fresh', btc: 5n, usdPerBtc: undefined }))).toThrow();
    expect(book.toSnapshot()).toEqual(before);
    expect(book.revision).toBe(1);
    // The same revision then folds normally, and the figures are those of a book that never saw the bad event.
    book.apply(recorded(2, { type: 'MiningOutputReceived', wallet: 'hot', btc: 50_000_000n, usdPerBtc: 9_000_000n }));
    const raw = book.raw(T0 + 10, 3);
    expect([...raw.balances.keys()].sort()).toEqual(['unencumbered-btc|cold', 'unencumbered-btc|hot']);
    expect(raw.acquiredBtc).toBe(150_000_000n);
  });

  it('a revision gap is refused before anything is touched', () => {
    const book = opened();
    const before = book.toSnapshot();
    expect(() => book.apply(recorded(5, { type: 'BookOpened', name: 'x' }))).toThrow('expected revision 2, got 5');
    expect(book.toSnapshot()).toEqual(before);
  });

  it('a reversal takes its target back through the same plan-then-commit path', () => {
    const book = opened();
    book.apply(recorded(2, { type: 'EventReversed', eventId: 'e1', reason: 'typo' }));
    expect(book.raw(T0 + 10, 3).acquiredBtc).toBe(0n);
    expect(book.raw(T0 + 10, 2).acquiredBtc).toBe(100_000_000n);
    expect(book.reversalOf(1)).toMatchObject({ revision: 2, eventId: 'e2' });
  });
});
