import * as E from 'fp-ts/Either';
import { BookProjection, explainFigure, positionFrom } from '@treasury/projections';
import { RecordedBook } from '@treasury/projections/testing/recorded-book';
import { positionView } from './position.view';

/**
 * Loan risk on hand-computed books: status, trigger prices and headroom one cent (or one satoshi)
 * either side, cash collateral, the aggregate LTV and price staleness. Loans carry annualRate 0, so
 * what they owe is exactly what the events say.
 */
const view = (book: RecordedBook, asOf: string, knownAt = '2027-01-01T00:00:00Z') => {
  const projection = book.projection();
  return positionView(positionFrom(projection.raw(Date.parse(asOf), projection.versionAt(Date.parse(knownAt)))));
};
const loanOf = (book: RecordedBook, asOf: string, loanId = 'coinbase') => view(book, asOf).loans[loanId]!;
const hourAfter = (iso: string) => new Date(Date.parse(iso) + 3_600_000).toISOString();
const price = (book: RecordedBook, effectiveAt: string, usdPerBtc: string) =>
  book.record(hourAfter(effectiveAt), 'record-btc-price', { effectiveAt, usdPerBtc });

/** The README's loan: $50,000,000 against 600 of 716.5 BTC, margin call at 0.70, liquidation at 0.85. */
const readmeBook = () => {
  const book = new RecordedBook();
  book.record('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
  book.record('2025-07-01T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2025-06-30T23:59:59Z',
    wallet: 'cold',
    btc: '716.5',
    usdPerBtc: '107135.33',
  });
  book.record('2025-07-01T00:00:00Z', 'record-btc-price', { effectiveAt: '2025-06-30T23:59:59Z', usdPerBtc: '107135.33' });
  book.record('2025-07-01T00:00:00Z', 'draw-loan', {
    effectiveAt: '2025-07-01T00:00:00Z',
    loanId: 'coinbase',
    lender: 'Coinbase Credit',
    principalUsd: '50000000.00',
    annualRate: '0',
    marginCallLtv: '0.70',
    liquidationLtv: '0.85',
    maturityAt: '2026-07-01T00:00:00Z',
  });
  book.record('2025-07-01T00:00:00Z', 'pledge-collateral', {
    effectiveAt: '2025-07-01T00:00:00Z',
    loanId: 'coinbase',
    wallet: 'cold',
    btc: '600',
  });
  return book;
};

