import { deserialize, serialize } from 'node:v8';
import * as E from 'fp-ts/Either';
import { BookEvent, NonZeroSignedUsd, PositiveBtc, PositiveUsd, RecordedBookEvent } from '@treasury/domain';
import { BookProjection, BookProjectionSnapshot } from './book-projection';

const decoded = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error('the codec refused the largest amount this test means to drive through');
  return result.right;
};

/**
 * Overflow is impossible by construction: the largest amounts the codecs accept, a million times over,
 * give exact totals. Cash stays within 64 bits by the codecs' bounds (10^12 cents x 10^6 < 2^63); BTC
 * flows do not (2.1 x 10^15 sats x 10^6 > 2^63), so the running sums promote themselves and stay exact.
 */
describe('BookProjection at the largest accepted amounts', () => {
  const MAX_BTC = decoded(PositiveBtc.decode('21000000')); // every bitcoin there can ever be, in satoshis
  const MAX_USD = decoded(NonZeroSignedUsd.decode('10000000000.00')); // the largest single cash movement, in cents
  const PRICE = decoded(PositiveUsd.decode('476.19')); // so the one lot costs at most 10,000,000,000.00
  const T0 = Date.parse('2025-01-01T00:00:00Z');

  /** A book of `events` events: one lot of every bitcoin, then 21,000,000 BTC transfers back and forth and maximal cash movements. */
  const build = (events: number) => {
    const book = new BookProjection();
    let revision = 0;
    const apply = (event: BookEvent) => {
      const recorded: RecordedBookEvent = { eventId: `e${revision}`, revision, recordedAt: T0 + revision, event };
      book.apply(recorded);
      revision += 1;
    };
    const at = () => T0 + revision;
    apply({ type: 'BookOpened', effectiveAt: at(), name: 'Max' } as BookEvent);
    apply({ type: 'MiningOutputReceived', effectiveAt: at(), wallet: 'cold', btc: MAX_BTC, usdPerBtc: PRICE } as BookEvent);
    let transfers = 0n;
    let cashMoves = 0n;
    while (revision < events) {
      if (revision % 2 === 0) {
        const outbound = transfers % 2n === 0n;
        apply({
          type: 'BtcTransferred',
          effectiveAt: at(),
          fromWallet: outbound ? 'cold' : 'hot',
          toWallet: outbound ? 'hot' : 'cold',
          btc: MAX_BTC,
          feeBtc: 0n,
        } as BookEvent);
        transfers += 1n;
      } else {
        apply({ type: 'CashMoved', effectiveAt: at(), cashAccount: 'operating', amountUsd: MAX_USD, category: 'max' } as BookEvent);
        cashMoves += 1n;
      }
    }
    return { book, transfers, cashMoves };
  };

  /** The exact figures of such a book, at the end and half-way through as known half-way through. */
  const expectExact = (projection: BookProjection, events: number, transfers: bigint, cashMoves: bigint) => {
    expect(projection.revision).toBe(events - 1);
    const version = events;
    const end = T0 + events;
    const expectedOut = transfers * MAX_BTC;
    expect(expectedOut > 2n ** 63n).toBe(true); // beyond 64 bits: the point of the test
    expect(projection.flow('transferredOut', T0 - 1, end, version)).toBe(expectedOut);
    expect(projection.flow('transferredIn', T0 - 1, end, version)).toBe(expectedOut);
    const half = events / 2;
    expect(projection.flow('transferredOut', T0 - 1, T0 + half - 1, half)).toBe(BigInt(Math.ceil((half - 2) / 2)) * MAX_BTC);
    const raw = projection.raw(end, version);
    expect(raw.balances.get('cash|operating')).toBe(cashMoves * MAX_USD);
    expect((raw.balances.get('unencumbered-btc|cold') ?? 0n) + (raw.balances.get('unencumbered-btc|hot') ?? 0n)).toBe(MAX_BTC);
    expect(raw.acquiredBtc).toBe(MAX_BTC);
  };

  it('folds a million events of 21,000,000 BTC transfers and maximal cash movements exactly', () => {
    const { book, transfers, cashMoves } = build(1_000_000);
    expectExact(book, 1_000_000, transfers, cashMoves);
  }, 60_000);

  it('carries the promoted sums through a snapshot (overflowing 64 bits takes only ~4,400 such transfers)', () => {
    const { book, transfers, cashMoves } = build(20_000);
    const restored = BookProjection.fromSnapshot(deserialize(serialize(book.toSnapshot())) as BookProjectionSnapshot);
    expectExact(restored, 20_000, transfers, cashMoves);
    // ... and keeps folding on top of them.
    restored.apply({
      eventId: 'next',
      revision: 20_000,
      recordedAt: T0 + 20_000,
      event: { type: 'CashMoved', effectiveAt: T0 + 20_000, cashAccount: 'operating', amountUsd: MAX_USD, category: 'max' } as BookEvent,
    });
    expect(restored.raw(T0 + 20_001, 20_001).balances.get('cash|operating')).toBe((cashMoves + 1n) * MAX_USD);
  });
});
