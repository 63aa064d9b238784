import { RecordedBookEvent, dayCountTime, evolve, initialState, decide, formatUsd } from '@treasury/domain';
import { command } from '@treasury/domain/testing/book-spec';
import * as E from 'fp-ts/Either';
import { BookProjection } from '../book/book-projection';
import { positionFrom } from '../book/position';
import { RecordedBook } from '../testing/recorded-book';
import { naiveRaw } from '../testing/naive-replay';

/**
 * Interest accrued from a loan's terms and the liquidation waterfall, on books worked out by hand in
 * the comments. Each figure is also checked against the naive replay.
 */
const loanAt = (book: RecordedBook, loanId: string, asOf: string, knownAt = '2100-01-01T00:00:00Z') => {
  const projection = book.projection();
  const version = projection.versionAt(Date.parse(knownAt));
  const raw = projection.raw(Date.parse(asOf), version);
  expect(raw).toEqual(naiveRaw(book.events, Date.parse(asOf), Date.parse(knownAt)));
  const position = positionFrom(raw);
  // A loan that owes nothing and holds nothing is closed: it leaves the position.
  const loan = position.loans.get(loanId) ?? { principalUsd: 0n, accruedInterestUsd: 0n, outstandingUsd: 0n };
  return {
    principalUsd: formatUsd(loan.principalUsd),
    accruedInterestUsd: formatUsd(loan.accruedInterestUsd),
    outstandingUsd: formatUsd(loan.outstandingUsd),
    cashUsd: formatUsd(position.cash.totalUsd),
  };
};

const refusal = (
  book: RecordedBook,
  recordedAt: string,
  name: Parameters<RecordedBook['record']>[1],
  body: Record<string, unknown>,
): string => {
  try {
    book.record(recordedAt, name, body);
  } catch (error) {
    return /"code":"([^"]+)"/.exec(String(error))?.[1] ?? String(error);
  }
  return 'accepted';
};

const opened = () => {
  const book = new RecordedBook();
  book.record('2023-12-01T00:00:00Z', 'open-book', { name: 'Loans', effectiveAt: '2023-12-01T00:00:00Z' });
  return book;
};

const terms = { lender: 'L', marginCallLtv: '0.70', liquidationLtv: '0.85' };