describe('loan status and trigger prices', () => {
  it('trigger prices are rounded down: at the displayed price the status applies, one cent above it does not', () => {
    const book = readmeBook();
    price(book, '2025-07-02T00:00:00Z', '119047.62');
    price(book, '2025-07-03T00:00:00Z', '119047.61');
    price(book, '2025-07-04T00:00:00Z', '98039.22');
    price(book, '2025-07-05T00:00:00Z', '98039.21');
    // 50,000,000 / (0.70 × 600) = 119,047.619...; 50,000,000 / (0.85 × 600) = 98,039.215...
    expect(loanOf(book, '2025-07-02T12:00:00Z')).toMatchObject({
      marginCallPriceUsd: '119047.61',
      liquidationPriceUsd: '98039.21',
      status: 'open',
    });
    expect(loanOf(book, '2025-07-03T12:00:00Z').status).toBe('margin-call');
    expect(loanOf(book, '2025-07-04T12:00:00Z').status).toBe('margin-call');
    expect(loanOf(book, '2025-07-05T12:00:00Z').status).toBe('liquidatable');
  });

  it('matured from maturityAt on while anything is owed; liquidatable outranks it, it outranks margin call; repaid outranks all', () => {
    const book = new RecordedBook();
    book.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Maturity', effectiveAt: '2026-01-01T00:00:00Z' });
    book.record('2026-01-02T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-02T00:00:00Z',
      wallet: 'cold',
      btc: '10',
      usdPerBtc: '100000.00',
    });
    book.record('2026-01-02T00:00:00Z', 'record-btc-price', { effectiveAt: '2026-01-02T00:00:00Z', usdPerBtc: '100000.00' });
    book.record('2026-01-02T00:00:00Z', 'draw-loan', {
      effectiveAt: '2026-01-02T00:00:00Z',
      loanId: 'bullet',
      lender: 'L',
      principalUsd: '700000.00',
      annualRate: '0',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
      maturityAt: '2026-03-01T00:00:00Z',
    });
    book.record('2026-01-02T00:00:00Z', 'draw-loan', {
      effectiveAt: '2026-01-02T00:00:00Z',
      loanId: 'open-ended',
      lender: 'L',
      principalUsd: '1.00',
      annualRate: '0',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
    });
    // 700,000 / (10 × 100,000) = 0.70 exactly: in margin call.
    book.record('2026-01-02T00:00:00Z', 'pledge-collateral', {
      effectiveAt: '2026-01-02T00:00:00Z',
      loanId: 'bullet',
      wallet: 'cold',
      btc: '10',
    });
    const at = (asOf: string) => {
      const loan = loanOf(book, asOf, 'bullet');
      return [loan.status, loan.daysToMaturity];
    };
    expect(at('2026-02-27T12:00:00Z')).toEqual(['margin-call', 1]); // 1.5 days left: 1
    expect(at('2026-02-28T23:59:59.999Z')).toEqual(['margin-call', 0]);
    expect(at('2026-03-01T00:00:00Z')).toEqual(['matured', 0]);
    expect(at('2026-03-01T00:00:00.001Z')).toEqual(['matured', -1]);
    expect(at('2026-03-03T12:00:00Z')).toEqual(['matured', -3]); // 2.5 days past: -3 (rounded down)
    expect(loanOf(book, '2026-03-03T12:00:00Z', 'open-ended')).toMatchObject({ status: 'open', daysToMaturity: null });
    // 700,000 / (0.85 × 10) = 82,352.94: liquidatable at it, even though matured.
    price(book, '2026-03-04T00:00:00Z', '82352.95');
    price(book, '2026-03-05T00:00:00Z', '82352.94');
    expect(at('2026-03-04T12:00:00Z')).toEqual(['matured', -4]);
    expect(at('2026-03-05T12:00:00Z')).toEqual(['liquidatable', -5]);
    book.record('2026-03-06T00:00:00Z', 'repay-loan', { effectiveAt: '2026-03-06T00:00:00Z', loanId: 'bullet', principalUsd: '700000.00' });
    expect(loanOf(book, '2026-03-06T12:00:00Z', 'bullet')).toMatchObject({
      status: 'repaid',
      usdToCureMarginCall: null,
      btcToCureMarginCall: null,
      priceDropToMarginCallPct: null,
    });
  });
});

