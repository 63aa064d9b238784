import { at, command, eventsOf, given, refusalOf } from '../testing/book-spec';

const open = (body: Record<string, unknown> = {}) => command('open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z', ...body });
const payout = (effectiveAt: string) => command('record-mining-output', { effectiveAt, wallet: 'cold', btc: '1', usdPerBtc: '100000' });
const report = (body: Record<string, unknown>) => command('record-reported-holdings', { btc: '1', source: 'custodian-statement', ...body });

describe('the book calendar', () => {
  it('opens in UTC unless a time zone is given, stored in its canonical spelling', () => {
    expect(eventsOf(given().when(open()))).toEqual([{ type: 'BookOpened', effectiveAt: at('2025-06-01T00:00:00Z'), name: 'Acme' }]);
    expect(eventsOf(given().when(open({ timeZone: 'europe/zurich' })))).toEqual([
      { type: 'BookOpened', effectiveAt: at('2025-06-01T00:00:00Z'), name: 'Acme', timeZone: 'Europe/Zurich' },
    ]);
    expect(given(open({ timeZone: 'Europe/Zurich' })).state.calendar).toEqual({
      openedAt: at('2025-06-01T00:00:00Z'),
      timeZone: 'Europe/Zurich',
    });
  });

  it('refuses an event effective before the book opened (422 before-book-opened), and accepts one at the opening', () => {
    const book = given(open());
    expect(refusalOf(book.when(payout('2024-12-31T00:00:00Z')))).toMatchObject({ _tag: 'RuleViolated', code: 'before-book-opened' });
    expect(refusalOf(book.when(payout('2025-05-31T23:59:59.999Z')))).toMatchObject({ code: 'before-book-opened' });
    expect(eventsOf(book.when(payout('2025-06-01T00:00:00Z')))).toHaveLength(1);
    expect(refusalOf(book.when(report({ effectiveAt: '2025-05-31T00:00:00Z' })))).toMatchObject({ code: 'before-book-opened' });
  });

  it('gives a report dated at midnight the month that ends there, in the book zone', () => {
    const utc = given(open());
    const periodOf = (book: typeof utc, effectiveAt: string) => {
      const event = eventsOf(book.when(report({ effectiveAt })))[0]!;
      return event.type === 'HoldingsReported' ? new Date(event.periodStart).toISOString() : undefined;
    };
    expect(periodOf(utc, '2025-08-01T00:00:00Z')).toBe('2025-07-01T00:00:00.000Z');
    expect(periodOf(utc, '2025-07-31T23:59:59Z')).toBe('2025-07-01T00:00:00.000Z');
    expect(periodOf(utc, '2025-08-01T00:00:00.001Z')).toBe('2025-08-01T00:00:00.000Z');
    expect(periodOf(utc, '2025-08-15T12:00:00Z')).toBe('2025-08-01T00:00:00.000Z');
    const zurich = given(open({ timeZone: 'Europe/Zurich' }));
    // Midnight on 1 August in Zurich is 22:00Z on 31 July: the period is July, Zurich time.
    expect(periodOf(zurich, '2025-07-31T22:00:00Z')).toBe('2025-06-30T22:00:00.000Z');
    // Midnight UTC on 1 August is 02:00 in Zurich: already August there.
    expect(periodOf(zurich, '2025-08-01T00:00:00Z')).toBe('2025-07-31T22:00:00.000Z');
  });

  it('records a scope and refuses the fields a scope has no ledger figure for, naming them', () => {
    const book = given(
      open(),
      command('draw-loan', {
        effectiveAt: '2025-07-01T00:00:00Z',
        loanId: 'L1',
        lender: 'Bank',
        principalUsd: '1000',
        annualRate: '0.05',
        marginCallLtv: '0.7',
        liquidationLtv: '0.85',
      }),
    );
    const [wallet] = eventsOf(book.when(report({ effectiveAt: '2025-07-31T23:59:59Z', scope: { wallet: 'cold' }, pledgedBtc: '0.5' })));
    expect(wallet).toMatchObject({ type: 'HoldingsReported', scope: { wallet: 'cold' }, pledgedBtc: 50_000_000n });
    const [loan] = eventsOf(
      book.when(
        report({ effectiveAt: '2025-07-31T23:59:59Z', source: 'lender-statement', scope: { loanId: 'L1' }, outstandingUsd: '1004.25' }),
      ),
    );
    expect(loan).toMatchObject({ scope: { loanId: 'L1' }, outstandingUsd: 100_425n });
    const pathOf = (body: Record<string, unknown>) => refusalOf(book.when(report({ effectiveAt: '2025-07-31T23:59:59Z', ...body })));
    expect(pathOf({ scope: { wallet: 'cold' }, minedBtc: '1' })).toMatchObject({ _tag: 'InvalidCommand', errors: [{ path: 'minedBtc' }] });
    expect(pathOf({ scope: { loanId: 'L1' }, soldBtc: '1' })).toMatchObject({ errors: [{ path: 'soldBtc' }] });
    expect(pathOf({ scope: { loanId: 'L1' }, pledgedBtc: '1' })).toMatchObject({ errors: [{ path: 'pledgedBtc' }] });
    expect(pathOf({ outstandingUsd: '1' })).toMatchObject({ errors: [{ path: 'outstandingUsd' }] });
    expect(pathOf({ scope: { loanId: 'nope' } })).toMatchObject({ _tag: 'RuleViolated', code: 'unknown-loan' });
    expect(pathOf({ effectiveAt: '2025-06-30T00:00:00Z', scope: { loanId: 'L1' } })).toMatchObject({ code: 'before-loan-drawn' });
  });

  it('sets a tolerance for one source, with a USD part, or for the book', () => {
    const book = given(open());
    expect(eventsOf(book.when(command('set-reconciliation-tolerance', { btc: '0.01', usd: '5', source: 'lender-statement' })))).toEqual([
      {
        type: 'ReconciliationToleranceSet',
        effectiveAt: at('2026-03-01T00:00:00Z'),
        btc: 1_000_000n,
        usd: 500n,
        source: 'lender-statement',
      },
    ]);
    expect(eventsOf(book.when(command('set-reconciliation-tolerance', { btc: '0.2' })))).toEqual([
      { type: 'ReconciliationToleranceSet', effectiveAt: at('2026-03-01T00:00:00Z'), btc: 20_000_000n },
    ]);
  });
});