describe('day counts', () => {
  it('30/360 counts every month as 30 days, the 31st as the 30th (30E/360 from midnight to midnight)', () => {
    const days = (from: string, to: string) =>
      (dayCountTime('30/360', Date.parse(to)) - dayCountTime('30/360', Date.parse(from))) / 86_400_000;
    expect(days('2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z')).toBe(30);
    expect(days('2023-02-01T00:00:00Z', '2023-03-01T00:00:00Z')).toBe(30);
    expect(days('2024-01-15T00:00:00Z', '2024-03-31T00:00:00Z')).toBe(75);
    expect(days('2024-01-31T00:00:00Z', '2024-03-01T00:00:00Z')).toBe(31);
    expect(days('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z')).toBe(360);
    expect(days('2024-01-10T00:00:00Z', '2024-01-10T12:00:00Z')).toBe(0.5);
    // Never backwards: through the 30th and 31st of a 31-day month.
    const times = [
      '2024-01-30T00:00:00Z',
      '2024-01-30T23:00:00Z',
      '2024-01-31T00:00:00Z',
      '2024-01-31T12:00:00Z',
      '2024-02-01T00:00:00Z',
    ].map((t) => dayCountTime('30/360', Date.parse(t)));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});

describe('interest accrued from the terms', () => {
  // $1,000,000.00 at 10% from 1 January 2024 to 1 January 2025: 366 days (a leap year), 360 in 30/360.
  it.each([
    ['act/365', '100273.97'], // 1,000,000 × 0.10 × 366/365 = 100,273.9726…
    ['act/360', '101666.67'], // 1,000,000 × 0.10 × 366/360 = 101,666.666…
    ['30/360', '100000.00'], //  1,000,000 × 0.10 × 360/360
  ])('%s over a leap year to the cent', (dayCount, interest) => {
    const book = opened();
    book.record('2024-01-01T00:00:00Z', 'draw-loan', {
      ...terms,
      effectiveAt: '2024-01-01T00:00:00Z',
      loanId: 'l',
      principalUsd: '1000000.00',
      annualRate: '0.10',
      dayCount,
    });
    expect(loanAt(book, 'l', '2025-01-01T00:00:00Z')).toMatchObject({ principalUsd: '1000000.00', accruedInterestUsd: interest });
  });

  it('defaults to act/365 and records it on the drawdown', () => {
    const book = opened();
    book.record('2024-01-01T00:00:00Z', 'draw-loan', {
      ...terms,
      effectiveAt: '2024-01-01T00:00:00Z',
      loanId: 'l',
      principalUsd: '1000000.00',
      annualRate: '0.10',
    });
    expect(book.events[1]!.event).toMatchObject({ type: 'LoanDrawn', dayCount: 'act/365' });
    expect(loanAt(book, 'l', '2025-01-01T00:00:00Z').accruedInterestUsd).toBe('100273.97');
  });

  it('follows a repricing from its effective date', () => {
    // 6% for the 30 days to 31 January, then 9% for the 30 days to 2 March (act/360):
    // 1,000,000 × 0.06 × 30/360 + 1,000,000 × 0.09 × 30/360 = 5,000.00 + 7,500.00.
    const book = opened();
    book.record('2025-01-01T00:00:00Z', 'draw-loan', {
      ...terms,
      effectiveAt: '2025-01-01T00:00:00Z',
      loanId: 'l',
      principalUsd: '1000000.00',
      annualRate: '0.06',
      dayCount: 'act/360',
    });
    book.record('2025-02-10T00:00:00Z', 'reprice-loan', { effectiveAt: '2025-01-31T00:00:00Z', loanId: 'l', annualRate: '0.09' });
    expect(loanAt(book, 'l', '2025-03-02T00:00:00Z').accruedInterestUsd).toBe('12500.00');
    // As known before the repricing was recorded: 60 days at 6%.
    expect(loanAt(book, 'l', '2025-03-02T00:00:00Z', '2025-02-01T00:00:00Z').accruedInterestUsd).toBe('10000.00');
  });

  it('accrues on the principal outstanding at each moment, a back-dated repayment included', () => {
    // 1,000,000 at 8% (act/365) for 100 days, then 600,000 for 100 days: 1,600,000 × 0.08 × 100/365 = 35,068.4931…
    const book = opened();
    book.record('2025-01-01T00:00:00Z', 'draw-loan', {
      ...terms,
      effectiveAt: '2025-01-01T00:00:00Z',
      loanId: 'l',
      principalUsd: '1000000.00',
      annualRate: '0.08',
    });
    expect(loanAt(book, 'l', '2025-07-20T00:00:00Z').accruedInterestUsd).toBe('43835.62'); // 200 days on 1,000,000
    book.record('2025-07-21T00:00:00Z', 'repay-loan', { effectiveAt: '2025-04-11T00:00:00Z', loanId: 'l', principalUsd: '400000.00' });
    expect(loanAt(book, 'l', '2025-07-20T00:00:00Z')).toMatchObject({
      principalUsd: '600000.00',
      accruedInterestUsd: '35068.49',
      outstandingUsd: '635068.49',
    });
  });

  it('adds charges and takes off payments; a payment beyond what is owed then, or later, is refused', () => {
    // 3.65% act/365 on 1,000,000: 100.00 a day. Ten days, a 50.00 fee: 1,050.00 owed on 11 January.
    const book = opened();
    book.record('2025-01-01T00:00:00Z', 'draw-loan', {
      ...terms,
      effectiveAt: '2025-01-01T00:00:00Z',
      loanId: 'l',
      principalUsd: '1000000.00',
      annualRate: '0.0365',
    });
    book.record('2025-01-05T00:00:00Z', 'accrue-interest', { effectiveAt: '2025-01-05T00:00:00Z', loanId: 'l', interestUsd: '50.00' });
    expect(
      refusal(book, '2025-01-11T00:00:00Z', 'repay-loan', {
        effectiveAt: '2025-01-11T00:00:00Z',
        loanId: 'l',
        principalUsd: '0',
        interestUsd: '1050.01',
      }),
    ).toBe('exceeds-accrued-interest');
    expect(
      refusal(book, '2025-01-11T00:00:00Z', 'repay-loan', {
        effectiveAt: '2025-01-11T00:00:00Z',
        loanId: 'l',
        principalUsd: '0',
        interestUsd: '1050.00',
      }),
    ).toBe('accepted');
    // A second, back-dated payment of 600.00 on 6 January would fit then (600.00 owed) but leave −50.00 on the 11th.
    expect(
      refusal(book, '2025-01-12T00:00:00Z', 'repay-loan', {
        effectiveAt: '2025-01-06T00:00:00Z',
        loanId: 'l',
        principalUsd: '0',
        interestUsd: '600.00',
      }),
    ).toBe('exceeds-accrued-interest');
    expect(loanAt(book, 'l', '2025-01-12T00:00:00Z').accruedInterestUsd).toBe('100.00');
  });
});

describe('the liquidation waterfall is read from the whole timeline', () => {
  // 3.6% act/360 on 100,000.00: 10.00 a day. Liquidated on 11 January for 150,000.00: 100.00 of interest,
  // 100,000.00 of principal, 49,900.00 to cash.
  const liquidated = () => {
    const book = opened();
    book.record('2024-12-31T00:00:00Z', 'record-mining-output', {
      effectiveAt: '2024-12-31T00:00:00Z',
      wallet: 'w',
      btc: '2',
      usdPerBtc: '90000.00',
    });
    book.record('2025-01-01T00:00:00Z', 'draw-loan', {
      ...terms,
      effectiveAt: '2025-01-01T00:00:00Z',
      loanId: 'l',
      principalUsd: '100000.00',
      annualRate: '0.036',
      dayCount: 'act/360',
    });
    book.record('2025-01-01T00:00:00Z', 'pledge-collateral', { effectiveAt: '2025-01-01T00:00:00Z', loanId: 'l', wallet: 'w', btc: '2' });
    book.record('2025-01-11T00:00:00Z', 'liquidate-collateral', {
      effectiveAt: '2025-01-11T00:00:00Z',
      loanId: 'l',
      wallet: 'w',
      btc: '2',
      proceedsUsd: '150000.00',
    });
    return book;
  };

  it('splits proceeds into interest owed, then principal, then cash', () => {
    expect(loanAt(liquidated(), 'l', '2025-01-20T00:00:00Z')).toEqual({
      principalUsd: '0.00',
      accruedInterestUsd: '0.00',
      outstandingUsd: '0.00',
      cashUsd: '149900.00',
    });
  });

  it('a back-dated charge before the liquidation moves the split, and a later payment of the same interest is refused', () => {
    const book = liquidated();
    expect(
      refusal(book, '2025-01-12T00:00:00Z', 'repay-loan', {
        effectiveAt: '2025-01-12T00:00:00Z',
        loanId: 'l',
        principalUsd: '0',
        interestUsd: '100.00',
      }),
    ).toBe('exceeds-accrued-interest');
    book.record('2025-01-15T00:00:00Z', 'accrue-interest', { effectiveAt: '2025-01-05T00:00:00Z', loanId: 'l', interestUsd: '500.00' });
    // Now 600.00 of interest is covered and 49,400.00 goes to cash.
    expect(loanAt(book, 'l', '2025-01-20T00:00:00Z').cashUsd).toBe('149400.00');
    expect(loanAt(book, 'l', '2025-01-20T00:00:00Z', '2025-01-14T00:00:00Z').cashUsd).toBe('149900.00');
    const projection = book.projection();
    expect(projection.termLoanFigures('l', Date.parse('2025-01-20T00:00:00Z'), projection.revision + 1)!.splits).toEqual([
      { revision: 4, cashAccount: 'operating', interest: 60_000n, principal: 10_000_000n, excess: 4_940_000n },
    ]);
  });

  it('a back-dated repayment before the liquidation moves the split the other way', () => {
    const book = liquidated();
    book.record('2025-01-15T00:00:00Z', 'repay-loan', {
      effectiveAt: '2025-01-06T00:00:00Z',
      loanId: 'l',
      principalUsd: '50000.00',
      interestUsd: '50.00',
    });
    // 5 days on 100,000 (50.00, paid), then 5 days on 50,000 (25.00): 25.00 + 50,000.00 covered, 99,975.00 to cash.
    // Cash: 100,000 drawn − 50,050.00 repaid + 99,975.00 = 149,925.00.
    expect(loanAt(book, 'l', '2025-01-20T00:00:00Z')).toEqual({
      principalUsd: '0.00',
      accruedInterestUsd: '0.00',
      outstandingUsd: '0.00',
      cashUsd: '149925.00',
    });
  });

  it('refuses a back-dated charge whose smaller excess the cash account has already spent', () => {
    const book = liquidated();
    book.record('2025-01-12T00:00:00Z', 'record-cash-movement', {
      effectiveAt: '2025-01-12T00:00:00Z',
      cashAccount: 'operating',
      amountUsd: '-149900.00',
      category: 'opex',
    });
    expect(
      refusal(book, '2025-01-15T00:00:00Z', 'accrue-interest', { effectiveAt: '2025-01-05T00:00:00Z', loanId: 'l', interestUsd: '0.01' }),
    ).toBe('insufficient-cash');
  });
});

describe('loans drawn before accrual from terms (no dayCount on the stored LoanDrawn)', () => {
  // A log as the engine wrote it before: no dayCount, liquidations with their stored split.
  const t = (iso: string) => Date.parse(iso);
  const legacy: RecordedBookEvent[] = [
    { type: 'BookOpened', effectiveAt: t('2025-01-01T00:00:00Z'), name: 'Old' },
    { type: 'MiningOutputReceived', effectiveAt: t('2025-01-01T00:00:00Z'), wallet: 'w', btc: 200_000_000n, usdPerBtc: 9_000_000n },
    {
      type: 'LoanDrawn',
      effectiveAt: t('2025-01-02T00:00:00Z'),
      loanId: 'l',
      lender: 'L',
      principalUsd: 10_000_000n,
      annualRate: 90_000n,
      marginCallLtv: 700_000n,
      liquidationLtv: 850_000n,
      cashAccount: 'operating',
    },
    { type: 'CollateralPledged', effectiveAt: t('2025-01-02T00:00:00Z'), loanId: 'l', wallet: 'w', btc: 200_000_000n },
    { type: 'InterestAccrued', effectiveAt: t('2025-01-31T00:00:00Z'), loanId: 'l', interestUsd: 75_000n },
    {
      type: 'CollateralLiquidated',
      effectiveAt: t('2025-02-05T00:00:00Z'),
      loanId: 'l',
      wallet: 'w',
      btc: 100_000_000n,
      proceedsUsd: 5_000_000n,
      interestAppliedUsd: 75_000n,
      principalAppliedUsd: 4_925_000n,
      excessUsd: 0n,
      cashAccount: 'operating',
    },
  ].map(
    (event, revision) =>
      ({
        eventId: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
        revision,
        recordedAt: event.effectiveAt,
        event,
      }) as RecordedBookEvent,
  );

  it('keeps its figures: interest is only what was charged, the stored split stands', () => {
    const projection = new BookProjection();
    for (const e of legacy) projection.apply(e);
    const asOf = t('2025-06-01T00:00:00Z');
    const raw = projection.raw(asOf, legacy.length);
    expect(raw).toEqual(naiveRaw(legacy, asOf, asOf));
    const loan = positionFrom(raw).loans.get('l')!;
    // The figures the engine gave before: 100,000.00 − 49,250.00 principal, 750.00 − 750.00 interest.
    expect([loan.principalUsd, loan.accruedInterestUsd, loan.annualRate, raw.balances.get('cash|operating')]).toEqual([
      5_075_000n,
      0n,
      90_000n,
      10_000_000n,
    ]);
    expect(raw.loans[0]!.dayCount).toBeUndefined();
  });

  it('keeps its rules: interest payments up to the charges only, no repricing', () => {
    const state = initialState();
    for (const e of legacy) evolve(state, e);
    const now = { now: t('2025-06-01T00:00:00Z') };
    const charge = decide(
      command('accrue-interest', { effectiveAt: '2025-03-01T00:00:00Z', loanId: 'l', interestUsd: '10.00' }),
      state,
      now,
    );
    expect(E.isRight(charge)).toBe(true);
    expect(
      decide(
        command('repay-loan', { effectiveAt: '2025-03-01T00:00:00Z', loanId: 'l', principalUsd: '0', interestUsd: '0.01' }),
        state,
        now,
      ),
    ).toMatchObject({ left: { code: 'exceeds-accrued-interest' } });
    expect(
      decide(command('reprice-loan', { effectiveAt: '2025-03-01T00:00:00Z', loanId: 'l', annualRate: '0.05' }), state, now),
    ).toMatchObject({ left: { code: 'manual-interest-loan' } });
  });
});