describe('headroom', () => {
  it('in margin call the moment it is drawn at $107,135.33: the least BTC to pledge and the least repayment that end it', () => {
    const loan = loanOf(readmeBook(), '2025-07-01T12:00:00Z');
    // 50,000,000 / (600 × 107,135.33) = 0.7778324...
    expect(loan).toMatchObject({ ltv: '0.777832', status: 'margin-call', priceDropToMarginCallPct: '0.0000' });
    // Below 0.70 needs more than 50,000,000 / (0.70 × 107,135.33) = 666.71350551... BTC: 66.71350552 more.
    expect(loan.btcToCureMarginCall).toBe('66.71350552');
    // Below 0.70 needs owing less than 0.70 × 64,281,198 = 44,996,838.60: repay 5,003,161.41.
    expect(loan.usdToCureMarginCall).toBe('5003161.41');
  });

  it('each cure, and not one unit less, takes the loan out of margin call', () => {
    const pledged = (btc: string) => {
      const book = readmeBook();
      book.record('2025-07-01T01:00:00Z', 'pledge-collateral', {
        effectiveAt: '2025-07-01T01:00:00Z',
        loanId: 'coinbase',
        wallet: 'cold',
        btc,
      });
      return loanOf(book, '2025-07-01T12:00:00Z');
    };
    expect([pledged('66.71350552').status, pledged('66.71350552').btcToCureMarginCall]).toEqual(['open', '0.00000000']);
    expect([pledged('66.71350551').status, pledged('66.71350551').btcToCureMarginCall]).toEqual(['margin-call', '0.00000001']);
    const repaid = (principalUsd: string) => {
      const book = readmeBook();
      book.record('2025-07-01T01:00:00Z', 'repay-loan', { effectiveAt: '2025-07-01T01:00:00Z', loanId: 'coinbase', principalUsd });
      return loanOf(book, '2025-07-01T12:00:00Z');
    };
    expect([repaid('5003161.41').status, repaid('5003161.41').usdToCureMarginCall]).toEqual(['open', '0.00']);
    expect([repaid('5003161.40').status, repaid('5003161.40').usdToCureMarginCall]).toEqual(['margin-call', '0.01']);
  });

  it('how far the price may fall before margin call, rounded down', () => {
    const book = readmeBook();
    price(book, '2025-07-06T00:00:00Z', '150000.00');
    // (150,000 − 119,047.619047...) / 150,000 = 0.2063492063...: 20.6349%.
    expect(loanOf(book, '2025-07-06T12:00:00Z')).toMatchObject({
      status: 'open',
      priceDropToMarginCallPct: '20.6349',
      btcToCureMarginCall: '0.00000000',
      usdToCureMarginCall: '0.00',
    });
  });

  it('null where it does not apply: no price, nothing pledged', () => {
    const book = new RecordedBook();
    book.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Bare', effectiveAt: '2026-01-01T00:00:00Z' });
    book.record('2026-01-02T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-02T00:00:00Z',
      wallet: 'cold',
      btc: '1',
      usdPerBtc: '100000.00',
    });
    book.record('2026-01-02T00:00:00Z', 'draw-loan', {
      effectiveAt: '2026-01-02T00:00:00Z',
      loanId: 'l',
      lender: 'L',
      principalUsd: '1000.00',
      annualRate: '0',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
    });
    const headroom = (asOf: string) => {
      const loan = loanOf(book, asOf, 'l');
      return [
        loan.ltv,
        loan.marginCallPriceUsd,
        loan.priceDropToMarginCallPct,
        loan.btcToCureMarginCall,
        loan.usdToCureMarginCall,
        loan.status,
      ];
    };
    expect(headroom('2026-01-02T12:00:00Z')).toEqual([null, null, null, null, null, 'open']); // unsecured
    book.record('2026-01-03T00:00:00Z', 'pledge-collateral', {
      effectiveAt: '2026-01-03T00:00:00Z',
      loanId: 'l',
      wallet: 'cold',
      btc: '1',
    });
    // 1,000 / (0.70 × 1) = 1,428.571...: the trigger price needs no price; the rest does.
    expect(headroom('2026-01-03T12:00:00Z')).toEqual([null, '1428.57', null, null, null, 'open']);
  });
});

