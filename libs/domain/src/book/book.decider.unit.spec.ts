import * as E from 'fp-ts/Either';
import { BookEventCodec } from './book.events';
import { NOW, at, command, eventsOf, given, refusalOf } from '../testing/book-spec';

const open = command('open-book', { name: 'Seed Miner', effectiveAt: '2025-06-30T00:00:00Z' });
const mine = (btc: string, effectiveAt: string, wallet = 'hot') =>
  command('record-mining-output', { effectiveAt, wallet, btc, usdPerBtc: '100000.00' });
const sell = (btc: string, effectiveAt: string, wallet = 'hot', proceedsUsd = '1000.00') =>
  command('record-btc-sale', { effectiveAt, wallet, btc, proceedsUsd });
const draw = (loanId = 'loan-a', principalUsd = '1000000.00', effectiveAt = '2026-01-01T00:00:00Z') =>
  command('draw-loan', {
    effectiveAt,
    loanId,
    lender: 'Galaxy',
    principalUsd,
    annualRate: '0.09',
    marginCallLtv: '0.70',
    liquidationLtv: '0.85',
  });
const pledge = (btc: string, effectiveAt = '2026-01-02T00:00:00Z', loanId = 'loan-a', wallet = 'hot') =>
  command('pledge-collateral', { effectiveAt, loanId, wallet, btc });
const cash = (amountUsd: string, effectiveAt: string, cashAccount = 'operating') =>
  command('record-cash-movement', { effectiveAt, cashAccount, amountUsd, category: 'power' });

