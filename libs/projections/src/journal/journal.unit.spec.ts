import { RecordedBook } from '../testing/recorded-book';
import { lotBook } from '../lots/lot-method';
import { ChartOfAccounts } from './chart-of-accounts';
import { Journal, JournalWriter } from './journal';

const at = Date.parse;
const JUNE_END = at('2025-06-30T23:59:59.999Z');
const JULY_END = at('2025-07-31T23:59:59.999Z');

/**
 * A hand-worked book (UTC). June: 2 BTC opening lot at 20,000.00 (acquired 2021), 100,000.00 opening
 * cash, 1 BTC mined at 60,000.00, 0.5 BTC bought for 40,000.00 + 100.00 fees, 1.5 BTC paid for hosting
 * at 100,000.00 (FIFO relieves 1.5 of the opening lot: 15,000.00), June closes at 100,000.00: 2 BTC
 * worth 200,000.00 against a carrying cost of 105,100.00. July: a 36,500.00 loan at 10% act/365
 * (10.00 a day), 0.5 BTC sold for 49,900.00 net of 100.00 fees (relieving the last 0.5 of the opening
 * lot: 5,000.00), 1,000.00 of power, 5,000.00 pledged as cash collateral, and July closes at 80,000.00.
 */
const book = () => {
  const b = new RecordedBook();
  b.record('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
  b.record('2025-06-01T01:00:00Z', 'record-opening-balance', {
    wallet: 'cold',
    btc: '2',
    costBasisUsd: '20000.00',
    acquiredAt: '2021-03-01T00:00:00Z',
  });
  b.record('2025-06-01T02:00:00Z', 'record-opening-cash', {
    effectiveAt: '2025-06-01T00:00:00Z',
    cashAccount: 'operating',
    amountUsd: '100000.00',
  });
  b.record('2025-06-10T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2025-06-10T00:00:00Z',
    wallet: 'pool',
    btc: '1',
    usdPerBtc: '60000.00',
  });
  b.record('2025-06-15T00:00:00Z', 'record-btc-purchase', {
    effectiveAt: '2025-06-15T00:00:00Z',
    wallet: 'hot',
    btc: '0.5',
    costUsd: '40000.00',
    feesUsd: '100.00',
  });
  b.record('2025-06-20T00:00:00Z', 'record-btc-payment', {
    effectiveAt: '2025-06-20T00:00:00Z',
    wallet: 'cold',
    btc: '1.5',
    usdPerBtc: '100000.00',
    category: 'hosting',
  });
  b.record('2025-06-30T00:00:00Z', 'record-btc-price', { effectiveAt: '2025-06-30T00:00:00Z', usdPerBtc: '100000.00' });
  b.record('2025-07-01T00:00:00Z', 'draw-loan', {
    effectiveAt: '2025-07-01T00:00:00Z',
    loanId: 'L',
    lender: 'Bank',
    principalUsd: '36500.00',
    annualRate: '0.1',
    marginCallLtv: '0.7',
    liquidationLtv: '0.8',
  });
  b.record('2025-07-10T00:00:00Z', 'record-btc-sale', {
    effectiveAt: '2025-07-10T00:00:00Z',
    wallet: 'cold',
    btc: '0.5',
    proceedsUsd: '49900.00',
    feesUsd: '100.00',
  });
  b.record('2025-07-12T00:00:00Z', 'record-cash-movement', {
    effectiveAt: '2025-07-12T00:00:00Z',
    cashAccount: 'operating',
    amountUsd: '-1000.00',
    category: 'power',
  });
  b.record('2025-07-13T00:00:00Z', 'pledge-cash-collateral', {
    effectiveAt: '2025-07-13T00:00:00Z',
    loanId: 'L',
    cashAccount: 'operating',
    amountUsd: '5000.00',
  });
  b.record('2025-07-31T12:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-31T12:00:00Z', usdPerBtc: '80000.00' });
  return b;
};

const journalOf = (b: RecordedBook, from: number, to: number, mapping = true): Journal => {
  const projection = b.projection();
  const version = projection.versionAt(Number.MAX_SAFE_INTEGER);
  const writer = new JournalWriter({
    projection,
    version,
    lots: lotBook(projection, version, 'fifo'),
    chart: new ChartOfAccounts(mapping ? projection.accountMappingAt(version) : undefined),
    timeZone: 'UTC',
    from,
    to,
  });
  const events = b.events
    .filter((e) => projection.isLive(e.revision, version) && e.event.effectiveAt <= to)
    .sort((x, y) => x.event.effectiveAt - y.event.effectiveAt || x.revision - y.revision);
  for (const e of events) writer.add(e);
  return writer.finish();
};