/** Cash collateral beside BTC on the README loan: $10,000,000 of the drawn cash pledged. */
describe('cash collateral', () => {
  const withCash = () => {
    const book = readmeBook();
    book.record('2025-07-01T01:00:00Z', 'pledge-cash-collateral', {
      effectiveAt: '2025-07-01T01:00:00Z',
      loanId: 'coinbase',
      cashAccount: 'operating',
      amountUsd: '10000000.00',
    });
    return book;
  };

  it('counts in the LTV, the trigger prices and the headroom', () => {
    const book = withCash();
    // 50,000,000 / (600 × 107,135.33 + 10,000,000) = 50,000,000 / 74,281,198 = 0.6731183...
    // Margin call: (50,000,000 / 0.70 − 10,000,000) / 600 = 102,380.952...; liquidation: (58,823,529.41... − 10,000,000) / 600 = 81,372.549...
    expect(loanOf(book, '2025-07-01T12:00:00Z')).toMatchObject({
      pledgedBtc: '600.00000000',
      pledgedCashUsd: '10000000.00',
      ltv: '0.673118',
      status: 'open',
      marginCallPriceUsd: '102380.95',
      liquidationPriceUsd: '81372.54',
      priceDropToMarginCallPct: '4.4377',
    });
    price(book, '2025-07-02T00:00:00Z', '102380.96');
    price(book, '2025-07-03T00:00:00Z', '102380.95');
    price(book, '2025-07-04T00:00:00Z', '81372.55');
    price(book, '2025-07-05T00:00:00Z', '81372.54');
    expect(['02', '03', '04', '05'].map((day) => loanOf(book, `2025-07-${day}T12:00:00Z`).status)).toEqual([
      'open',
      'margin-call',
      'margin-call',
      'liquidatable',
    ]);
  });

  it('stays the company’s cash but is not liquidity: a pledge moves no asset or debt figure', () => {
    const before = view(readmeBook(), '2025-07-01T12:00:00Z');
    const after = view(withCash(), '2025-07-01T12:00:00Z');
    expect(after.cash).toEqual({ totalUsd: '50000000.00', pledgedUsd: '10000000.00', accounts: { operating: '40000000.00' } });
    // 116.5 unpledged BTC × 107,135.33 = 12,481,265.94; the 10,000,000 pledged leave liquidity.
    expect(after.liquidity).toEqual({
      cashUsd: '40000000.00',
      unencumberedBtcValueUsd: '12481265.94',
      availableLiquidityUsd: '52481265.94',
    });
    expect(after.leverage.totalAssetsUsd).toBe(before.leverage.totalAssetsUsd);
    expect(after.leverage.netDebtUsd).toBe(before.leverage.netDebtUsd);
    expect(after.leverage.debtToAssets).toBe(before.leverage.debtToAssets);
    expect(Number(before.liquidity.availableLiquidityUsd) - Number(after.liquidity.availableLiquidityUsd)).toBe(10_000_000);
    // The explained sums agree with the figures.
    const projection = withCash().projection();
    const version = projection.versionAt(Date.parse('2027-01-01T00:00:00Z'));
    const sumOf = (figure: string) => {
      const explained = explainFigure(projection, figure, Date.parse('2025-07-01T12:00:00Z'), version);
      return E.isRight(explained) && explained.right.kind === 'sum'
        ? explained.right.contributions.reduce((s, c) => s + c.amount, 0n)
        : undefined;
    };
    expect([
      sumOf('cash.totalUsd'),
      sumOf('cash.pledgedUsd'),
      sumOf('liquidity.cashUsd'),
      sumOf('loans.coinbase.pledgedCashUsd'),
      sumOf('leverage.netDebtUsd'),
    ]).toEqual([5_000_000_000n, 1_000_000_000n, 4_000_000_000n, 1_000_000_000n, 0n]);
  });

  it('a loan secured by cash alone has an LTV, a status and a repayment to cure without any price', () => {
    const book = new RecordedBook();
    book.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Cash only', effectiveAt: '2026-01-01T00:00:00Z' });
    book.record('2026-01-02T00:00:00Z', 'record-cash-movement', {
      effectiveAt: '2026-01-02T00:00:00Z',
      cashAccount: 'treasury',
      amountUsd: '1250000.00',
      category: 'equity',
    });
    book.record('2026-01-02T00:00:00Z', 'draw-loan', {
      effectiveAt: '2026-01-02T00:00:00Z',
      loanId: 'cash-backed',
      lender: 'L',
      principalUsd: '1000000.00',
      annualRate: '0',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
    });
    book.record('2026-01-02T00:00:00Z', 'pledge-cash-collateral', {
      effectiveAt: '2026-01-02T00:00:00Z',
      loanId: 'cash-backed',
      cashAccount: 'treasury',
      amountUsd: '1250000.00',
    });
    const p = view(book, '2026-01-03T00:00:00Z');
    expect(p.price).toBeNull();
    // 1,000,000 / 1,250,000 = 0.80; below 0.70 needs owing less than 875,000: repay 125,000.01.
    expect(p.loans['cash-backed']).toMatchObject({
      ltv: '0.800000',
      status: 'margin-call',
      marginCallPriceUsd: null,
      liquidationPriceUsd: null,
      priceDropToMarginCallPct: null,
      btcToCureMarginCall: null,
      usdToCureMarginCall: '125000.01',
    });
    expect(p.leverage).toMatchObject({ aggregateLtv: '0.800000', securedDebtUsd: '1000000.00', collateralValueUsd: '1250000.00' });
    book.record('2026-01-04T00:00:00Z', 'repay-loan', {
      effectiveAt: '2026-01-04T00:00:00Z',
      loanId: 'cash-backed',
      principalUsd: '125000.00',
    });
    expect(loanOf(book, '2026-01-04T12:00:00Z', 'cash-backed')).toMatchObject({
      ltv: '0.700000',
      status: 'margin-call',
      usdToCureMarginCall: '0.01',
    });
    book.record('2026-01-05T00:00:00Z', 'repay-loan', { effectiveAt: '2026-01-05T00:00:00Z', loanId: 'cash-backed', principalUsd: '0.01' });
    expect(loanOf(book, '2026-01-05T12:00:00Z', 'cash-backed')).toMatchObject({ status: 'open', usdToCureMarginCall: '0.00' });
  });
});

