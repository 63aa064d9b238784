import * as E from 'fp-ts/Either';
import { formatBtc, formatUsd } from '@treasury/domain';
import {
  BookProjection,
  Explanation,
  explainFigure,
  explanationPageSteps,
  positionFrom,
  reconciliation,
  runSteps,
} from '@treasury/projections';
import { RecordedBook } from '@treasury/projections/testing/recorded-book';
import { explanationViewSteps } from './explanation.view';
import { positionView } from './position.view';
import { reconciliationView } from '../reports/reconciliation.view';

/** The explain answer's figures for the first `limit` contributions (the header is the query's business). */
const explanationView = (figure: string, explanation: Explanation, offset: number, limit: number) =>
  runSteps(
    explanationViewSteps({
      bookId: 'b',
      asOf: 0,
      knownAt: '',
      revision: 0,
      figure,
      page: runSteps(explanationPageSteps(explanation, offset, limit)),
    }),
  );

/**
 * Every figure of a position on small books whose answers are worked out by hand in the comments.
 * Times are ISO strings; `knownAt` picks what the ledger had recorded by then.
 */
const positionAt = (projection: BookProjection, asOf: string, knownAt: string) =>
  positionView(positionFrom(projection.raw(Date.parse(asOf), projection.versionAt(Date.parse(knownAt)))));

const lotsAt = (projection: BookProjection, asOf: string, knownAt: string) =>
  [...projection.openLots(Date.parse(asOf), projection.versionAt(Date.parse(knownAt)))].map((slice) => ({
    lotEventId: slice.lot.eventId,
    btc: formatBtc(slice.btc),
    costUsd: formatUsd(slice.costUsd),
  }));

/**
 * FIFO book: 2 BTC mined at $50,000 (Jan 2), 1 BTC at $60,000 (Jan 5), price $70,000 (Jan 6), 2.5 BTC
 * sold for $175,000 net (Jan 10). On Jan 20 a late pool payout of 1 BTC at $40,000 is recorded,
 * effective Jan 3; on Jan 25 it is reversed.
 */
const fifoBook = () => {
  const book = new RecordedBook();
  book.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Test Mining', effectiveAt: '2026-01-01T00:00:00Z' });
  const [firstLot] = book.record('2026-01-02T01:00:00Z', 'record-mining-output', {
    effectiveAt: '2026-01-02T00:00:00Z',
    wallet: 'pool',
    btc: '2',
    usdPerBtc: '50000.00',
  });
  const [secondLot] = book.record('2026-01-05T01:00:00Z', 'record-mining-output', {
    effectiveAt: '2026-01-05T00:00:00Z',
    wallet: 'pool',
    btc: '1',
    usdPerBtc: '60000.00',
  });
  book.record('2026-01-06T01:00:00Z', 'record-btc-price', { effectiveAt: '2026-01-06T00:00:00Z', usdPerBtc: '70000.00' });
  const [sale] = book.record('2026-01-10T01:00:00Z', 'record-btc-sale', {
    effectiveAt: '2026-01-10T00:00:00Z',
    wallet: 'pool',
    btc: '2.5',
    proceedsUsd: '175000.00',
    feesUsd: '500.00',
  });
  const [latePayout] = book.record('2026-01-20T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2026-01-03T00:00:00Z',
    wallet: 'pool',
    btc: '1',
    usdPerBtc: '40000.00',
  });
  book.record('2026-01-25T00:00:00Z', 'reverse-event', { eventId: latePayout, reason: 'payout was for another customer' });
  return { projection: book.projection(), ids: { firstLot: firstLot!, secondLot: secondLot!, sale: sale!, latePayout: latePayout! } };
};