describe('book decider', () => {
  describe('opening', () => {
    it('opens a book once', () => {
      expect(eventsOf(given().when(open))).toEqual([{ type: 'BookOpened', effectiveAt: at('2025-06-30T00:00:00Z'), name: 'Seed Miner' }]);
      expect(refusalOf(given(open).when(open))).toEqual({ _tag: 'BookAlreadyOpen' });
    });

    it('defaults the opening time to the server clock', () => {
      expect(eventsOf(given().when(command('open-book', { name: 'X' })))[0]).toMatchObject({ effectiveAt: NOW });
    });

    it('refuses every other command on a book that was never opened', () => {
      expect(refusalOf(given().when(mine('1', '2026-01-01T00:00:00Z')))).toEqual({ _tag: 'BookNotFound' });
      expect(refusalOf(given().when(command('reverse-event', { eventId: '00000000-0000-4000-8000-000000000000', reason: 'x' })))).toEqual({
        _tag: 'BookNotFound',
      });
    });

    it('refuses an effectiveAt in the future beyond clock-skew tolerance', () => {
      const future = new Date(NOW + 10 * 60 * 1000).toISOString();
      expect(refusalOf(given(open).when(mine('1', future)))).toMatchObject({ _tag: 'InvalidCommand', errors: [{ path: 'effectiveAt' }] });
      expect(eventsOf(given(open).when(mine('1', new Date(NOW + 60 * 1000).toISOString())))).toHaveLength(1);
    });
  });

  describe('mining and sales', () => {
    it('records mining output at its fair value', () => {
      const events = eventsOf(
        given(open).when(
          command('record-mining-output', {
            effectiveAt: '2026-01-31T00:00:00Z',
            wallet: 'hot',
            btc: '496.35',
            usdPerBtc: '97500.12',
            pool: 'Foundry',
            periodStart: '2026-01-01T00:00:00Z',
            periodEnd: '2026-01-31T23:59:59Z',
          }),
        ),
      );
      expect(events).toEqual([
        {
          type: 'MiningOutputReceived',
          effectiveAt: at('2026-01-31T00:00:00Z'),
          wallet: 'hot',
          btc: 49_635_000_000n,
          usdPerBtc: 9_750_012n,
          pool: 'Foundry',
          periodStart: at('2026-01-01T00:00:00Z'),
          periodEnd: at('2026-01-31T23:59:59Z'),
        },
      ]);
    });

    it('refuses a mining period that ends before it starts', () => {
      const cmd = command('record-mining-output', {
        effectiveAt: '2026-01-31T00:00:00Z',
        wallet: 'hot',
        btc: '1',
        usdPerBtc: '1',
        periodStart: '2026-01-31T00:00:00Z',
        periodEnd: '2026-01-01T00:00:00Z',
      });
      expect(refusalOf(given(open).when(cmd))).toMatchObject({ _tag: 'InvalidCommand', errors: [{ path: 'periodEnd' }] });
    });

    it('sells into the operating account by default, with zero fees unless given', () => {
      const events = eventsOf(given(open, mine('2', '2026-01-01T00:00:00Z')).when(sell('1.5', '2026-01-02T00:00:00Z')));
      expect(events).toEqual([
        {
          type: 'BtcSold',
          effectiveAt: at('2026-01-02T00:00:00Z'),
          wallet: 'hot',
          btc: 150_000_000n,
          proceedsUsd: 100_000n,
          feesUsd: 0n,
          cashAccount: 'operating',
        },
      ]);
    });

    it('refuses to sell more BTC than the wallet holds', () => {
      const refusal = refusalOf(given(open, mine('2', '2026-01-01T00:00:00Z')).when(sell('2.00000001', '2026-01-02T00:00:00Z')));
      expect(refusal).toMatchObject({ _tag: 'RuleViolated', code: 'insufficient-unencumbered-btc' });
      expect(refusal).toMatchObject({ detail: expect.stringContaining('-0.00000001 BTC') });
    });

    it('refuses a sale dated before the BTC was mined', () => {
      expect(refusalOf(given(open, mine('2', '2026-01-10T00:00:00Z')).when(sell('1', '2026-01-09T00:00:00Z')))).toMatchObject({
        code: 'insufficient-unencumbered-btc',
      });
    });

    it('refuses a back-dated sale that would overdraw the wallet at a later, already-recorded sale', () => {
      const book = given(open, mine('10', '2026-01-10T00:00:00Z'), sell('8', '2026-01-20T00:00:00Z'));
      const refusal = refusalOf(book.when(sell('5', '2026-01-15T00:00:00Z')));
      expect(refusal).toMatchObject({ code: 'insufficient-unencumbered-btc', detail: expect.stringContaining('2026-01-20T00:00:00.000Z') });
      expect(eventsOf(book.when(sell('2', '2026-01-15T00:00:00Z')))).toHaveLength(1);
    });

    it('accepts back-dated mining output before an existing sale', () => {
      const book = given(open, mine('1', '2026-01-10T00:00:00Z'), sell('1', '2026-01-20T00:00:00Z'));
      expect(eventsOf(book.when(mine('3', '2026-01-05T00:00:00Z')))).toHaveLength(1);
    });
  });

  describe('transfers', () => {
    const transfer = (btc: string, feeBtc?: string, toWallet = 'cold') =>
      command('transfer-btc', { effectiveAt: '2026-01-02T00:00:00Z', fromWallet: 'hot', toWallet, btc, ...(feeBtc ? { feeBtc } : {}) });

    it('moves BTC between wallets, the network fee paid by the sender', () => {
      expect(eventsOf(given(open, mine('1', '2026-01-01T00:00:00Z')).when(transfer('0.9999', '0.0001')))).toEqual([
        {
          type: 'BtcTransferred',
          effectiveAt: at('2026-01-02T00:00:00Z'),
          fromWallet: 'hot',
          toWallet: 'cold',
          btc: 99_990_000n,
          feeBtc: 10_000n,
        },
      ]);
    });

    it('counts the fee against the sending wallet', () => {
      expect(refusalOf(given(open, mine('1', '2026-01-01T00:00:00Z')).when(transfer('1', '0.0001')))).toMatchObject({
        code: 'insufficient-unencumbered-btc',
      });
    });

    it('refuses a transfer to the same wallet', () => {
      expect(refusalOf(given(open, mine('1', '2026-01-01T00:00:00Z')).when(transfer('0.5', undefined, 'hot')))).toMatchObject({
        _tag: 'InvalidCommand',
        errors: [{ path: 'toWallet' }],
      });
    });
  });

  describe('loans and collateral', () => {
    const book = () => given(open, mine('10', '2025-12-01T00:00:00Z'), draw());

    it('draws a loan into a cash account', () => {
      expect(eventsOf(given(open).when(draw()))).toEqual([
        {
          type: 'LoanDrawn',
          effectiveAt: at('2026-01-01T00:00:00Z'),
          loanId: 'loan-a',
          lender: 'Galaxy',
          principalUsd: 100_000_000n,
          annualRate: 90_000n,
          marginCallLtv: 700_000n,
          liquidationLtv: 850_000n,
          cashAccount: 'operating',
          dayCount: 'act/365',
        },
      ]);
    });

    it('keeps loan ids unique per book', () => {
      expect(refusalOf(book().when(draw()))).toMatchObject({ code: 'duplicate-loan-id' });
    });

    it('requires the liquidation LTV above the margin-call LTV, and maturity after the drawdown', () => {
      const terms = { effectiveAt: '2026-01-01T00:00:00Z', loanId: 'b', lender: 'L', principalUsd: '1', annualRate: '0' };
      expect(refusalOf(given(open).when(command('draw-loan', { ...terms, marginCallLtv: '0.8', liquidationLtv: '0.8' })))).toMatchObject({
        errors: [{ path: 'liquidationLtv' }],
      });
      expect(
        refusalOf(
          given(open).when(
            command('draw-loan', { ...terms, marginCallLtv: '0.7', liquidationLtv: '0.8', maturityAt: '2025-01-01T00:00:00Z' }),
          ),
        ),
      ).toMatchObject({
        errors: [{ path: 'maturityAt' }],
      });
    });

    it('pledges unencumbered BTC to a loan', () => {
      expect(eventsOf(book().when(pledge('10')))).toEqual([
        { type: 'CollateralPledged', effectiveAt: at('2026-01-02T00:00:00Z'), loanId: 'loan-a', wallet: 'hot', btc: 1_000_000_000n },
      ]);
    });

    it('cannot pledge more than the unencumbered BTC, nor sell what is pledged', () => {
      expect(refusalOf(book().when(pledge('10.1')))).toMatchObject({ code: 'insufficient-unencumbered-btc' });
      expect(
        refusalOf(given(open, mine('10', '2025-12-01T00:00:00Z'), draw(), pledge('8')).when(sell('3', '2026-01-03T00:00:00Z'))),
      ).toMatchObject({
        code: 'insufficient-unencumbered-btc',
      });
    });

    it('refuses collateral moves on an unknown loan or before the loan was drawn', () => {
      expect(refusalOf(book().when(pledge('1', '2026-01-02T00:00:00Z', 'nope')))).toMatchObject({ code: 'unknown-loan' });
      expect(refusalOf(book().when(pledge('1', '2025-12-31T00:00:00Z')))).toMatchObject({ code: 'before-loan-drawn' });
    });

    it('cannot release more than is pledged to that loan', () => {
      const pledged = given(
        open,
        mine('10', '2025-12-01T00:00:00Z'),
        draw(),
        pledge('4'),
        draw('loan-b'),
        pledge('4', '2026-01-02T00:00:00Z', 'loan-b'),
      );
      const release = (btc: string, loanId = 'loan-a') =>
        command('release-collateral', { effectiveAt: '2026-01-05T00:00:00Z', loanId, wallet: 'hot', btc });
      expect(eventsOf(pledged.when(release('4')))).toHaveLength(1);
      expect(refusalOf(pledged.when(release('4.00000001')))).toMatchObject({ code: 'insufficient-pledged-collateral' });
    });

    it('accrues interest on a live loan', () => {
      expect(
        eventsOf(
          book().when(command('accrue-interest', { effectiveAt: '2026-01-31T00:00:00Z', loanId: 'loan-a', interestUsd: '7500.00' })),
        ),
      ).toEqual([{ type: 'InterestAccrued', effectiveAt: at('2026-01-31T00:00:00Z'), loanId: 'loan-a', interestUsd: 750_000n }]);
    });

    describe('repayment', () => {
      const repay = (principalUsd: string, interestUsd?: string) =>
        command('repay-loan', {
          effectiveAt: '2026-02-01T00:00:00Z',
          loanId: 'loan-a',
          principalUsd,
          ...(interestUsd ? { interestUsd } : {}),
        });
      const accrued = () =>
        given(open, draw(), command('accrue-interest', { effectiveAt: '2026-01-31T00:00:00Z', loanId: 'loan-a', interestUsd: '100.00' }));

      it('repays principal and interest from the cash account', () => {
        expect(eventsOf(accrued().when(repay('500000.00', '100.00')))).toEqual([
          {
            type: 'LoanRepaid',
            effectiveAt: at('2026-02-01T00:00:00Z'),
            loanId: 'loan-a',
            principalUsd: 50_000_000n,
            interestUsd: 10_000n,
            cashAccount: 'operating',
          },
        ]);
      });

      it('cannot repay more than the outstanding principal or the accrued interest', () => {
        const withCash = given(open, draw(), cash('5000000.00', '2026-01-01T00:00:00Z'));
        expect(refusalOf(withCash.when(repay('1000000.01')))).toMatchObject({ code: 'exceeds-outstanding-principal' });
        // Owed on Feb 1: 1,000,000.00 × 9% × 31/365 = 7,643.835… accrued from the terms, + 100.00 charged.
        expect(eventsOf(accrued().when(repay('0', '7743.84')))).toHaveLength(1);
        expect(refusalOf(accrued().when(repay('0', '7743.85')))).toMatchObject({ code: 'exceeds-accrued-interest' });
      });

      it('cannot repay with cash the account does not hold', () => {
        const spent = given(open, draw(), cash('-999999.00', '2026-01-15T00:00:00Z'));
        expect(refusalOf(spent.when(repay('1000.01')))).toMatchObject({ code: 'insufficient-cash' });
      });

      it('refuses a repayment of nothing', () => {
        expect(refusalOf(accrued().when(repay('0')))).toMatchObject({ _tag: 'InvalidCommand', errors: [{ path: 'principalUsd' }] });
      });
    });

    describe('liquidation', () => {
      const liquidate = (btc: string, proceedsUsd: string) =>
        command('liquidate-collateral', { effectiveAt: '2026-02-05T00:00:00Z', loanId: 'loan-a', wallet: 'hot', btc, proceedsUsd });
      const pledgedWithInterest = () =>
        given(
          open,
          mine('10', '2025-12-01T00:00:00Z'),
          draw(),
          pledge('10'),
          command('accrue-interest', { effectiveAt: '2026-01-31T00:00:00Z', loanId: 'loan-a', interestUsd: '5000.00' }),
        );

      it('applies proceeds to interest, then principal, the rest to cash (the split as known when recorded)', () => {
        // Interest owed on Feb 5: 1,000,000.00 × 9% × 35/365 = 8,630.14 from the terms + 5,000.00 charged.
        expect(eventsOf(pledgedWithInterest().when(liquidate('10', '1200000.00')))).toEqual([
          {
            type: 'CollateralLiquidated',
            effectiveAt: at('2026-02-05T00:00:00Z'),
            loanId: 'loan-a',
            wallet: 'hot',
            btc: 1_000_000_000n,
            proceedsUsd: 120_000_000n,
            interestAppliedUsd: 1_363_014n,
            principalAppliedUsd: 100_000_000n,
            excessUsd: 18_636_986n,
            cashAccount: 'operating',
            waterfall: 'projected',
          },
        ]);
      });

      it('covers interest first when proceeds are short', () => {
        expect(eventsOf(pledgedWithInterest().when(liquidate('1', '3000.00')))[0]).toMatchObject({
          interestAppliedUsd: 300_000n,
          principalAppliedUsd: 0n,
          excessUsd: 0n,
        });
      });

      it('cannot liquidate more than is pledged to the loan', () => {
        expect(refusalOf(pledgedWithInterest().when(liquidate('10.00000001', '1.00')))).toMatchObject({
          code: 'insufficient-pledged-collateral',
        });
      });
    });
  });

  describe('cash', () => {
    it('refuses an outflow that would overdraw the account at any effective time', () => {
      const book = given(open, cash('100.00', '2026-01-01T00:00:00Z'), cash('-80.00', '2026-01-20T00:00:00Z'));
      expect(refusalOf(book.when(cash('-30.00', '2026-01-10T00:00:00Z')))).toMatchObject({ code: 'insufficient-cash' });
      expect(eventsOf(book.when(cash('-20.00', '2026-01-10T00:00:00Z')))).toHaveLength(1);
      expect(refusalOf(book.when(cash('-1.00', '2026-01-01T00:00:00Z', 'other')))).toMatchObject({ code: 'insufficient-cash' });
    });
  });

  describe('reversal', () => {
    const reverse = (eventId: string) => command('reverse-event', { eventId, reason: 'booked twice' });

    it('takes an event off the timeline from the moment it is recorded', () => {
      const book = given(open, mine('1', '2026-01-01T00:00:00Z'));
      expect(eventsOf(book.when(reverse(book.eventIds[1]!)))).toEqual([
        { type: 'EventReversed', effectiveAt: NOW, eventId: book.eventIds[1], reason: 'booked twice' },
      ]);
    });

    it('restores balances once recorded', () => {
      const book = given(open, mine('1', '2026-01-01T00:00:00Z'), sell('1', '2026-01-02T00:00:00Z'));
      expect(refusalOf(book.when(sell('1', '2026-01-03T00:00:00Z')))).toMatchObject({ code: 'insufficient-unencumbered-btc' });
      const after = given(
        open,
        mine('1', '2026-01-01T00:00:00Z'),
        sell('1', '2026-01-02T00:00:00Z'),
        reverse('00000000-0000-4000-8000-000000000002'),
      );
      expect(eventsOf(after.when(sell('1', '2026-01-03T00:00:00Z')))).toHaveLength(1);
    });

    it('refuses a reversal that would leave a later event without the BTC it used', () => {
      const book = given(open, mine('1', '2026-01-01T00:00:00Z'), mine('1', '2026-01-02T00:00:00Z'), sell('1.5', '2026-01-03T00:00:00Z'));
      expect(refusalOf(book.when(reverse(book.eventIds[1]!)))).toMatchObject({ code: 'insufficient-unencumbered-btc' });
    });

    it('refuses unknown events, reversals of reversals, double reversals and the book opening', () => {
      const book = given(open, mine('1', '2026-01-01T00:00:00Z'), reverse('00000000-0000-4000-8000-000000000001'));
      expect(refusalOf(book.when(reverse('00000000-0000-4000-8000-00000000ffff')))).toMatchObject({ code: 'unknown-event' });
      expect(refusalOf(book.when(reverse(book.eventIds[2]!)))).toMatchObject({ code: 'cannot-reverse-reversal' });
      expect(refusalOf(book.when(reverse(book.eventIds[1]!)))).toMatchObject({ code: 'already-reversed' });
      expect(refusalOf(book.when(reverse(book.eventIds[0]!)))).toMatchObject({ code: 'cannot-reverse-book-opening' });
    });

    it('reverses a loan drawdown only once nothing else names the loan, and keeps its id taken', () => {
      const book = given(open, mine('5', '2025-12-01T00:00:00Z'), draw(), pledge('5'));
      const [, , drawn, pledged] = book.eventIds;
      expect(refusalOf(book.when(reverse(drawn!)))).toMatchObject({ code: 'loan-has-activity' });
      const cleared = given(open, mine('5', '2025-12-01T00:00:00Z'), draw(), pledge('5'), reverse(pledged!));
      expect(eventsOf(cleared.when(reverse(drawn!)))).toHaveLength(1);
      const gone = given(open, mine('5', '2025-12-01T00:00:00Z'), draw(), pledge('5'), reverse(pledged!), reverse(drawn!));
      expect(refusalOf(gone.when(pledge('1')))).toMatchObject({ code: 'unknown-loan' });
      expect(refusalOf(gone.when(draw()))).toMatchObject({ code: 'duplicate-loan-id' });
    });

    it('refuses reversing a drawdown whose cash has been spent', () => {
      const book = given(open, draw(), cash('-1000000.00', '2026-01-05T00:00:00Z'));
      expect(refusalOf(book.when(reverse(book.eventIds[1]!)))).toMatchObject({ code: 'insufficient-cash' });
    });
  });

  describe('reported holdings and the reconciliation tolerance', () => {
    const reverse = (eventId: string) => command('reverse-event', { eventId, reason: 'statement withdrawn' });
    const report = (body: Record<string, unknown>) =>
      command('record-reported-holdings', { effectiveAt: '2026-01-31T23:59:59Z', btc: '7474.6', source: 'operational-update', ...body });

    it('records a report, its period defaulting to the calendar month of its date', () => {
      expect(eventsOf(given(open).when(report({ minedBtc: '496.35', soldBtc: '550.03' })))).toEqual([
        {
          type: 'HoldingsReported',
          effectiveAt: at('2026-01-31T23:59:59Z'),
          btc: 747_460_000_000n,
          periodStart: at('2026-01-01T00:00:00Z'),
          source: 'operational-update',
          minedBtc: 49_635_000_000n,
          soldBtc: 55_003_000_000n,
        },
      ]);
      expect(eventsOf(given(open).when(report({ periodStart: '2025-12-15T00:00:00Z' })))[0]).toMatchObject({
        periodStart: at('2025-12-15T00:00:00Z'),
      });
    });

    it('refuses a period starting after the report, pledged BTC above the holdings and an unknown source', () => {
      expect(refusalOf(given(open).when(report({ periodStart: '2026-02-01T00:00:00Z' })))).toMatchObject({
        _tag: 'InvalidCommand',
        errors: [{ path: 'periodStart' }],
      });
      expect(refusalOf(given(open).when(report({ pledgedBtc: '7474.7' })))).toMatchObject({
        _tag: 'InvalidCommand',
        errors: [{ path: 'pledgedBtc' }],
      });
      expect(() => report({ source: 'press' })).toThrow(/source/);
    });

    it('sets the tolerance from when it is recorded, and both can be reversed', () => {
      const book = given(open, report({}));
      expect(eventsOf(book.when(command('set-reconciliation-tolerance', { btc: '0.5' }), at('2026-02-10T00:00:00Z')))).toEqual([
        { type: 'ReconciliationToleranceSet', effectiveAt: at('2026-02-10T00:00:00Z'), btc: 50_000_000n },
      ]);
      expect(eventsOf(book.when(reverse(book.eventIds[1]!)))).toMatchObject([{ type: 'EventReversed', eventId: book.eventIds[1] }]);
    });
  });
});

