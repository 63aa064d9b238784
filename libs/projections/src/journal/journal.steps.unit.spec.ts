import { RecordedBook } from '../testing/recorded-book';
import { lotBook } from '../lots/lot-method';
import { ChartOfAccounts } from './chart-of-accounts';
import { JournalWriter } from './journal';

/** A loan (so each month end reads the position for its interest) and a journal to ten years after the last event. */
const setup = () => {
  const b = new RecordedBook();
  b.record('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
  b.record('2025-06-10T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2025-06-10T00:00:00Z',
    wallet: 'pool',
    btc: '1',
    usdPerBtc: '60000.00',
  });
  b.record('2025-07-01T00:00:00Z', 'draw-loan', {
    effectiveAt: '2025-07-01T00:00:00Z',
    loanId: 'L',
    lender: 'Bank',
    principalUsd: '36500.00',
    annualRate: '0.1',
    marginCallLtv: '0.7',
    liquidationLtv: '0.8',
  });
  b.record('2025-07-31T00:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-31T00:00:00Z', usdPerBtc: '80000.00' });
  const projection = b.projection();
  const version = projection.revision + 1;
  const writer = () =>
    new JournalWriter({
      projection,
      version,
      lots: lotBook(projection, version, 'fifo'),
      chart: new ChartOfAccounts(undefined),
      timeZone: 'UTC',
      from: Date.parse('2025-06-01T00:00:00Z'),
      to: Date.parse('2035-07-31T23:59:59.999Z'),
    });
  return { b, projection, writer };
};

/** Drives steps by hand: the most position reads made between two yields, the yields, the result. */
const drive = <R>(steps: Generator<void, R>, reads: jest.SpyInstance) => {
  let most = 0;
  let yields = 0;
  let before = reads.mock.calls.length;
  for (;;) {
    const step = steps.next();
    most = Math.max(most, reads.mock.calls.length - before);
    before = reads.mock.calls.length;
    if (step.done === true) return { most, yields, value: step.value };
    yields++;
  }
};

describe('journal writer in steps', () => {
  it('finish closes one month end per step (a position read each, for the loan), and gives the journal finish() gives', () => {
    const { b, projection, writer } = setup();
    const expected = writer();
    for (const e of b.events) expected.add(e);
    const whole = expected.finish();

    const stepped = writer();
    for (const e of b.events) stepped.add(e);
    const reads = jest.spyOn(projection, 'raw');
    const { most, yields, value } = drive(stepped.finishSteps(), reads);
    // July 2025 .. July 2035 are closed here: 121 month ends (`to` is one, so no interim close).
    expect(reads).toHaveBeenCalledTimes(121);
    expect(yields).toBe(121);
    expect(most).toBe(1);
    expect(value).toEqual(whole);
  });

  it('an event after a long gap closes the months between in steps too', () => {
    const { b } = setup();
    b.record('2030-01-02T00:00:00Z', 'record-btc-price', { effectiveAt: '2030-01-02T00:00:00Z', usdPerBtc: '90000.00' });
    const late = b.projection();
    const w = new JournalWriter({
      projection: late,
      version: late.revision + 1,
      lots: lotBook(late, late.revision + 1, 'fifo'),
      chart: new ChartOfAccounts(undefined),
      timeZone: 'UTC',
      from: Date.parse('2025-06-01T00:00:00Z'),
      to: Date.parse('2035-07-31T23:59:59.999Z'),
    });
    for (const e of b.events.slice(0, -1)) w.add(e);
    const reads = jest.spyOn(late, 'raw');
    const { most, yields } = drive(w.addSteps(b.events[b.events.length - 1]!), reads);
    // Month ends July 2025 .. December 2029: 54 closes.
    expect([yields, reads.mock.calls.length, most]).toEqual([54, 54, 1]);
  });
});