describe('position: holdings, cost basis and gains (FIFO)', () => {
  it('as known before the late payout: the sale relieves lot 1 and half of lot 2', () => {
    const { projection, ids } = fifoBook();
    const p = positionAt(projection, '2026-01-15T00:00:00Z', '2026-01-15T00:00:00Z');
    expect(p.holdings).toEqual({
      btc: '0.50000000',
      pledgedBtc: '0.00000000',
      unencumberedBtc: '0.50000000',
      wallets: { pool: { btc: '0.50000000', pledgedBtc: '0.00000000' } },
    });
    // Nine days old at Jan 15 (777,600 s): stale beyond the default day.
    expect(p.price).toEqual({
      usdPerBtc: '70000.00',
      effectiveAt: '2026-01-06T00:00:00.000Z',
      ageSeconds: 777_600,
      maxAgeSeconds: 86_400,
      stale: true,
    });
    // Relieved 100,000 + 0.5 x 60,000 = 130,000; realized 175,000 - 130,000; open 0.5 BTC at 60,000.
    // Unrealized: 0.5 x 70,000 - 30,000.
    expect(p.costBasis).toEqual({ totalUsd: '30000.00', realizedGainUsd: '45000.00', unrealizedGainUsd: '5000.00' });
    expect(p.cash).toEqual({ totalUsd: '175000.00', pledgedUsd: '0.00', accounts: { operating: '175000.00' } });
    expect(p.liquidity).toEqual({ cashUsd: '175000.00', unencumberedBtcValueUsd: '35000.00', availableLiquidityUsd: '210000.00' });
    expect(p.leverage).toEqual({
      totalDebtUsd: '0.00',
      totalAssetsUsd: '210000.00',
      netDebtUsd: '-175000.00',
      debtToAssets: '0.000000',
      securedDebtUsd: '0.00',
      collateralValueUsd: '0.00',
      aggregateLtv: null,
    });
    expect(lotsAt(projection, '2026-01-15T00:00:00Z', '2026-01-15T00:00:00Z')).toEqual([
      { lotEventId: ids.secondLot, btc: '0.50000000', costUsd: '30000.00' },
    ]);
  });

  it('as known after the back-dated payout: FIFO re-orders by effective time and the same sale relieves less', () => {
    const { projection, ids } = fifoBook();
    const p = positionAt(projection, '2026-01-15T00:00:00Z', '2026-01-21T00:00:00Z');
    expect(p.holdings.btc).toBe('1.50000000');
    // Lots in effective order: 2 @ 50k (Jan 2), 1 @ 40k (Jan 3), 1 @ 60k (Jan 5). The sale of 2.5
    // relieves 100,000 + 20,000; open: 0.5 of the late lot (20,000) and all of lot 2 (60,000).
    expect(p.costBasis).toEqual({ totalUsd: '80000.00', realizedGainUsd: '55000.00', unrealizedGainUsd: '25000.00' });
    expect(lotsAt(projection, '2026-01-15T00:00:00Z', '2026-01-21T00:00:00Z')).toEqual([
      { lotEventId: ids.latePayout, btc: '0.50000000', costUsd: '20000.00' },
      { lotEventId: ids.secondLot, btc: '1.00000000', costUsd: '60000.00' },
    ]);
    const [disposal, ...more] = [
      ...projection.disposals(
        Date.parse('2026-01-01T00:00:00Z'),
        Date.parse('2026-01-31T00:00:00Z'),
        projection.versionAt(Date.parse('2026-01-21T00:00:00Z')),
      ),
    ];
    expect(more).toEqual([]);
    expect(disposal!.disposal.eventId).toBe(ids.sale);
    expect(formatUsd(disposal!.relievedCostUsd)).toBe('120000.00');
    expect(disposal!.lots.map((s) => [s.lot.eventId, formatBtc(s.btc), formatUsd(s.costUsd)])).toEqual([
      [ids.firstLot, '2.00000000', '100000.00'],
      [ids.latePayout, '0.50000000', '20000.00'],
    ]);
  });

  it('a reversal takes its target out from the moment it is known, and not before', () => {
    const { projection } = fifoBook();
    const beforeLate = positionAt(projection, '2026-01-15T00:00:00Z', '2026-01-15T00:00:00Z');
    expect(positionAt(projection, '2026-01-15T00:00:00Z', '2026-01-26T00:00:00Z')).toEqual(beforeLate);
    expect(positionAt(projection, '2026-01-15T00:00:00Z', '2026-01-24T23:59:59Z').holdings.btc).toBe('1.50000000');
  });

  it('asOf before any price: every figure that needs a price is null, never zero', () => {
    const { projection } = fifoBook();
    const p = positionAt(projection, '2026-01-04T00:00:00Z', '2026-01-21T00:00:00Z');
    expect(p.holdings.btc).toBe('3.00000000');
    expect(p.price).toBeNull();
    expect(p.costBasis).toEqual({ totalUsd: '140000.00', realizedGainUsd: '0.00', unrealizedGainUsd: null });
    expect(p.liquidity).toEqual({ cashUsd: '0.00', unencumberedBtcValueUsd: null, availableLiquidityUsd: null });
    // No loan holds collateral: the collateral's value (0) needs no price, the aggregate LTV has no loan to cover.
    expect(p.leverage).toEqual({
      totalDebtUsd: '0.00',
      totalAssetsUsd: null,
      netDebtUsd: '0.00',
      debtToAssets: null,
      securedDebtUsd: '0.00',
      collateralValueUsd: '0.00',
      aggregateLtv: null,
    });
    // The same asOf as known on Jan 4: the late payout was not recorded yet.
    expect(positionAt(projection, '2026-01-04T00:00:00Z', '2026-01-04T00:00:00Z').holdings.btc).toBe('2.00000000');
  });

  it('asOf before the book has anything: zeros and empty maps', () => {
    const { projection } = fifoBook();
    const p = positionAt(projection, '2025-12-31T00:00:00Z', '2026-02-01T00:00:00Z');
    expect(p.holdings).toEqual({ btc: '0.00000000', pledgedBtc: '0.00000000', unencumberedBtc: '0.00000000', wallets: {} });
    expect(p.loans).toEqual({});
    expect(p.cash).toEqual({ totalUsd: '0.00', pledgedUsd: '0.00', accounts: {} });
  });

  it('rounds each lot once and relieves cumulatively, so partial sales never lose or invent a cent', () => {
    const book = new RecordedBook();
    book.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Rounding', effectiveAt: '2026-01-01T00:00:00Z' });
    // 3 sats at $3,333,333.33 cost 0.0999999999 -> 0.10; 15 sats at $100,000 cost 0.015 -> 0.02 (half-even).
    book.record('2026-01-02T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-02T00:00:00Z',
      wallet: 'w',
      btc: '0.00000003',
      usdPerBtc: '3333333.33',
    });
    book.record('2026-01-02T00:00:01Z', 'record-mining-output', {
      effectiveAt: '2026-01-02T00:00:01Z',
      wallet: 'w',
      btc: '0.00000015',
      usdPerBtc: '100000.00',
    });
    expect(positionAt(book.projection(), '2026-01-03T00:00:00Z', '2026-01-03T00:00:00Z').costBasis.totalUsd).toBe('0.12');
    // Three one-sat sales out of the 0.10 lot relieve F(1)=0.03, F(2)-F(1)=0.07-0.03, F(3)-F(2)=0.10-0.07.
    const relieved: string[] = [];
    for (const day of ['04', '05', '06']) {
      book.record(`2026-01-${day}T00:00:00Z`, 'record-btc-sale', {
        effectiveAt: `2026-01-${day}T00:00:00Z`,
        wallet: 'w',
        btc: '0.00000001',
        proceedsUsd: '1.00',
      });
    }
    const projection = book.projection();
    for (const d of projection.disposals(0, Date.parse('2026-02-01T00:00:00Z'), projection.versionAt(Date.parse('2026-02-01T00:00:00Z'))))
      relieved.push(formatUsd(d.relievedCostUsd));
    expect(relieved).toEqual(['0.03', '0.04', '0.03']);
    const p = positionAt(projection, '2026-01-07T00:00:00Z', '2026-01-07T00:00:00Z');
    expect(p.costBasis).toEqual({ totalUsd: '0.02', realizedGainUsd: '2.90', unrealizedGainUsd: null });
  });

  it('a back-dated price changes the figures as known now, not as known before it was recorded', () => {
    const book = new RecordedBook();
    book.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Prices', effectiveAt: '2026-01-01T00:00:00Z' });
    book.record('2026-01-02T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-02T00:00:00Z',
      wallet: 'w',
      btc: '1',
      usdPerBtc: '90000.00',
    });
    book.record('2026-01-03T00:00:00Z', 'record-btc-price', { effectiveAt: '2026-01-03T00:00:00Z', usdPerBtc: '91000.00' });
    book.record('2026-01-09T00:00:00Z', 'record-btc-price', { effectiveAt: '2026-01-05T00:00:00Z', usdPerBtc: '88000.00' });
    const prices = book.projection();
    expect(positionAt(prices, '2026-01-06T00:00:00Z', '2026-01-08T00:00:00Z').price).toMatchObject({
      usdPerBtc: '91000.00',
      effectiveAt: '2026-01-03T00:00:00.000Z',
      ageSeconds: 259_200,
    });
    expect(positionAt(prices, '2026-01-06T00:00:00Z', '2026-01-10T00:00:00Z').price).toMatchObject({
      usdPerBtc: '88000.00',
      effectiveAt: '2026-01-05T00:00:00.000Z',
      ageSeconds: 86_400,
      stale: false,
    });
    expect(positionAt(prices, '2026-01-06T00:00:00Z', '2026-01-10T00:00:00Z').costBasis.unrealizedGainUsd).toBe('-2000.00');
  });
});