describe('aggregate LTV', () => {
  it('covers only loans that owe something and hold collateral; debt to assets keeps all debt', () => {
    const book = new RecordedBook();
    book.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Aggregate', effectiveAt: '2026-01-01T00:00:00Z' });
    book.record('2026-01-02T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2026-01-02T00:00:00Z',
      wallet: 'cold',
      btc: '120',
      usdPerBtc: '100000.00',
    });
    book.record('2026-01-02T00:00:00Z', 'record-btc-price', { effectiveAt: '2026-01-02T00:00:00Z', usdPerBtc: '100000.00' });
    const loan = (loanId: string, principalUsd: string) =>
      book.record('2026-01-02T00:00:00Z', 'draw-loan', {
        effectiveAt: '2026-01-02T00:00:00Z',
        loanId,
        lender: 'L',
        principalUsd,
        annualRate: '0',
        marginCallLtv: '0.70',
        liquidationLtv: '0.85',
      });
    loan('secured', '1000000.00');
    book.record('2026-01-02T00:00:00Z', 'pledge-collateral', {
      effectiveAt: '2026-01-02T00:00:00Z',
      loanId: 'secured',
      wallet: 'cold',
      btc: '50',
    });
    loan('unsecured', '1000000.00');
    // Before: 2,000,000 / (50 × 100,000) = 0.40. Now the unsecured loan is left out: 1,000,000 / 5,000,000.
    expect(view(book, '2026-01-02T12:00:00Z').leverage).toEqual({
      totalDebtUsd: '2000000.00',
      totalAssetsUsd: '14000000.00',
      netDebtUsd: '0.00',
      debtToAssets: '0.142857',
      securedDebtUsd: '1000000.00',
      collateralValueUsd: '5000000.00',
      aggregateLtv: '0.200000',
    });
    // A repaid loan whose 20 BTC are still pledged: before, 2,000,000 / 7,000,000 = 0.285714; now unchanged at 0.20.
    loan('repaid', '500000.00');
    book.record('2026-01-03T00:00:00Z', 'pledge-collateral', {
      effectiveAt: '2026-01-03T00:00:00Z',
      loanId: 'repaid',
      wallet: 'cold',
      btc: '20',
    });
    book.record('2026-01-04T00:00:00Z', 'repay-loan', { effectiveAt: '2026-01-04T00:00:00Z', loanId: 'repaid', principalUsd: '500000.00' });
    const p = view(book, '2026-01-04T12:00:00Z');
    expect(p.loans.repaid!.status).toBe('repaid');
    expect(p.holdings.pledgedBtc).toBe('70.00000000');
    expect([p.leverage.aggregateLtv, p.leverage.securedDebtUsd, p.leverage.collateralValueUsd, p.leverage.debtToAssets]).toEqual([
      '0.200000',
      '1000000.00',
      '5000000.00',
      '0.142857',
    ]);
    // A loan backed by cash joins it: (1,000,000 + 300,000) / (5,000,000 + 600,000) = 0.2321428...
    loan('cash-backed', '300000.00');
    book.record('2026-01-05T00:00:00Z', 'pledge-cash-collateral', {
      effectiveAt: '2026-01-05T00:00:00Z',
      loanId: 'cash-backed',
      cashAccount: 'operating',
      amountUsd: '600000.00',
    });
    expect(view(book, '2026-01-05T12:00:00Z').leverage).toMatchObject({
      securedDebtUsd: '1300000.00',
      collateralValueUsd: '5600000.00',
      aggregateLtv: '0.232143',
    });
    // With BTC pledged and no price known at asOf, the collateral has no value and the aggregate no LTV.
    expect(view(book, '2026-01-05T12:00:00Z', '2026-01-01T12:00:00Z').leverage.aggregateLtv).toBeNull();
  });
});

