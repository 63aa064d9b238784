import {
  BookProjection,
  LOT_METHODS,
  fifoLotBook,
  lotBook,
  monthEndReport,
  monthsBetween,
  pnlReport,
  positionFrom,
  usdRollforward,
} from '@treasury/projections';
import { RecordedBook } from '@treasury/projections/testing/recorded-book';
import { monthEndRowView, usdRollforwardView } from './month-end.view';
import { pnlFiguresView } from './pnl.view';

/**
 * The month-end report, USD roll-forward and P&L as the API answers them (the projections' values
 * through the views beside the reports controller), on a book worked by hand (USD in the comments, cents in the code).
 * June: an opening lot of 1 BTC at 20,000 (acquired 2021, held from the opening, when the price is
 * 60,000: fair value 60,000, a revaluation of 40,000 into opening equity); 2 BTC mined at 50,000 with
 * Foundry (100,000); price 60,000 at month end. Closing: 3 BTC, fair value 180,000, open cost 120,000,
 * unrealized 60,000, of which 40,000 came in with the opening lot: the P&L's remeasurement is 20,000.
 * July: a loan of 1,000,000 at 7.3% act/365 from 1 July (200 a day: 6,200 for 31 days) plus a charge of
 * 100; 1 BTC mined at 62,000 without a pool; 0.5 BTC bought for 30,000 + 100 fees (lot 30,100); 1.2 BTC
 * sold for 80,000 net of 500 fees, relieving the opening lot (20,000) and 0.2 of June's (10,000): gain
 * 50,000 net, 50,500 gross; 0.5 BTC paid for power at 40,000 (20,000), relieving 0.5 of June's (25,000):
 * a loss of 5,000; a transfer with a 0.001 BTC fee relieving 50; cash: 3,000 out for power, 1,000 in
 * from a hosting rebate, and two balance-sheet movements (the mapping says so): 5,000 out for
 * equipment and 2,000 in from equity; price 70,000 at month end. Closing: 2.799 BTC, fair value 195,930; open lots
 * 1.299 (64,950) + 1 (62,000) + 0.5 (30,100) = 157,050, unrealized 38,880.
 */
const book = () => {
  const b = new RecordedBook();
  b.record('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
  b.record('2025-06-01T00:30:00Z', 'record-btc-price', { effectiveAt: '2025-06-01T00:00:00Z', usdPerBtc: '60000.00' });
  b.record('2025-06-01T01:00:00Z', 'record-opening-balance', {
    wallet: 'cold',
    btc: '1',
    costBasisUsd: '20000.00',
    acquiredAt: '2021-01-01T00:00:00Z',
  });
  b.record('2025-06-10T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2025-06-10T00:00:00Z',
    wallet: 'pool',
    btc: '2',
    usdPerBtc: '50000.00',
    pool: 'Foundry',
  });
  b.record('2025-06-30T12:00:00Z', 'record-btc-price', { effectiveAt: '2025-06-30T12:00:00Z', usdPerBtc: '60000.00' });
  b.record('2025-07-01T00:00:00Z', 'draw-loan', {
    effectiveAt: '2025-07-01T00:00:00Z',
    loanId: 'term',
    lender: 'L',
    principalUsd: '1000000.00',
    annualRate: '0.073',
    marginCallLtv: '0.7',
    liquidationLtv: '0.85',
    dayCount: 'act/365',
  });
  b.record('2025-07-05T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2025-07-05T00:00:00Z',
    wallet: 'pool',
    btc: '1',
    usdPerBtc: '62000.00',
  });
  b.record('2025-07-08T00:00:00Z', 'record-btc-purchase', {
    effectiveAt: '2025-07-08T00:00:00Z',
    wallet: 'hot',
    btc: '0.5',
    costUsd: '30000.00',
    feesUsd: '100.00',
  });
  b.record('2025-07-10T00:00:00Z', 'record-btc-sale', {
    effectiveAt: '2025-07-10T00:00:00Z',
    wallet: 'pool',
    btc: '1.2',
    proceedsUsd: '80000.00',
    feesUsd: '500.00',
  });
  b.record('2025-07-15T00:00:00Z', 'record-btc-payment', {
    effectiveAt: '2025-07-15T00:00:00Z',
    wallet: 'pool',
    btc: '0.5',
    usdPerBtc: '40000.00',
    category: 'power',
  });
  b.record('2025-07-20T00:00:00Z', 'transfer-btc', {
    effectiveAt: '2025-07-20T00:00:00Z',
    fromWallet: 'pool',
    toWallet: 'cold',
    btc: '1',
    feeBtc: '0.001',
  });
  b.record('2025-07-25T00:00:00Z', 'record-cash-movement', {
    effectiveAt: '2025-07-25T00:00:00Z',
    cashAccount: 'operating',
    amountUsd: '-3000.00',
    category: 'power',
  });
  b.record('2025-07-25T00:00:01Z', 'record-cash-movement', {
    effectiveAt: '2025-07-25T00:00:01Z',
    cashAccount: 'operating',
    amountUsd: '1000.00',
    category: 'hosting-rebate',
  });
  b.record('2025-07-26T00:00:00Z', 'record-cash-movement', {
    effectiveAt: '2025-07-26T00:00:00Z',
    cashAccount: 'operating',
    amountUsd: '-5000.00',
    category: 'equipment',
  });
  b.record('2025-07-26T00:00:01Z', 'record-cash-movement', {
    effectiveAt: '2025-07-26T00:00:01Z',
    cashAccount: 'operating',
    amountUsd: '2000.00',
    category: 'equity',
  });
  b.record('2025-07-31T00:00:00Z', 'accrue-interest', { effectiveAt: '2025-07-31T00:00:00Z', loanId: 'term', interestUsd: '100.00' });
  b.record('2025-07-31T12:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-31T12:00:00Z', usdPerBtc: '70000.00' });
  return b;
};