/**
 * Loan book: 3 BTC mined into `cold`, price $80,000, a $96,000 loan (margin call at LTV 0.70,
 * liquidation at 0.85) with 2 BTC pledged, then the price falls, interest accrues and it is repaid.
 * Its annualRate is 0: the interest is only what accrue-interest charges, so the figures are by hand
 * (accrual from the terms has its own tests under libs/projections/src/loans).
 */
const loanBook = () => {
  const book = new RecordedBook();
  book.record('2026-02-01T00:00:00Z', 'open-book', { name: 'Loans', effectiveAt: '2026-02-01T00:00:00Z' });
  book.record('2026-02-01T01:00:00Z', 'record-mining-output', {
    effectiveAt: '2026-02-01T00:30:00Z',
    wallet: 'cold',
    btc: '3',
    usdPerBtc: '50000.00',
  });
  book.record('2026-02-02T00:00:00Z', 'record-btc-price', { effectiveAt: '2026-02-02T00:00:00Z', usdPerBtc: '80000.00' });
  book.record('2026-02-03T00:00:00Z', 'draw-loan', {
    effectiveAt: '2026-02-03T00:00:00Z',
    loanId: 'loan-1',
    lender: 'Two Prime',
    principalUsd: '96000.00',
    annualRate: '0',
    marginCallLtv: '0.70',
    liquidationLtv: '0.85',
    maturityAt: '2027-02-03T00:00:00Z',
  });
  book.record('2026-02-03T01:00:00Z', 'pledge-collateral', {
    effectiveAt: '2026-02-03T01:00:00Z',
    loanId: 'loan-1',
    wallet: 'cold',
    btc: '2',
  });
  book.record('2026-02-04T00:00:00Z', 'record-btc-price', { effectiveAt: '2026-02-04T00:00:00Z', usdPerBtc: '68000.00' });
  book.record('2026-02-05T00:00:00Z', 'record-btc-price', { effectiveAt: '2026-02-05T00:00:00Z', usdPerBtc: '56470.59' });
  book.record('2026-02-05T01:00:00Z', 'record-btc-price', { effectiveAt: '2026-02-05T01:00:00Z', usdPerBtc: '56470.58' });
  book.record('2026-02-06T00:00:00Z', 'accrue-interest', { effectiveAt: '2026-02-06T00:00:00Z', loanId: 'loan-1', interestUsd: '1000.00' });
  book.record('2026-02-06T12:00:00Z', 'record-cash-movement', {
    effectiveAt: '2026-02-06T12:00:00Z',
    cashAccount: 'operating',
    amountUsd: '10000.00',
    category: 'hosting revenue',
  });
  book.record('2026-02-07T00:00:00Z', 'repay-loan', {
    effectiveAt: '2026-02-07T00:00:00Z',
    loanId: 'loan-1',
    principalUsd: '96000.00',
    interestUsd: '1000.00',
  });
  book.record('2026-02-08T00:00:00Z', 'release-collateral', {
    effectiveAt: '2026-02-08T00:00:00Z',
    loanId: 'loan-1',
    wallet: 'cold',
    btc: '2',
  });
  return book.projection();
};
const NOW = '2026-03-01T00:00:00Z';

