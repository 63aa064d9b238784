import { walletFifoSteps } from '@treasury/projections';
import { RecordedBook } from '@treasury/projections/testing/recorded-book';
import { preparedLotBook } from './position.query';

const T = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`;

const projection = () => {
  const b = new RecordedBook();
  b.record(T(1), 'open-book', { name: 'W', effectiveAt: T(1) });
  b.record(T(2), 'record-mining-output', { effectiveAt: T(2), wallet: 'pool', btc: '1', usdPerBtc: '10000.00' });
  b.record(T(3), 'record-mining-output', { effectiveAt: T(3), wallet: 'cold', btc: '1', usdPerBtc: '20000.00' });
  b.record(T(4), 'transfer-btc', { effectiveAt: T(4), fromWallet: 'pool', toWallet: 'cold', btc: '0.5', feeBtc: '0.001' });
  b.record(T(5), 'record-btc-sale', { effectiveAt: T(5), wallet: 'cold', btc: '0.6', proceedsUsd: '30000.00' });
  return b.projection();
};

describe('preparedLotBook (wallet-fifo)', () => {
  it('answers from the relief index it prepared, even once concurrent reads of other versions evicted it from the shared cache', async () => {
    const book = projection();
    const version = book.revision + 1;
    const lots = await preparedLotBook(book, version, 'wallet-fifo');
    // Four requests at other versions (writes moved v on) prepare theirs meanwhile: the cache keeps four.
    for (const other of [version - 1, version - 2, version - 3, version - 4]) await preparedLotBook(book, other, 'wallet-fifo');
    const pass = jest.spyOn(book, 'isLive');
    // 0.001 of the pool lot for the fee ($10), then 0.5 moved ($5,000) + 0.1 of cold's own ($2,000).
    expect(lots.relievedCost(Date.parse(T(5)))).toBe(701_000n);
    expect([...lots.reliefs(Number.MIN_SAFE_INTEGER, Date.parse(T(31)))].map((r) => r.relievedCostUsd)).toEqual([1_000n, 700_000n]);
    expect(pass).not.toHaveBeenCalled();
    // The fifo LotBook needs no preparing and answers from the projection.
    expect((await preparedLotBook(book, version, 'fifo')).relievedCost(Date.parse(T(5)))).toBe(601_000n);
    expect(run(walletFifoSteps.relievedCost(book, version, Date.parse(T(5))))).toBe(701_000n);
  });
});

function run<R>(steps: Generator<void, R>): R {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}
