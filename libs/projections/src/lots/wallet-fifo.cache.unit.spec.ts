import { RecordedBook } from '../testing/recorded-book';
import { walletFifoLotBook, walletFifoSteps } from './wallet-fifo';

const T = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`;

/** Two lots in two wallets, a transfer with a fee and a sale: enough versions to fill the relief cache. */
const projection = () => {
  const b = new RecordedBook();
  b.record(T(1), 'open-book', { name: 'W', effectiveAt: T(1) });
  b.record(T(2), 'record-mining-output', { effectiveAt: T(2), wallet: 'pool', btc: '1', usdPerBtc: '10000.00' });
  b.record(T(3), 'record-mining-output', { effectiveAt: T(3), wallet: 'cold', btc: '1', usdPerBtc: '20000.00' });
  b.record(T(4), 'record-mining-output', { effectiveAt: T(4), wallet: 'pool', btc: '1', usdPerBtc: '30000.00' });
  b.record(T(5), 'transfer-btc', { effectiveAt: T(5), fromWallet: 'pool', toWallet: 'cold', btc: '0.5', feeBtc: '0.001' });
  b.record(T(6), 'record-btc-sale', { effectiveAt: T(6), wallet: 'cold', btc: '0.6', proceedsUsd: '30000.00' });
  return b.projection();
};

const run = <R>(steps: Generator<void, R>): R => {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
};

describe('wallet-fifo LotBook and the shared relief cache', () => {
  it('keeps the relief index it built: reads after other versions evicted it from the cache run no pass again', () => {
    const book = projection();
    const version = book.revision + 1;
    const lots = walletFifoLotBook(book, version);
    expect(lots.relievedCost(Date.parse(T(6)))).toBe(701_000n);
    // Four other versions' reads fill the cache (it keeps four per projection), evicting v.
    for (const other of [version - 1, version - 2, version - 3, version - 4]) run(walletFifoSteps.relievedCost(book, other, 0));
    const pass = jest.spyOn(book, 'isLive');
    expect(lots.relievedCost(Date.parse(T(6)))).toBe(701_000n);
    expect([...lots.reliefs(Number.MIN_SAFE_INTEGER, Date.parse(T(31)))].map((r) => r.relievedCostUsd)).toEqual([1_000n, 700_000n]);
    expect(pass).not.toHaveBeenCalled();
  });
});
