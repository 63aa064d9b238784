import { deserialize, serialize } from 'node:v8';
import { RecordedBook } from '../testing/recorded-book';
import { naiveRaw } from '../testing/naive-replay';
import { monthEndReport, monthsBetween } from '../reports/month-end';
import { positionFrom } from './position';
import { BookProjection, BookProjectionSnapshot } from './book-projection';

const at = Date.parse;
const BTC = 100_000_000n;

/**
 * A hand-computed book. Opening lots: A 2 BTC for 20,000.00 acquired 2021-03-01 (recorded first) and
 * B 1 BTC for 30,000.00 acquired 2020-01-01; 100,000.00 opening cash. June: 1 BTC mined at 60,000.00,
 * 0.5 BTC bought for 40,000.00 + 100.00 fees, then 1.5 BTC paid for hosting at 100,000.00 = 150,000.00.
 * FIFO by acquisition: the payment relieves B (30,000.00) then a quarter of A (5,000.00): 35,000.00, a
 * realized gain of 115,000.00.
 */
const book = () => {
  const b = new RecordedBook();
  b.record('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
  const [lotA] = b.record('2025-06-01T01:00:00Z', 'record-opening-balance', {
    wallet: 'cold',
    btc: '2',
    costBasisUsd: '20000.00',
    acquiredAt: '2021-03-01T00:00:00Z',
  });
  const [lotB] = b.record('2025-06-01T02:00:00Z', 'record-opening-balance', {
    wallet: 'cold',
    btc: '1',
    costBasisUsd: '30000.00',
    acquiredAt: '2020-01-01T00:00:00Z',
  });
  b.record('2025-06-01T03:00:00Z', 'record-opening-cash', {
    effectiveAt: '2025-06-01T00:00:00Z',
    cashAccount: 'operating',
    amountUsd: '100000.00',
  });
  const [mined] = b.record('2025-06-10T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2025-06-10T00:00:00Z',
    wallet: 'pool',
    btc: '1',
    usdPerBtc: '60000.00',
  });
  const [bought] = b.record('2025-06-15T00:00:00Z', 'record-btc-purchase', {
    effectiveAt: '2025-06-15T00:00:00Z',
    wallet: 'hot',
    btc: '0.5',
    costUsd: '40000.00',
    feesUsd: '100.00',
  });
  const [paid] = b.record('2025-06-20T00:00:00Z', 'record-btc-payment', {
    effectiveAt: '2025-06-20T00:00:00Z',
    wallet: 'cold',
    btc: '1.5',
    usdPerBtc: '100000.00',
    category: 'hosting',
  });
  return { b, ids: { lotA: lotA!, lotB: lotB!, mined: mined!, bought: bought!, paid: paid! } };
};

const END = at('2025-06-30T23:59:59.999Z');

describe('opening balances, purchases and BTC payments in the figures', () => {
  it('costs lots at their cost basis and cost + fees, and a payment as a disposal at fair value against FIFO by acquiredAt', () => {
    const { b, ids } = book();
    const projection = b.projection();
    const version = projection.versionAt(Number.MAX_SAFE_INTEGER);
    const raw = projection.raw(END, version);
    expect(raw).toMatchObject({
      acquiredBtc: (45n * BTC) / 10n,
      acquiredCostUsd: 15_010_000n,
      disposedBtc: (15n * BTC) / 10n,
      proceedsUsd: 15_000_000n,
      relievedCostUsd: 3_500_000n,
    });
    expect(raw).toEqual(naiveRaw(b.events, END, Number.MAX_SAFE_INTEGER));
    const position = positionFrom(raw);
    expect(position.holdings.btc).toBe(3n * BTC);
    expect(position.cash.totalUsd).toBe(5_990_000n);
    expect(position.costBasis).toMatchObject({ totalUsd: 11_510_000n, realizedGainUsd: 11_500_000n });

    const [disposal, ...others] = [...projection.disposals(0, END, version)];
    expect(others).toEqual([]);
    expect(disposal!.disposal).toMatchObject({ eventId: ids.paid, type: 'BtcPaid', btc: (15n * BTC) / 10n, proceedsUsd: 15_000_000n });
    expect(disposal!.relievedCostUsd).toBe(3_500_000n);
    expect(disposal!.lots.map((l) => [l.lot.eventId, l.btc, l.costUsd])).toEqual([
      [ids.lotB, BTC, 3_000_000n],
      [ids.lotA, BTC / 2n, 500_000n],
    ]);
    // Open lots oldest first, an opening lot listed at its acquiredAt.
    expect([...projection.openLots(END, version)].map((l) => [l.lot.eventId, l.lot.effectiveAt, l.btc, l.costUsd])).toEqual([
      [ids.lotA, at('2021-03-01T00:00:00Z'), (15n * BTC) / 10n, 1_500_000n],
      [ids.mined, at('2025-06-10T00:00:00Z'), BTC, 6_000_000n],
      [ids.bought, at('2025-06-15T00:00:00Z'), BTC / 2n, 4_010_000n],
    ]);
    expect(projection.btcExpenses(at('2025-06-01T00:00:00Z') - 1, END, version)).toEqual(new Map([['hosting', 15_000_000n]]));
  });

  it('shows opening balances, purchases and payments in their own month-end columns, not as mined, and the roll-forward closes', () => {
    const projection = book().b.projection();
    const [june] = monthEndReport(
      projection,
      monthsBetween({ year: 2025, month: 6 }, { year: 2025, month: 6 })!,
      projection.versionAt(Number.MAX_SAFE_INTEGER),
    );
    expect(june).toMatchObject({
      openingBtc: 0n,
      openingBalancesBtc: 3n * BTC,
      minedBtc: BTC,
      purchasedBtc: BTC / 2n,
      paidBtc: (15n * BTC) / 10n,
      soldBtc: 0n,
      closingBtc: 3n * BTC,
      rollforwardCheckBtc: 0n,
      cashUsd: 5_990_000n,
    });
  });

  it('takes an opening lot out of the FIFO queue when it is reversed, snapshot or not', () => {
    const { b, ids } = book();
    b.record('2025-06-21T00:00:00Z', 'record-opening-balance', {
      wallet: 'cold',
      btc: '1',
      costBasisUsd: '5.00',
      acquiredAt: '2019-01-01T00:00:00Z',
    });
    const before = b.projection();
    // The 2019 lot is first in the queue, though recorded last: the payment now relieves it and half of B.
    expect(before.raw(END, before.revision + 1).relievedCostUsd).toBe(500n + 1_500_000n);
    const [extra] = b.events.slice(-1).map((e) => e.eventId);
    b.record('2025-06-22T00:00:00Z', 'reverse-event', { eventId: extra, reason: 'duplicate' });
    const whole = b.projection();
    // The reversal folded onto a projection restored from a snapshot taken just before it.
    const split = BookProjection.fromSnapshot(deserialize(serialize(before.toSnapshot())) as BookProjectionSnapshot);
    split.apply(b.events[b.events.length - 1]!);
    for (const projection of [whole, split]) {
      const version = projection.revision + 1;
      expect(projection.raw(END, version)).toEqual(naiveRaw(b.events, END, Number.MAX_SAFE_INTEGER));
      expect(projection.raw(END, version).relievedCostUsd).toBe(3_500_000n);
      expect([...projection.openLots(END, version)].map((l) => l.lot.eventId)[0]).toBe(ids.lotA);
    }
  });
});