const MONTHS = monthsBetween({ year: 2025, month: 6 }, { year: 2025, month: 7 })!;
const latest = (projection: BookProjection) => projection.versionAt(Number.MAX_SAFE_INTEGER);

describe('USD roll-forward (ASU 2023-08) on a book worked by hand', () => {
  it('computes every term on its own and closes to the cent', () => {
    const projection = book().projection();
    const version = latest(projection);
    const [june, july] = usdRollforward(projection, fifoLotBook(projection, version), MONTHS, version).map(usdRollforwardView);
    // An empty book needs no price at its opening: nothing held is worth 0.00 at any price.
    expect(june).toEqual({
      openingFairValueUsd: '0.00',
      minedUsd: '100000.00',
      purchasedUsd: '0.00',
      openingBalancesUsd: '20000.00',
      additionsUsd: '120000.00',
      salesUsd: '0.00',
      paymentsUsd: '0.00',
      liquidationsUsd: '0.00',
      proceedsUsd: '0.00',
      realizedGainUsd: '0.00',
      openingUnrealizedGainUsd: '0.00',
      closingUnrealizedGainUsd: '60000.00',
      unrealizedChangeUsd: '60000.00',
      openingBalancesRevaluationUsd: '40000.00',
      closingFairValueUsd: '180000.00',
      rollforwardCheckUsd: '0.00',
    });
    expect(july).toEqual({
      openingFairValueUsd: '180000.00',
      minedUsd: '62000.00',
      purchasedUsd: '30100.00',
      openingBalancesUsd: '0.00',
      additionsUsd: '92100.00',
      salesUsd: '80000.00',
      paymentsUsd: '20000.00',
      liquidationsUsd: '0.00',
      proceedsUsd: '100000.00',
      realizedGainUsd: '44950.00',
      openingUnrealizedGainUsd: '60000.00',
      closingUnrealizedGainUsd: '38880.00',
      unrealizedChangeUsd: '-21120.00',
      openingBalancesRevaluationUsd: '0.00',
      closingFairValueUsd: '195930.00',
      rollforwardCheckUsd: '0.00',
    });
  });

  it('sits beside the BTC roll-forward in the month-end report, whose columns are unchanged', () => {
    const projection = book().projection();
    const [june, july] = monthEndReport(projection, MONTHS, latest(projection)).map(monthEndRowView);
    expect(june).toMatchObject({
      openingBalancesBtc: '1.00000000',
      minedBtc: '2.00000000',
      closingBtc: '3.00000000',
      rollforwardCheckBtc: '0.00000000',
      usd: { closingFairValueUsd: '180000.00', rollforwardCheckUsd: '0.00' },
    });
    expect(july).toMatchObject({
      soldBtc: '1.20000000',
      paidBtc: '0.50000000',
      closingBtc: '2.79900000',
      usd: { realizedGainUsd: '44950.00', closingFairValueUsd: '195930.00', rollforwardCheckUsd: '0.00' },
    });
  });

  it('leaves the fair-value terms and the check null where a boundary holds BTC without a price', () => {
    const b = new RecordedBook();
    b.record('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    b.record('2025-06-10T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2025-06-10T00:00:00Z',
      wallet: 'pool',
      btc: '2',
      usdPerBtc: '50000.00',
    });
    b.record('2025-07-31T12:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-31T12:00:00Z', usdPerBtc: '70000.00' });
    const projection = b.projection();
    const version = latest(projection);
    const [june, july] = usdRollforward(projection, fifoLotBook(projection, version), MONTHS, version).map(usdRollforwardView);
    expect(june).toMatchObject({
      openingFairValueUsd: '0.00',
      minedUsd: '100000.00',
      closingFairValueUsd: null,
      closingUnrealizedGainUsd: null,
      unrealizedChangeUsd: null,
      rollforwardCheckUsd: null,
    });
    expect(july).toMatchObject({
      openingFairValueUsd: null,
      closingFairValueUsd: '140000.00',
      unrealizedChangeUsd: null,
      rollforwardCheckUsd: null,
    });
  });

  it('counts an opening lot queued in FIFO before it is held only from when it is held', () => {
    const b = book();
    // Held from 2 July, acquired in 2019: first in the queue at the June close, but not in the holdings.
    b.record('2025-07-02T00:00:00Z', 'record-opening-balance', {
      effectiveAt: '2025-07-02T00:00:00Z',
      wallet: 'cold',
      btc: '0.1',
      costBasisUsd: '1000.00',
      acquiredAt: '2019-01-01T00:00:00Z',
    });
    const projection = b.projection();
    const version = latest(projection);
    const [june, july] = usdRollforward(projection, fifoLotBook(projection, version), MONTHS, version).map(usdRollforwardView);
    expect(june).toMatchObject({ closingFairValueUsd: '180000.00', closingUnrealizedGainUsd: '60000.00', rollforwardCheckUsd: '0.00' });
    // July: the 2019 lot is an addition at its cost basis; the sale now relieves it first (1,000 for 0.1).
    expect(july).toMatchObject({ openingBalancesUsd: '1000.00', additionsUsd: '93100.00', rollforwardCheckUsd: '0.00' });
    // GET position and GET lots at the June close agree with it (finding 4): the 2019 lot is not held yet.
    const juneEnd = MONTHS[0]!.end;
    const position = positionFrom(projection.raw(juneEnd, version));
    expect(position.costBasis).toEqual({ totalUsd: 12_000_000n, realizedGainUsd: 0n, unrealizedGainUsd: 6_000_000n });
    for (const method of LOT_METHODS) {
      const lots = [...lotBook(projection, version, method).openLots(juneEnd)];
      expect([method, lots.reduce((sum, s) => sum + s.btc, 0n), lots.reduce((sum, s) => sum + s.costUsd, 0n)]).toEqual([
        method,
        300_000_000n,
        12_000_000n,
      ]);
    }
    // From 2 July it is held and listed.
    expect(positionFrom(projection.raw(Date.parse('2025-07-02T00:00:00Z'), version)).costBasis.totalUsd).toBe(12_100_000n);
  });
});