describe('position: loans, LTV, leverage and liquidity', () => {
  it('after the pledge at $80,000: LTV 0.6 and the prices at which each threshold is reached', () => {
    const p = positionAt(loanBook(), '2026-02-03T12:00:00Z', NOW);
    expect(p.loans['loan-1']).toEqual({
      lender: 'Two Prime',
      drawnAt: '2026-02-03T00:00:00.000Z',
      maturityAt: '2027-02-03T00:00:00.000Z',
      annualRate: '0.000000',
      principalUsd: '96000.00',
      accruedInterestUsd: '0.00',
      outstandingUsd: '96000.00',
      pledgedBtc: '2.00000000',
      pledgedCashUsd: '0.00',
      ltv: '0.600000', // 96,000 / (2 x 80,000)
      marginCallLtv: '0.700000',
      liquidationLtv: '0.850000',
      // Rounded down, so that at the displayed price the status applies (see the next tests).
      marginCallPriceUsd: '68571.42', // 96,000 / (0.70 x 2) = 68,571.428...
      liquidationPriceUsd: '56470.58', // 96,000 / (0.85 x 2) = 56,470.588...
      status: 'open',
      daysToMaturity: 364, // Feb 3 12:00 to Feb 3 next year: 364.5 days, rounded down
      priceDropToMarginCallPct: '14.2857', // (80,000 - 68,571.428...) / 80,000 = 0.142857142..., rounded down
      btcToCureMarginCall: '0.00000000',
      usdToCureMarginCall: '0.00',
    });
    expect(p.holdings).toEqual({
      btc: '3.00000000',
      pledgedBtc: '2.00000000',
      unencumberedBtc: '1.00000000',
      wallets: { cold: { btc: '3.00000000', pledgedBtc: '2.00000000' } },
    });
    // Assets: 96,000 cash + 3 x 80,000. Debt to assets 96/336 = 0.2857142857.
    expect(p.leverage).toEqual({
      totalDebtUsd: '96000.00',
      totalAssetsUsd: '336000.00',
      netDebtUsd: '0.00',
      debtToAssets: '0.285714',
      securedDebtUsd: '96000.00',
      collateralValueUsd: '160000.00',
      aggregateLtv: '0.600000',
    });
    expect(p.liquidity).toEqual({ cashUsd: '96000.00', unencumberedBtcValueUsd: '80000.00', availableLiquidityUsd: '176000.00' });
  });

  it('drawn but not yet pledged: LTV and threshold prices are null, the loan is open', () => {
    const loan = positionAt(loanBook(), '2026-02-03T00:30:00Z', NOW).loans['loan-1']!;
    expect([loan.pledgedBtc, loan.ltv, loan.marginCallPriceUsd, loan.liquidationPriceUsd, loan.status]).toEqual([
      '0.00000000',
      null,
      null,
      null,
      'open',
    ]);
  });

  it('the status follows the exact LTV: margin call at $68,000, still margin call one cent above the liquidation price, liquidatable at it', () => {
    const projection = loanBook();
    const at68k = positionAt(projection, '2026-02-04T12:00:00Z', NOW).loans['loan-1']!;
    expect([at68k.ltv, at68k.status]).toEqual(['0.705882', 'margin-call']);
    // 96,000 / 112,941.18 = 0.84999997...: rounds to 0.850000 but has not reached 0.85.
    const justAbove = positionAt(projection, '2026-02-05T00:30:00Z', NOW).loans['loan-1']!;
    expect([justAbove.ltv, justAbove.status]).toEqual(['0.850000', 'margin-call']);
    const at = positionAt(projection, '2026-02-05T02:00:00Z', NOW).loans['loan-1']!;
    expect([at.ltv, at.status]).toEqual(['0.850000', 'liquidatable']);
  });

  it('interest accrues into outstanding; repaid in full the loan is repaid, and once released it is closed', () => {
    const projection = loanBook();
    const accrued = positionAt(projection, '2026-02-06T06:00:00Z', NOW).loans['loan-1']!;
    expect([accrued.accruedInterestUsd, accrued.outstandingUsd, accrued.liquidationPriceUsd]).toEqual(['1000.00', '97000.00', '57058.82']); // 57,058.823...
    const repaid = positionAt(projection, '2026-02-07T12:00:00Z', NOW);
    expect(repaid.loans['loan-1']).toMatchObject({
      principalUsd: '0.00',
      accruedInterestUsd: '0.00',
      outstandingUsd: '0.00',
      ltv: '0.000000',
      marginCallPriceUsd: null,
      status: 'repaid',
    });
    // 96,000 drawn + 10,000 revenue - 97,000 repaid.
    expect(repaid.cash.totalUsd).toBe('9000.00');
    const released = positionAt(projection, '2026-02-08T12:00:00Z', NOW);
    expect(released.loans).toEqual({});
    expect(released.holdings.unencumberedBtc).toBe('3.00000000');
    expect(released.leverage).toEqual({
      totalDebtUsd: '0.00',
      totalAssetsUsd: '178411.74',
      netDebtUsd: '-9000.00',
      debtToAssets: '0.000000',
      securedDebtUsd: '0.00',
      collateralValueUsd: '0.00',
      aggregateLtv: null,
    });
  });

  it('explains loan figures: the events behind outstanding, the formula behind LTV, the drawdown behind a term', () => {
    const projection = loanBook();
    const at = Date.parse('2026-02-06T06:00:00Z');
    const version = projection.versionAt(Date.parse(NOW));
    const outstanding = explainFigure(projection, 'loans.loan-1.outstandingUsd', at, version);
    expect(E.isRight(outstanding) && explanationView('loans.loan-1.outstandingUsd', outstanding.right, 0, 100)).toMatchObject({
      kind: 'sum',
      value: '97000.00',
      contributions: [
        { type: 'LoanDrawn', amount: '96000.00', runningTotal: '96000.00' },
        // The accrual from the terms, as its own line: nothing at a rate of 0.
        { type: 'LoanDrawn', amount: '0.00', runningTotal: '96000.00', detail: { accruedFromTermsUsd: '0.00' } },
        { type: 'InterestAccrued', amount: '1000.00', runningTotal: '97000.00' },
      ],
    });
    const ltv = explainFigure(projection, 'loans.loan-1.ltv', at, version);
    expect(E.isRight(ltv) && explanationView('loans.loan-1.ltv', ltv.right, 0, 100)).toMatchObject({
      kind: 'formula',
      value: '0.858854', // 97,000 / (2 x 56,470.58) = 0.8588543...
      inputs: [
        { value: '97000.00' },
        { value: '2.00000000' },
        { value: '56470.58' },
        { figure: 'loans.loan-1.pledgedCashUsd', value: '0.00' },
      ],
    });
    const term = explainFigure(projection, 'loans.loan-1.marginCallLtv', at, version);
    expect(E.isRight(term) && explanationView('loans.loan-1.marginCallLtv', term.right, 0, 100)).toMatchObject({
      kind: 'observation',
      value: '0.700000',
      source: { type: 'LoanDrawn' },
    });
    const netDebt = explainFigure(projection, 'leverage.netDebtUsd', at, version);
    // Drawdown: +96,000 debt and +96,000 cash (net 0), interest +1,000: net debt 1,000.
    expect(E.isRight(netDebt) && explanationView('leverage.netDebtUsd', netDebt.right, 0, 100)).toMatchObject({
      value: '1000.00',
      contributions: [
        { type: 'LoanDrawn', amount: '0.00' },
        { type: 'LoanDrawn', amount: '0.00', detail: { accruedFromTermsUsd: '0.00' } },
        { type: 'InterestAccrued', amount: '1000.00', runningTotal: '1000.00' },
      ],
    });
  });

  it('a loan does not appear before it is drawn', () => {
    expect(positionAt(loanBook(), '2026-02-02T12:00:00Z', NOW).loans).toEqual({});
  });
});