describe('price staleness', () => {
  const book = () => {
    const b = new RecordedBook();
    b.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Prices', effectiveAt: '2026-01-01T00:00:00Z' });
    b.record('2026-01-02T00:30:00Z', 'record-btc-price', { effectiveAt: '2026-01-02T00:00:00Z', usdPerBtc: '100000.00' });
    return b;
  };

  it('a price is stale once it is more than a day old at asOf, by default', () => {
    expect(view(book(), '2026-01-03T00:00:00Z').price).toEqual({
      usdPerBtc: '100000.00',
      effectiveAt: '2026-01-02T00:00:00.000Z',
      ageSeconds: 86_400,
      maxAgeSeconds: 86_400,
      stale: false,
    });
    expect(view(book(), '2026-01-03T00:00:01Z').price).toMatchObject({ ageSeconds: 86_401, stale: true });
    expect(view(book(), '2026-01-02T00:00:00.999Z').price).toMatchObject({ ageSeconds: 0, stale: false });
  });

  it('set-price-staleness applies from when it is recorded, at every asOf, until reversed', () => {
    const b = book();
    const [setting] = b.record('2026-01-02T12:00:00Z', 'set-price-staleness', { maxAgeSeconds: 3600 });
    expect(view(b, '2026-01-02T01:00:00Z').price).toMatchObject({ ageSeconds: 3600, maxAgeSeconds: 3600, stale: false });
    expect(view(b, '2026-01-02T01:00:01Z').price).toMatchObject({ ageSeconds: 3601, stale: true });
    // As known before the setting was recorded: the default.
    expect(view(b, '2026-01-02T01:00:01Z', '2026-01-02T11:59:59Z').price).toMatchObject({ maxAgeSeconds: 86_400, stale: false });
    b.record('2026-01-02T13:00:00Z', 'reverse-event', { eventId: setting!, reason: 'too strict' });
    expect(view(b, '2026-01-02T01:00:01Z').price).toMatchObject({ maxAgeSeconds: 86_400, stale: false });
    expect(view(b, '2026-01-02T01:00:01Z', '2026-01-02T12:30:00Z').price).toMatchObject({ maxAgeSeconds: 3600, stale: true });
  });
});

describe('logs and snapshots from before loan risk', () => {
  it('a snapshot without price staleness settings (taken before they existed) restores with the default', () => {
    const b = new RecordedBook();
    b.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Old', effectiveAt: '2026-01-01T00:00:00Z' });
    b.record('2026-01-02T00:30:00Z', 'record-btc-price', { effectiveAt: '2026-01-02T00:00:00Z', usdPerBtc: '100000.00' });
    const { priceMaxAges: _absent, ...older } = b.projection().toSnapshot();
    const restored = BookProjection.fromSnapshot(older);
    const raw = restored.raw(Date.parse('2026-01-03T00:00:01Z'), restored.versionAt(Date.parse('2027-01-01T00:00:00Z')));
    expect(positionView(positionFrom(raw)).price).toMatchObject({ maxAgeSeconds: 86_400, ageSeconds: 86_401, stale: true });
  });
});
