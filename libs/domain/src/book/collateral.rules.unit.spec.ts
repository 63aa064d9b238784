import * as E from 'fp-ts/Either';
import { balanceEffects } from './balance-effects';
import { decodeBookCommand } from './book.commands';
import { BookEventCodec } from './book.events';
import { NOW, at, command, eventsOf, given, refusalOf } from '../testing/book-spec';

const open = command('open-book', { name: 'Risk', effectiveAt: '2025-06-30T00:00:00Z' });
// The drawdown credits $1,000,000 to `operating` on Jan 1.
const draw = command('draw-loan', {
  effectiveAt: '2026-01-01T00:00:00Z',
  loanId: 'loan-a',
  lender: 'Galaxy',
  principalUsd: '1000000.00',
  annualRate: '0',
  marginCallLtv: '0.70',
  liquidationLtv: '0.85',
});
const pledgeCash = (amountUsd: string, effectiveAt = '2026-01-02T00:00:00Z', cashAccount = 'operating', loanId = 'loan-a') =>
  command('pledge-cash-collateral', { effectiveAt, loanId, cashAccount, amountUsd });
const releaseCash = (amountUsd: string, effectiveAt = '2026-01-03T00:00:00Z', cashAccount = 'operating') =>
  command('release-cash-collateral', { effectiveAt, loanId: 'loan-a', cashAccount, amountUsd });
const spend = (amountUsd: string, effectiveAt: string) =>
  command('record-cash-movement', { effectiveAt, cashAccount: 'operating', amountUsd, category: 'power' });

describe('cash collateral', () => {
  it('a pledge moves cash from the account into the loan’s collateral, a release moves it back', () => {
    const [pledged] = eventsOf(given(open, draw).when(pledgeCash('400000.00')));
    expect(pledged).toEqual({
      type: 'CashCollateralPledged',
      effectiveAt: at('2026-01-02T00:00:00Z'),
      loanId: 'loan-a',
      cashAccount: 'operating',
      amountUsd: 40_000_000n,
    });
    expect(balanceEffects(pledged!)).toEqual([
      { key: 'cash|operating', delta: -40_000_000n },
      { key: 'pledged-cash|loan-a|operating', delta: 40_000_000n },
    ]);
    const [released] = eventsOf(given(open, draw, pledgeCash('400000.00')).when(releaseCash('150000.00')));
    expect(balanceEffects(released!)).toEqual([
      { key: 'pledged-cash|loan-a|operating', delta: -15_000_000n },
      { key: 'cash|operating', delta: 15_000_000n },
    ]);
    // Both round-trip through the stored codec.
    expect(BookEventCodec.decode(BookEventCodec.encode(released!))).toEqual(E.right(released));
  });

  it('cannot pledge more cash than the account holds, at the pledge or at any later effective time', () => {
    expect(refusalOf(given(open, draw).when(pledgeCash('1000000.01')))).toMatchObject({ code: 'insufficient-cash' });
    // $700,000 is spent on Jan 5: a back-dated pledge of $400,000 on Jan 2 would leave -100,000 then.
    const spent = given(open, draw, spend('-700000.00', '2026-01-05T00:00:00Z'));
    expect(refusalOf(spent.when(pledgeCash('400000.00')))).toMatchObject({
      code: 'insufficient-cash',
      detail: expect.stringContaining('-100000.00 USD at 2026-01-05'),
    });
    expect(eventsOf(spent.when(pledgeCash('300000.00')))).toHaveLength(1);
  });

  it('pledged cash cannot be spent, and no more can be released than was pledged from that account', () => {
    const pledged = given(open, draw, pledgeCash('400000.00'));
    expect(refusalOf(pledged.when(spend('-600000.01', '2026-01-04T00:00:00Z')))).toMatchObject({ code: 'insufficient-cash' });
    expect(eventsOf(pledged.when(spend('-600000.00', '2026-01-04T00:00:00Z')))).toHaveLength(1);
    expect(refusalOf(pledged.when(releaseCash('400000.01')))).toMatchObject({
      code: 'insufficient-pledged-cash',
      detail: expect.stringContaining('loan "loan-a"'),
    });
    expect(refusalOf(pledged.when(releaseCash('1.00', '2026-01-03T00:00:00Z', 'treasury')))).toMatchObject({
      code: 'insufficient-pledged-cash',
    });
    // A release dated before the pledge would take the pledge below zero.
    expect(refusalOf(pledged.when(releaseCash('1.00', '2026-01-01T12:00:00Z')))).toMatchObject({ code: 'insufficient-pledged-cash' });
  });

  it('needs a live loan drawn by then, and keeps the drawdown from being reversed while it is pledged', () => {
    expect(refusalOf(given(open).when(pledgeCash('1.00')))).toMatchObject({ code: 'unknown-loan' });
    expect(refusalOf(given(open, draw).when(pledgeCash('1.00', '2025-12-31T00:00:00Z')))).toMatchObject({ code: 'before-loan-drawn' });
    const book = given(open, draw, pledgeCash('1.00'));
    expect(refusalOf(book.when(command('reverse-event', { eventId: book.eventIds[1], reason: 'x' })))).toMatchObject({
      code: 'loan-has-activity',
    });
  });

  it('reversing a release is refused once the released cash was spent', () => {
    const book = given(open, draw, pledgeCash('400000.00'), releaseCash('400000.00'), spend('-1000000.00', '2026-01-04T00:00:00Z'));
    expect(refusalOf(book.when(command('reverse-event', { eventId: book.eventIds[3], reason: 'x' })))).toMatchObject({
      code: 'insufficient-cash',
    });
  });

  it('refuses a zero, negative or sub-cent amount as a 400 naming amountUsd', () => {
    for (const amountUsd of ['0.00', '-1.00', '1.001', 1]) {
      const decoded = decodeBookCommand('pledge-cash-collateral', {
        effectiveAt: '2026-01-02T00:00:00Z',
        loanId: 'loan-a',
        cashAccount: 'operating',
        amountUsd,
      });
      expect(E.isLeft(decoded) && decoded.left).toMatchObject({ _tag: 'InvalidCommand', errors: [{ path: 'amountUsd' }] });
    }
  });
});

describe('price staleness setting', () => {
  it('applies from when it is recorded: its effectiveAt is the server time', () => {
    expect(eventsOf(given(open).when(command('set-price-staleness', { maxAgeSeconds: 3600 })))).toEqual([
      { type: 'PriceStalenessSet', effectiveAt: NOW, maxAgeSeconds: 3600 },
    ]);
  });

  it('takes whole seconds from 1 to a year', () => {
    for (const maxAgeSeconds of [0, -1, 1.5, 31_536_001, '3600']) {
      const decoded = decodeBookCommand('set-price-staleness', { maxAgeSeconds });
      expect(E.isLeft(decoded) && decoded.left).toMatchObject({ _tag: 'InvalidCommand', errors: [{ path: 'maxAgeSeconds' }] });
    }
    expect(eventsOf(given(open).when(command('set-price-staleness', { maxAgeSeconds: 31_536_000 })))).toHaveLength(1);
  });

  it('is refused on a book never opened', () => {
    expect(refusalOf(given().when(command('set-price-staleness', { maxAgeSeconds: 60 })))).toEqual({ _tag: 'BookNotFound' });
  });
});