describe('reconciliation against published figures', () => {
  const book = () => {
    const b = new RecordedBook();
    b.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Rec', effectiveAt: '2026-01-01T00:00:00Z' });
    b.record('2026-01-31T01:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-31T00:00:00Z',
      wallet: 'cold',
      btc: '496.35',
      usdPerBtc: '84000.00',
    });
    b.record('2026-01-31T02:00:00Z', 'record-btc-sale', {
      effectiveAt: '2026-01-31T01:00:00Z',
      wallet: 'cold',
      btc: '50',
      proceedsUsd: '4200000.00',
    });
    // Published: 446.4 held (ledger 446.35: within 0.1), mined 496.35 (exact), sold 50.3 (0.3 off: flagged).
    b.record('2026-02-05T00:00:00Z', 'record-reported-holdings', {
      effectiveAt: '2026-01-31T23:59:59Z',
      btc: '446.4',
      minedBtc: '496.35',
      soldBtc: '50.3',
      source: 'operational-update',
    });
    // A custodian statement a day later: 440 held, 6.35 short of the ledger.
    b.record('2026-02-06T00:00:00Z', 'record-reported-holdings', {
      effectiveAt: '2026-02-01T00:00:00Z',
      btc: '440',
      source: 'custodian-statement',
    });
    return b;
  };
  const at = (b: RecordedBook, knownAt: string) => {
    const projection = b.projection();
    return reconciliationView(reconciliation(projection, projection.versionAt(Date.parse(knownAt))));
  };

  it('lists each report beside the ledger for the same date and period, flagged beyond 0.1 BTC by default', () => {
    const result = at(book(), NOW);
    expect(result.toleranceBtc).toBe('0.10000000');
    expect(result.flagged).toBe(2);
    expect(result.reports[0]).toMatchObject({
      asOf: '2026-01-31T23:59:59.000Z',
      periodStart: '2026-01-01T00:00:00.000Z',
      source: 'operational-update',
      flagged: true,
      btc: { reported: '446.40000000', ledger: '446.35000000', difference: '0.05000000', flagged: false },
      minedBtc: { reported: '496.35000000', ledger: '496.35000000', difference: '0.00000000', flagged: false },
      soldBtc: { reported: '50.30000000', ledger: '50.00000000', difference: '0.30000000', flagged: true },
      pledgedBtc: null,
    });
    expect(result.reports[1]).toMatchObject({
      source: 'custodian-statement',
      flagged: true,
      btc: { difference: '-6.35000000', flagged: true },
    });
  });

  it('uses the tolerance in force as known then, and forgets a reversed report', () => {
    const b = book();
    b.record('2026-02-10T00:00:00Z', 'set-reconciliation-tolerance', { btc: '0.5' });
    const [custodian] = b.events
      .filter((e) => e.event.type === 'HoldingsReported')
      .slice(1)
      .map((e) => e.eventId);
    b.record('2026-02-11T00:00:00Z', 'reverse-event', { eventId: custodian, reason: 'statement for another entity' });
    const now = at(b, NOW);
    expect([now.toleranceBtc, now.flagged, now.reports.length, now.reports[0]!.soldBtc!.flagged]).toEqual(['0.50000000', 0, 1, false]);
    const before = at(b, '2026-02-09T00:00:00Z');
    expect([before.toleranceBtc, before.flagged, before.reports.length]).toEqual(['0.10000000', 2, 2]);
  });
});
