import { formatUsd } from '@treasury/domain';
import { RecordedBook } from '../testing/recorded-book';
import { lotBook } from './lot-method';

/**
 * Hand-computed wallet-fifo books. Lot A (pool, 1 BTC, $10,000) is the oldest; lot B (cold, 1 BTC,
 * $20,000) and lot C (pool, 1 BTC, $30,000) follow. Jan 5: 0.5 BTC pool -> cold with a 0.001 BTC fee.
 * Jan 6: cold sells 0.6 BTC for $30,000.
 */
const T = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`;
const at = (iso: string) => Date.parse(iso);

const book = () => {
  const b = new RecordedBook();
  b.record(T(1), 'open-book', { name: 'W', effectiveAt: T(1) });
  const [a] = b.record(T(2), 'record-mining-output', { effectiveAt: T(2), wallet: 'pool', btc: '1', usdPerBtc: '10000.00' });
  const [bLot] = b.record(T(3), 'record-mining-output', { effectiveAt: T(3), wallet: 'cold', btc: '1', usdPerBtc: '20000.00' });
  const [c] = b.record(T(4), 'record-mining-output', { effectiveAt: T(4), wallet: 'pool', btc: '1', usdPerBtc: '30000.00' });
  const [transfer] = b.record(T(5), 'transfer-btc', {
    effectiveAt: T(5),
    fromWallet: 'pool',
    toWallet: 'cold',
    btc: '0.5',
    feeBtc: '0.001',
  });
  const [sale] = b.record(T(6), 'record-btc-sale', { effectiveAt: T(6), wallet: 'cold', btc: '0.6', proceedsUsd: '30000.00' });
  return { b, ids: { a: a!, b: bLot!, c: c!, transfer: transfer!, sale: sale! } };
};

const usd = (cents: bigint) => formatUsd(cents);
const reliefs = (lots: ReturnType<typeof lotBook>, to: number) =>
  [...lots.disposals(Number.MIN_SAFE_INTEGER, to)].map((r) => [
    r.disposal.eventId,
    r.wallet,
    usd(r.relievedCostUsd),
    r.lots.map((s) => [s.lot.eventId, s.btc, usd(s.costUsd)]),
  ]);
const open = (lots: ReturnType<typeof lotBook>, asOf: number) =>
  [...lots.openLots(asOf)].map((s) => [s.wallet, s.lot.eventId, s.btc, usd(s.costUsd)]);

describe('wallet-fifo', () => {
  it('pays a transfer fee from the oldest sats of the source, then moves the next oldest with their date and cost', () => {
    const { b, ids } = book();
    const projection = b.projection();
    const version = projection.revision + 1;
    const lots = lotBook(projection, version, 'wallet-fifo');
    expect(reliefs(lots, at(T(31)))).toEqual([
      // The fee: 0.001 of lot A (its first $10.00), for no proceeds.
      [ids.transfer, 'pool', '10.00', [[ids.a, 100_000n, '10.00']]],
      // cold's queue: the moved part of A (acquired Jan 2, $5,000 for 0.5) before its own lot B.
      [
        ids.sale,
        'cold',
        '7000.00',
        [
          [ids.a, 50_000_000n, '5000.00'],
          [ids.b, 10_000_000n, '2000.00'],
        ],
      ],
    ]);
    expect(open(lots, at(T(7)))).toEqual([
      ['cold', ids.b, 90_000_000n, '18000.00'],
      ['pool', ids.a, 49_900_000n, '4990.00'],
      ['pool', ids.c, 100_000_000n, '30000.00'],
    ]);
    expect(lots.relievedCost(at(T(5)))).toBe(1_000n);
    expect(lots.relievedCost(at(T(6)))).toBe(701_000n);
    expect(lots.relievedCost(at(T(4)))).toBe(0n);
    // Before the transfer, lot A is whole in pool.
    expect(open(lots, at(T(4)))).toEqual([
      ['cold', ids.b, 100_000_000n, '20000.00'],
      ['pool', ids.a, 100_000_000n, '10000.00'],
      ['pool', ids.c, 100_000_000n, '30000.00'],
    ]);

    // Company-wide FIFO relieves the oldest sats wherever they are: 0.6 of lot A after the fee.
    const fifo = lotBook(projection, version, 'fifo');
    expect(fifo.relievedCost(at(T(6)))).toBe(601_000n);
    expect([...fifo.disposals(Number.MIN_SAFE_INTEGER, at(T(31)))].map((r) => usd(r.relievedCostUsd))).toEqual(['10.00', '6000.00']);
  });

  it('reads each version: the transfer reversed (and known so) leaves cold selling its own lot', () => {
    const { b, ids } = book();
    b.record(T(8), 'reverse-event', { eventId: ids.transfer, reason: 'never sent' });
    const projection = b.projection();
    const before = lotBook(projection, projection.versionAt(at(T(7))), 'wallet-fifo');
    const after = lotBook(projection, projection.revision + 1, 'wallet-fifo');
    expect(before.relievedCost(at(T(31)))).toBe(701_000n);
    expect(reliefs(after, at(T(31)))).toEqual([[ids.sale, 'cold', '12000.00', [[ids.b, 60_000_000n, '12000.00']]]]);
  });

  it('an amendment is a reversal and a replacement: the transfer made smaller moves less of lot A', () => {
    const { b, ids } = book();
    b.record(T(9), 'amend-event', {
      eventId: ids.transfer,
      reason: 'amount',
      replacement: { effectiveAt: T(5), fromWallet: 'pool', toWallet: 'cold', btc: '0.2', feeBtc: '0.001' },
    });
    const projection = b.projection();
    const lots = lotBook(projection, projection.revision + 1, 'wallet-fifo');
    const [fee, sale] = reliefs(lots, at(T(31)));
    expect(fee!.slice(1, 3)).toEqual(['pool', '10.00']);
    // 0.2 of A ($2,000) then 0.4 of B ($8,000).
    expect(sale).toEqual([
      ids.sale,
      'cold',
      '10000.00',
      [
        [ids.a, 20_000_000n, '2000.00'],
        [ids.b, 40_000_000n, '8000.00'],
      ],
    ]);
  });

  it('queues an opening lot at its acquiredAt in its own wallet; a transfer back joins the split lot again', () => {
    const b = new RecordedBook();
    b.record(T(1), 'open-book', { name: 'W', effectiveAt: T(1) });
    const [mined] = b.record(T(2), 'record-mining-output', { effectiveAt: T(2), wallet: 'cold', btc: '1', usdPerBtc: '50000.00' });
    const [opening] = b.record(T(3), 'record-opening-balance', {
      wallet: 'cold',
      btc: '1',
      costBasisUsd: '3.00',
      acquiredAt: '2020-01-01T00:00:00Z',
    });
    b.record(T(4), 'transfer-btc', { effectiveAt: T(4), fromWallet: 'cold', toWallet: 'hot', btc: '0.5' });
    b.record(T(5), 'transfer-btc', { effectiveAt: T(5), fromWallet: 'hot', toWallet: 'cold', btc: '0.5' });
    const projection = b.projection();
    const lots = lotBook(projection, projection.revision + 1, 'wallet-fifo');
    // The opening lot (2020) was the oldest in cold: half of it went to hot, and came back whole again.
    expect(open(lots, at(T(4)))).toEqual([
      ['cold', opening, 50_000_000n, '1.50'],
      ['cold', mined, 100_000_000n, '50000.00'],
      ['hot', opening, 50_000_000n, '1.50'],
    ]);
    expect(open(lots, at(T(5)))).toEqual([
      ['cold', opening, 100_000_000n, '3.00'],
      ['cold', mined, 100_000_000n, '50000.00'],
    ]);
    expect(open(lots, at(T(5))).map(([, ...rest]) => rest)).toEqual(
      open(lotBook(projection, projection.revision + 1, 'fifo'), at(T(5))).map(([, ...rest]) => rest),
    );
  });
});