describe('book decider: bounds that need more than one field, or the clock', () => {
  const FIVE_MINUTES = 5 * 60 * 1000;
  const iso = (millis: number) => new Date(millis).toISOString();
  const mining = (body: Record<string, unknown>) =>
    command('record-mining-output', { effectiveAt: '2026-01-31T00:00:00Z', wallet: 'hot', btc: '1', usdPerBtc: '100000.00', ...body });
  const pathsOf = (decision: ReturnType<ReturnType<typeof given>['when']>) => {
    const refusal = refusalOf(decision);
    return refusal._tag === 'InvalidCommand' ? refusal.errors.map((e) => e.path) : refusal;
  };

  describe('a mining period', () => {
    it('starts before it ends: an empty period is refused', () => {
      const period = { periodStart: '2026-01-01T00:00:00Z' };
      expect(eventsOf(given(open).when(mining({ ...period, periodEnd: '2026-01-01T00:00:00.001Z' })))).toHaveLength(1);
      expect(refusalOf(given(open).when(mining({ ...period, periodEnd: '2026-01-01T00:00:00Z' })))).toEqual({
        _tag: 'InvalidCommand',
        errors: [{ path: 'periodEnd', message: 'must be after periodStart' }],
      });
    });

    it('has ended by the time it is recorded, within the clock skew allowed for effectiveAt', () => {
      const book = given(open);
      expect(eventsOf(book.when(mining({ periodEnd: iso(NOW + FIVE_MINUTES) })))).toHaveLength(1);
      expect(refusalOf(book.when(mining({ periodEnd: iso(NOW + FIVE_MINUTES + 1) })))).toEqual({
        _tag: 'InvalidCommand',
        errors: [{ path: 'periodEnd', message: 'must not be after the time it is recorded (server time is 2026-03-01T00:00:00.000Z)' }],
      });
      // The 9999-12-31 the codec once let through is now refused by the codec itself; 2199 reaches the decider.
      expect(pathsOf(book.when(mining({ periodStart: '2026-01-01T00:00:00Z', periodEnd: '2199-12-31T00:00:00Z' })))).toEqual(['periodEnd']);
    });

    it('has started by the time it is recorded when only its start is given', () => {
      expect(eventsOf(given(open).when(mining({ periodStart: iso(NOW + FIVE_MINUTES) })))).toHaveLength(1);
      expect(pathsOf(given(open).when(mining({ periodStart: iso(NOW + FIVE_MINUTES + 1) })))).toEqual(['periodStart']);
    });
  });

  describe("a mining lot's cost (btc × usdPerBtc, rounded half to even as the FIFO projection does)", () => {
    it('may be exactly 10,000,000,000.00 USD, not a cent more', () => {
      // 20000.00000001 BTC × 500000.00 USD = 10,000,000,000.005 USD: half a cent rounds to the even 10,000,000,000.00.
      expect(eventsOf(given(open).when(mining({ btc: '20000.00000001', usdPerBtc: '500000.00' })))).toEqual([
        expect.objectContaining({ btc: 2_000_000_000_001n, usdPerBtc: 50_000_000n }),
      ]);
      // One satoshi more costs 10,000,000,000.01 USD.
      expect(refusalOf(given(open).when(mining({ btc: '20000.00000002', usdPerBtc: '500000.00' })))).toEqual({
        _tag: 'InvalidCommand',
        errors: [{ path: 'btc', message: "btc × usdPerBtc, the lot's cost (10000000000.01 USD), must be at most 10000000000.00 USD" }],
      });
    });

    it('refuses the largest BTC amount at the largest price, each within its own bound', () => {
      expect(pathsOf(given(open).when(mining({ btc: '21000000', usdPerBtc: '10000000.00' })))).toEqual(['btc']);
    });
  });

  describe('a loan maturity', () => {
    const draw = (maturityAt: string) =>
      command('draw-loan', {
        effectiveAt: '2026-01-01T00:00:00Z',
        loanId: 'l',
        lender: 'Galaxy',
        principalUsd: '1.00',
        annualRate: '0.1',
        marginCallLtv: '0.7',
        liquidationLtv: '0.8',
        maturityAt,
      });

    it('is after the drawdown', () => {
      expect(eventsOf(given(open).when(draw('2026-01-01T00:00:00.001Z')))).toHaveLength(1);
      expect(pathsOf(given(open).when(draw('2026-01-01T00:00:00Z')))).toEqual(['maturityAt']);
    });

    it('is within a century of the drawdown', () => {
      expect(eventsOf(given(open).when(draw('2126-01-01T00:00:00Z')))).toEqual([
        expect.objectContaining({ maturityAt: at('2126-01-01T00:00:00Z') }),
      ]);
      expect(refusalOf(given(open).when(draw('2126-01-01T00:00:00.001Z')))).toEqual({
        _tag: 'InvalidCommand',
        errors: [{ path: 'maturityAt', message: 'must be within a century of effectiveAt (by 2126-01-01T00:00:00.000Z)' }],
      });
    });
  });

  it("a reported holdings period starts by the report's date", () => {
    const report = (periodStart: string) =>
      command('record-reported-holdings', { effectiveAt: '2026-01-31T23:59:59Z', btc: '1', source: 'custodian-statement', periodStart });
    expect(eventsOf(given(open).when(report('2026-01-31T23:59:59Z')))).toHaveLength(1);
    expect(pathsOf(given(open).when(report('2026-01-31T23:59:59.001Z')))).toEqual(['periodStart']);
  });

  it('accepts the largest value of every bound, and the events it makes read back from the log unchanged', () => {
    const MAX_USD = '10000000000.00';
    const effectiveAt = '2026-01-02T00:00:00Z';
    const book = given(
      open,
      // The largest BTC amount whose lot still costs at most $10bn: 21,000,000 BTC at $476.19.
      command('record-mining-output', {
        effectiveAt: '2026-01-01T00:00:00Z',
        wallet: 'hot',
        btc: '21000000',
        usdPerBtc: '476.19',
        memo: 'm'.repeat(500),
      }),
      command('draw-loan', {
        effectiveAt: '2026-01-01T00:00:00Z',
        loanId: 'l',
        lender: '😀'.repeat(500),
        principalUsd: MAX_USD,
        annualRate: '10',
        marginCallLtv: '9.999999',
        liquidationLtv: '10',
        maturityAt: '2126-01-01T00:00:00Z',
      }),
    );
    const decided = [
      command('record-btc-price', { effectiveAt, usdPerBtc: '10000000.00' }),
      command('record-btc-sale', { effectiveAt, wallet: 'hot', btc: '21000000', proceedsUsd: MAX_USD, feesUsd: MAX_USD }),
      command('transfer-btc', { effectiveAt, fromWallet: 'hot', toWallet: 'cold', btc: '20999999', feeBtc: '1' }),
      command('pledge-collateral', { effectiveAt, loanId: 'l', wallet: 'hot', btc: '21000000' }),
      command('accrue-interest', { effectiveAt, loanId: 'l', interestUsd: MAX_USD }),
      command('repay-loan', { effectiveAt, loanId: 'l', principalUsd: MAX_USD }),
      command('record-cash-movement', { effectiveAt, cashAccount: 'operating', amountUsd: `-${MAX_USD}`, category: 'power' }),
      command('record-cash-movement', { effectiveAt, cashAccount: 'other', amountUsd: MAX_USD, category: 'equity' }),
      command('record-reported-holdings', {
        effectiveAt,
        btc: '21000000',
        pledgedBtc: '21000000',
        minedBtc: '21000000',
        soldBtc: '21000000',
        source: 'lender-statement',
      }),
      command('set-reconciliation-tolerance', { btc: '21000000' }),
    ].flatMap((cmd) => eventsOf(book.when(cmd)));
    expect(decided.map((event) => event.type)).toEqual([
      'BtcPriceObserved',
      'BtcSold',
      'BtcTransferred',
      'CollateralPledged',
      'InterestAccrued',
      'LoanRepaid',
      'CashMoved',
      'CashMoved',
      'HoldingsReported',
      'ReconciliationToleranceSet',
    ]);
    const mined = given(open).when(command('record-mining-output', { effectiveAt, wallet: 'hot', btc: '21000000', usdPerBtc: '476.19' }));
    for (const event of [...decided, ...eventsOf(mined)]) {
      expect(BookEventCodec.decode(JSON.parse(JSON.stringify(BookEventCodec.encode(event))))).toEqual(E.right(event));
    }
  });
});