/** An entry as [type, [account, debit, credit] per line], amounts in cents. */
const shape = (journal: Journal) => journal.entries.map((e) => [e.type, e.lines.map((l) => [l.account.code, l.debitUsd, l.creditUsd])]);

describe('journal entries on a hand-worked book', () => {
  it('June: opening balances, mining at fair value, a purchase with capitalised fees, a BTC payment with its realized gain, the month-end remeasurement', () => {
    const journal = journalOf(book(), at('2025-06-01T00:00:00Z'), JUNE_END);
    expect(shape(journal)).toEqual([
      [
        'OpeningBalanceRecorded',
        [
          ['1500', 2_000_000n, 0n],
          ['3900', 0n, 2_000_000n],
        ],
      ],
      [
        'OpeningCashRecorded',
        [
          ['1000', 10_000_000n, 0n],
          ['3900', 0n, 10_000_000n],
        ],
      ],
      [
        'MiningOutputReceived',
        [
          ['1500', 6_000_000n, 0n],
          ['4000', 0n, 6_000_000n],
        ],
      ],
      [
        'BtcPurchased',
        [
          ['1500', 4_010_000n, 0n],
          ['1000', 0n, 4_010_000n],
        ],
      ],
      [
        'BtcPaid',
        [
          ['6900', 15_000_000n, 0n],
          ['1500', 0n, 1_500_000n],
          ['4500', 0n, 13_500_000n],
        ],
      ],
      // 2 BTC × 100,000.00 − (20,000 + 60,000 + 40,100 − 15,000) = 94,900.00
      [
        'Remeasurement',
        [
          ['1500', 9_490_000n, 0n],
          ['4600', 0n, 9_490_000n],
        ],
      ],
    ]);
    const da = journal.accounts.find((a) => a.account.code === '1500')!;
    expect(da.closingUsd).toBe(20_000_000n);
    expect(journal.periods).toEqual([
      { period: '2025-06', start: at('2025-06-01T00:00:00Z'), end: JUNE_END, entries: 6, debitUsd: 46_500_000n, creditUsd: 46_500_000n },
    ]);
    expect(journal.entries.at(-1)).toMatchObject({ entryId: `remeasurement@2025-06-30T23:59:59.999Z`, eventId: null });
    expect(journal.entries.at(-1)!.interim).toBeUndefined();
  });

  it('an opening lot held when the book has a price posts at fair value against opening equity; the remeasurement leaves that gain out', () => {
    const b = book();
    // The price when the opening lot is held from: 2 BTC worth 100,000.00 against a cost basis of 20,000.00.
    b.record('2025-06-01T03:00:00Z', 'record-btc-price', { effectiveAt: '2025-06-01T00:00:00Z', usdPerBtc: '50000.00' });
    const journal = journalOf(b, at('2025-06-01T00:00:00Z'), JUNE_END);
    const opening = journal.entries.find((e) => e.type === 'OpeningBalanceRecorded')!;
    expect(opening.lines).toEqual([
      { account: { code: '1500', name: 'Digital assets (BTC)' }, debitUsd: 10_000_000n, creditUsd: 0n, memo: 'cost basis 20000.00' },
      { account: { code: '3900', name: 'Opening balance equity' }, debitUsd: 0n, creditUsd: 10_000_000n, memo: 'cost basis 20000.00' },
    ]);
    // 94,900.00 of unrealized gain at the close, 80,000.00 of it posted with the opening lot.
    expect(shape(journal).at(-1)).toEqual([
      'Remeasurement',
      [
        ['1500', 1_490_000n, 0n],
        ['4600', 0n, 1_490_000n],
      ],
    ]);
    expect(journal.accounts.find((a) => a.account.code === '1500')!.closingUsd).toBe(20_000_000n);
  });

  it('July: loan draw, a sale net of fees, a cash movement by category, cash collateral, remeasurement down and the month-end interest accrual', () => {
    const b = book();
    const journal = journalOf(b, at('2025-07-01T00:00:00Z'), JULY_END);
    expect(shape(journal)).toEqual([
      [
        'LoanDrawn',
        [
          ['1000', 3_650_000n, 0n],
          ['2100', 0n, 3_650_000n],
        ],
      ],
      // Dr cash 49,900 + fees 100 = Cr assets 5,000 (relieved) + gain 45,000
      [
        'BtcSold',
        [
          ['1000', 4_990_000n, 0n],
          ['6200', 10_000n, 0n],
          ['1500', 0n, 500_000n],
          ['4500', 0n, 4_500_000n],
        ],
      ],
      [
        'CashMoved',
        [
          ['6900', 100_000n, 0n],
          ['1000', 0n, 100_000n],
        ],
      ],
      [
        'CashCollateralPledged',
        [
          ['1050', 500_000n, 0n],
          ['1000', 0n, 500_000n],
        ],
      ],
      // 1.5 BTC × 80,000.00 − 100,100.00 = 19,900.00, down from 94,900.00
      [
        'Remeasurement',
        [
          ['4600', 7_500_000n, 0n],
          ['1500', 0n, 7_500_000n],
        ],
      ],
      // 31 days less a millisecond at 10.00 a day, rounded half-even to the cent
      [
        'InterestAccrual',
        [
          ['7000', 31_000n, 0n],
          ['2150', 0n, 31_000n],
        ],
      ],
    ]);
    const balance = (code: string) => journal.accounts.find((a) => a.account.code === code)!;
    expect(balance('1500')).toMatchObject({ openingUsd: 20_000_000n, closingUsd: 12_000_000n });
    // 100,000 − 40,100 + 36,500 + 49,900 − 1,000 − 5,000
    expect(balance('1000')).toMatchObject({ openingUsd: 5_990_000n, closingUsd: 14_030_000n });
    expect(balance('1050').closingUsd).toBe(500_000n);
    expect(balance('2150').closingUsd).toBe(-31_000n);
    expect(journal.accounts.reduce((sum, a) => sum + a.closingUsd, 0n)).toBe(0n);
  });

  it('a range ending mid-month adds interim adjustments at `to`; a repayment settles interest payable', () => {
    const b = book();
    b.record('2025-07-20T00:00:00Z', 'repay-loan', {
      effectiveAt: '2025-07-20T00:00:00Z',
      loanId: 'L',
      principalUsd: '1000.00',
      interestUsd: '190.00',
    });
    const to = at('2025-07-20T00:00:00Z');
    const journal = journalOf(b, at('2025-07-15T00:00:00Z'), to);
    expect(shape(journal)).toEqual([
      [
        'LoanRepaid',
        [
          ['2100', 100_000n, 0n],
          ['2150', 19_000n, 0n],
          ['1000', 0n, 119_000n],
        ],
      ],
      // No price since June's 100,000.00: 1.5 BTC at 100,000.00 − 100,100.00 = 49,900.00, down 45,000.00
      [
        'Remeasurement',
        [
          ['4600', 4_500_000n, 0n],
          ['1500', 0n, 4_500_000n],
        ],
      ],
      // 19 days at 10.00 accrued, all of it paid: payable back to zero
      [
        'InterestAccrual',
        [
          ['7000', 19_000n, 0n],
          ['2150', 0n, 19_000n],
        ],
      ],
    ]);
    expect(journal.entries.slice(1).every((e) => e.interim === true)).toBe(true);
    expect(journal.accounts.find((a) => a.account.code === '2150')!.closingUsd).toBe(0n);
  });

  it('set-account-mapping changes the accounts lines post to; a reversal of it brings back the default', () => {
    const b = book();
    const [mapping] = b.record('2025-08-01T00:00:00Z', 'set-account-mapping', {
      accounts: { digitalAssets: { code: '1510', name: 'Bitcoin' } },
      cashAccounts: { operating: { code: '1010', name: 'Operating bank' } },
      expenseAccounts: { hosting: { code: '6300', name: 'Hosting' } },
    });
    const june = journalOf(b, at('2025-06-01T00:00:00Z'), JUNE_END);
    expect(june.entries.find((e) => e.type === 'BtcPaid')!.lines.map((l) => l.account)).toEqual([
      { code: '6300', name: 'Hosting' },
      { code: '1510', name: 'Bitcoin' },
      { code: '4500', name: 'Realized gain (loss) on digital assets' },
    ]);
    expect(june.entries.find((e) => e.type === 'OpeningCashRecorded')!.lines[0]!.account.code).toBe('1010');
    b.record('2025-08-02T00:00:00Z', 'reverse-event', { eventId: mapping, reason: 'wrong chart' });
    expect(journalOf(b, at('2025-06-01T00:00:00Z'), JUNE_END).entries.find((e) => e.type === 'BtcPaid')!.lines[0]!.account.code).toBe(
      '6900',
    );
  });
});