describe('period P&L on the same book', () => {
  const pnl = (
    categories: ReadonlySet<string> = new Set(['power']),
    balanceSheet: ReadonlySet<string> = new Set(['equipment', 'equity']),
  ) => {
    const projection = book().projection();
    const version = latest(projection);
    return {
      projection,
      v: version,
      report: pnlReport(projection, fifoLotBook(projection, version), MONTHS, version, categories, balanceSheet),
    };
  };

  it('computes every line by hand, per month and in total', () => {
    const { report } = pnl();
    const [june, july] = report.months.map((m) => pnlFiguresView(m.figures));
    expect(june).toMatchObject({
      miningRevenue: { totalUsd: '100000.00', byPool: { Foundry: '100000.00' }, withoutPoolUsd: '0.00' },
      // 60,000 of unrealized change, 40,000 of it the opening lot's gain from before the book (opening equity).
      fairValueRemeasurementUsd: '20000.00',
      openingBalancesRevaluationUsd: '40000.00',
      interestExpense: { totalUsd: '0.00', byLoan: {} },
      netIncomeUsd: '120000.00',
      minedBtc: '2.00000000',
      productionCostUsd: '0.00',
      costPerBtcMinedUsd: '0.00',
    });
    expect(july).toEqual({
      miningRevenue: { totalUsd: '62000.00', byPool: {}, withoutPoolUsd: '62000.00' },
      realizedGain: { onSalesUsd: '50500.00', onPaymentsUsd: '-5000.00', onLiquidationsUsd: '0.00' },
      tradingFeesUsd: '500.00',
      networkFeesUsd: '50.00',
      fairValueRemeasurementUsd: '-21120.00',
      openingBalancesRevaluationUsd: '0.00',
      interestExpense: { totalUsd: '6300.00', byLoan: { term: '6300.00' } },
      expensesPaidInBtc: { totalUsd: '20000.00', byCategory: { power: '20000.00' } },
      expensesPaidInCash: { totalUsd: '3000.00', byCategory: { power: '3000.00' } },
      otherIncome: { totalUsd: '1000.00', byCategory: { 'hosting-rebate': '1000.00' } },
      // 62,000 + 50,500 − 5,000 − 500 − 50 − 21,120 − 6,300 − 20,000 − 3,000 + 1,000
      netIncomeUsd: '57530.00',
      // Capital spending and equity: not P&L, listed apart.
      notInPnl: {
        paidInBtc: { totalUsd: '0.00', byCategory: {} },
        cashOut: { totalUsd: '5000.00', byCategory: { equipment: '5000.00' } },
        cashIn: { totalUsd: '2000.00', byCategory: { equity: '2000.00' } },
      },
      minedBtc: '1.00000000',
      productionCostUsd: '23000.00',
      costPerBtcMinedUsd: '23000.00',
    });
    expect(pnlFiguresView(report.total)).toMatchObject({
      miningRevenue: { totalUsd: '162000.00', byPool: { Foundry: '100000.00' }, withoutPoolUsd: '62000.00' },
      fairValueRemeasurementUsd: '-1120.00',
      openingBalancesRevaluationUsd: '40000.00',
      netIncomeUsd: '177530.00',
      minedBtc: '3.00000000',
      // 23,000 over 3 BTC, rounded half-even to the cent.
      costPerBtcMinedUsd: '7666.67',
    });
  });

  it('without balance-sheet categories (the default) every category is P&L: equipment an expense, equity other income', () => {
    const [, july] = pnl(new Set(['power', 'equipment']), new Set()).report.months.map((m) => pnlFiguresView(m.figures));
    expect(july).toMatchObject({
      expensesPaidInCash: { totalUsd: '8000.00', byCategory: { power: '3000.00', equipment: '5000.00' } },
      otherIncome: { totalUsd: '3000.00', byCategory: { 'hosting-rebate': '1000.00', equity: '2000.00' } },
      netIncomeUsd: '54530.00',
      productionCostUsd: '28000.00',
      notInPnl: { cashOut: { totalUsd: '0.00' }, cashIn: { totalUsd: '0.00' } },
    });
    // Marked balance sheet, a production category is no production cost.
    const [, marked] = pnl(new Set(['power', 'equipment'])).report.months;
    expect(marked!.figures.productionCostUsd).toBe(2_300_000n);
  });

  it('ties to the roll-forward: remeasurement + the opening revaluation is the unrealized change, realized by type less the fees is its realized gain', () => {
    const { projection, v: version, report } = pnl();
    const rollforward = usdRollforward(projection, fifoLotBook(projection, version), MONTHS, version);
    report.months.forEach(({ figures }, i) => {
      expect(figures.remeasurementUsd! + figures.openingBalancesRevaluationUsd).toBe(rollforward[i]!.unrealizedChangeUsd);
      const realized =
        figures.realizedOnSalesUsd +
        figures.realizedOnPaymentsUsd +
        figures.realizedOnLiquidationsUsd -
        figures.tradingFeesUsd -
        figures.networkFeesUsd;
      expect(realized).toBe(rollforward[i]!.realizedGainUsd);
      expect(figures.miningRevenueUsd).toBe(rollforward[i]!.minedUsd);
    });
  });

  it('has no cost per BTC when none was mined, and no production cost without production categories', () => {
    const { report } = pnl(new Set());
    expect(report.months.map((m) => [m.figures.productionCostUsd, m.figures.costPerBtcMinedUsd])).toEqual([
      [0n, 0n],
      [0n, 0n],
    ]);
    const b = new RecordedBook();
    b.record('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    const projection = b.projection();
    const version = latest(projection);
    const [june] = pnlReport(projection, fifoLotBook(projection, version), MONTHS, version, new Set(['power'])).months;
    expect(june!.figures).toMatchObject({ minedBtc: 0n, costPerBtcMinedUsd: null, netIncomeUsd: 0n });
  });

  it("reads interest charged on a loan drawn before accrual from terms (no dayCount) as that loan's whole expense", () => {
    const b = book();
    const projection = b.projection();
    const legacy = (revision: number, effectiveAt: string, event: Record<string, unknown>) =>
      projection.apply({
        eventId: `00000000-0000-4000-9000-${String(revision).padStart(12, '0')}`,
        revision,
        recordedAt: Date.parse(effectiveAt),
        event: { ...event, effectiveAt: Date.parse(effectiveAt) } as never,
      });
    const r = projection.revision + 1;
    legacy(r, '2025-07-31T13:00:00Z', {
      type: 'LoanDrawn',
      loanId: 'old',
      lender: 'L',
      principalUsd: 100_000_00n,
      annualRate: 100_000n,
      marginCallLtv: 700_000n,
      liquidationLtv: 850_000n,
      cashAccount: 'operating',
    });
    legacy(r + 1, '2025-07-31T14:00:00Z', { type: 'InterestAccrued', loanId: 'old', interestUsd: 833_33n });
    const version = latest(projection);
    const [, july] = pnlReport(projection, fifoLotBook(projection, version), MONTHS, version, new Set()).months;
    expect(pnlFiguresView(july!.figures).interestExpense).toEqual({ totalUsd: '7133.33', byLoan: { old: '833.33', term: '6300.00' } });
  });
});
