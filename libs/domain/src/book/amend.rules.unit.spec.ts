import * as E from 'fp-ts/Either';
import { BookEventCodec } from './book.events';
import { balanceKey } from './balance-effects';
import { evolve } from './book.decider';
import { NOW, at, command, eventsOf, given, refusalOf } from '../testing/book-spec';

const open = command('open-book', { name: 'Seed Miner', effectiveAt: '2025-06-30T00:00:00Z' });
const mine = (btc: string, effectiveAt = '2026-01-10T00:00:00Z') =>
  command('record-mining-output', { effectiveAt, wallet: 'hot', btc, usdPerBtc: '100000.00', pool: 'Foundry' });
const sell = (btc: string, effectiveAt = '2026-01-20T00:00:00Z') =>
  command('record-btc-sale', { effectiveAt, wallet: 'hot', btc, proceedsUsd: '1000.00' });
const amend = (eventId: string, replacement: Record<string, unknown>, reason = 'pool statement corrected') =>
  command('amend-event', { eventId, replacement, reason });
const minedBody = (btc: string, effectiveAt = '2026-01-10T00:00:00Z') => ({
  effectiveAt,
  wallet: 'hot',
  btc,
  usdPerBtc: '100000.00',
  pool: 'Foundry',
});
const hot = balanceKey.unencumbered('hot');
const PROPOSAL = '00000000-0000-4000-8000-0000000000aa';

describe('amend-event', () => {
  // Events: 0 BookOpened, 1 the payout of 1 BTC, 2 the sale of 0.95 BTC that depends on it.
  const payoutThenSale = () => given(open, mine('1'), sell('0.95'));

  it('reduces a payout a later sale depends on in one command, where reversing it first is refused', () => {
    const spec = payoutThenSale();
    const payout = spec.eventIds[1]!;
    expect(refusalOf(spec.when(command('reverse-event', { eventId: payout, reason: 'wrong' })))).toMatchObject({
      code: 'insufficient-unencumbered-btc',
    });

    const events = eventsOf(spec.when(amend(payout, minedBody('0.96'))));
    expect(events).toEqual([
      { type: 'EventReversed', effectiveAt: NOW, eventId: payout, reason: 'pool statement corrected', amendment: true },
      {
        type: 'MiningOutputReceived',
        effectiveAt: at('2026-01-10T00:00:00Z'),
        wallet: 'hot',
        btc: 96_000_000n,
        usdPerBtc: 10_000_000n,
        pool: 'Foundry',
      },
    ]);
    events.forEach((event, index) =>
      evolve(spec.state, { eventId: `amend-${index}`, revision: spec.state.revision + 1, recordedAt: NOW, event }),
    );
    expect(spec.state.balances.get(hot)!.total).toBe(1_000_000n);
    expect(spec.state.events.get(payout)!.reversed).toBe(true);
  });

  it('refuses an amendment that would leave a balance negative at any effective time, leaving the state as it was', () => {
    const spec = payoutThenSale();
    const payout = spec.eventIds[1]!;
    const before = spec.state.balances.get(hot)!.balanceThrough(at('2026-01-15T00:00:00Z'), spec.state.revision);
    expect(refusalOf(spec.when(amend(payout, minedBody('0.94'))))).toMatchObject({
      _tag: 'RuleViolated',
      code: 'insufficient-unencumbered-btc',
    });
    // Moved after the sale: the same BTC, but the sale would come first.
    expect(refusalOf(spec.when(amend(payout, minedBody('1', '2026-01-25T00:00:00Z'))))).toMatchObject({
      code: 'insufficient-unencumbered-btc',
    });
    expect(spec.state.balances.get(hot)!.balanceThrough(at('2026-01-15T00:00:00Z'), spec.state.revision)).toBe(before);
    expect(spec.state.balances.get(hot)!.length).toBe(2);
    expect(spec.state.events.get(payout)!.reversed).toBe(false);
    // Still amendable afterwards, and reversible as before.
    expect(eventsOf(spec.when(amend(payout, minedBody('1.5'))))).toHaveLength(2);
  });

  it('checks the replacement by the amended event type command codec, errors under replacement.', () => {
    const spec = payoutThenSale();
    expect(refusalOf(spec.when(amend(spec.eventIds[1]!, { ...minedBody('0.96'), btc: '-1' })))).toMatchObject({
      _tag: 'InvalidCommand',
      errors: [{ path: 'replacement.btc' }],
    });
    // A sale body for a mining payout: not the same command.
    const refusal = refusalOf(
      spec.when(amend(spec.eventIds[1]!, { effectiveAt: '2026-01-10T00:00:00Z', wallet: 'hot', btc: '1', proceedsUsd: '5.00' })),
    );
    expect(refusal._tag).toBe('InvalidCommand');
    expect(refusal._tag === 'InvalidCommand' && refusal.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['replacement.usdPerBtc', 'replacement.proceedsUsd']),
    );
    // The replacement goes through the command's own rules (a future effectiveAt).
    expect(refusalOf(spec.when(amend(spec.eventIds[1]!, minedBody('1', '2026-06-01T00:00:00Z'))))).toMatchObject({
      errors: [{ path: 'effectiveAt' }],
    });
  });

  it('amends a sale, keeping the balance rule for the sale itself', () => {
    const spec = payoutThenSale();
    const sale = spec.eventIds[2]!;
    expect(
      refusalOf(spec.when(amend(sale, { effectiveAt: '2026-01-20T00:00:00Z', wallet: 'hot', btc: '1.01', proceedsUsd: '1000.00' }))),
    ).toMatchObject({ code: 'insufficient-unencumbered-btc' });
    expect(
      eventsOf(spec.when(amend(sale, { effectiveAt: '2026-01-20T00:00:00Z', wallet: 'hot', btc: '1', proceedsUsd: '1100.00' })))[1],
    ).toMatchObject({ type: 'BtcSold', btc: 100_000_000n, proceedsUsd: 110_000n });
  });

  it('moves a transfer earlier without a false shortfall where its own entries come out (the property found it)', () => {
    const transfer = command('transfer-btc', { effectiveAt: '2026-01-11T00:00:00Z', fromWallet: 'hot', toWallet: 'cold', btc: '1' });
    const spec = given(open, mine('1'), transfer);
    const moved = { effectiveAt: '2026-01-10T00:00:00Z', fromWallet: 'hot', toWallet: 'cold', btc: '1', feeBtc: '0' };
    expect(eventsOf(spec.when(amend(spec.eventIds[2]!, moved)))[1]).toMatchObject({
      type: 'BtcTransferred',
      effectiveAt: at('2026-01-10T00:00:00Z'),
    });
    expect(refusalOf(spec.when(amend(spec.eventIds[2]!, { ...moved, effectiveAt: '2026-01-09T00:00:00Z' })))).toMatchObject({
      code: 'insufficient-unencumbered-btc',
    });
  });

  it('refuses what cannot be amended: unknown, opening, reversals, loan schedule events, settings, what is already reversed', () => {
    const loan = command('draw-loan', {
      effectiveAt: '2026-01-01T00:00:00Z',
      loanId: 'L',
      lender: 'G',
      principalUsd: '100.00',
      annualRate: '0',
      marginCallLtv: '0.7',
      liquidationLtv: '0.85',
    });
    const tolerance = command('set-reconciliation-tolerance', { btc: '0.01' });
    const spec = given(open, mine('1'), loan, tolerance);
    const [opening, payout, drawn, setting] = spec.eventIds as [string, string, string, string];
    expect(refusalOf(spec.when(amend('00000000-0000-4000-8000-999999999999', minedBody('1'))))).toMatchObject({ code: 'unknown-event' });
    expect(refusalOf(spec.when(amend(opening, { name: 'x' })))).toMatchObject({ _tag: 'RuleViolated', code: 'cannot-amend-event-type' });
    expect(refusalOf(spec.when(amend(drawn, {})))).toMatchObject({ code: 'cannot-amend-loan-schedule' });
    expect(refusalOf(spec.when(amend(setting, { btc: '0.02' })))).toMatchObject({ code: 'cannot-amend-event-type' });

    const amended = given(open, mine('1'), amend('00000000-0000-4000-8000-000000000001', minedBody('2')));
    const [, first, reversal] = amended.eventIds as [string, string, string, string];
    expect(refusalOf(amended.when(amend(first, minedBody('3'))))).toMatchObject({ code: 'already-reversed' });
    expect(refusalOf(amended.when(amend(reversal, {})))).toMatchObject({ code: 'cannot-amend-reversal' });
    expect(payout).toBe(first);
  });

  it('is held by a policy that holds reversals, and by the replacement own threshold; approval appends the pair', () => {
    const policy = command('set-approval-policy', { reversals: true });
    const spec = given(open, mine('1'), sell('0.95'), policy);
    const held = eventsOf(spec.when(amend(spec.eventIds[1]!, minedBody('0.96'))));
    expect(held).toMatchObject([{ type: 'CommandProposed', command: 'amend-event' }]);
    evolve(spec.state, { eventId: PROPOSAL, revision: spec.state.revision + 1, recordedAt: NOW, event: held[0]! });
    const approved = eventsOf(spec.whenBy('approver', command('approve-proposal', { proposalId: PROPOSAL })));
    expect(approved.map((e) => e.type)).toEqual(['ProposalApproved', 'EventReversed', 'MiningOutputReceived']);

    const salesOnly = given(open, mine('1'), sell('0.5'), command('set-approval-policy', { reversals: false, salesAboveBtc: '0.6' }));
    const saleBody = (btc: string) => ({ effectiveAt: '2026-01-20T00:00:00Z', wallet: 'hot', btc, proceedsUsd: '1000.00' });
    expect(eventsOf(salesOnly.when(amend(salesOnly.eventIds[2]!, saleBody('0.7'))))).toMatchObject([{ type: 'CommandProposed' }]);
    expect(eventsOf(salesOnly.when(amend(salesOnly.eventIds[2]!, saleBody('0.55'))))).toMatchObject([
      { type: 'EventReversed' },
      { type: 'BtcSold' },
    ]);
  });

  it('reads a reversal written before amendments as a plain reversal, and round-trips the amendment flag', () => {
    const old = {
      type: 'EventReversed',
      effectiveAt: '2026-01-01T00:00:00.000Z',
      eventId: '00000000-0000-4000-8000-000000000001',
      reason: 'x',
    };
    const decoded = BookEventCodec.decode(old);
    expect(E.isRight(decoded) && decoded.right).toEqual({
      type: 'EventReversed',
      effectiveAt: at('2026-01-01T00:00:00Z'),
      eventId: old.eventId,
      reason: 'x',
    });
    expect(E.isRight(BookEventCodec.decode({ ...old, amendment: true }))).toBe(true);
    expect(E.isLeft(BookEventCodec.decode({ ...old, amendment: false }))).toBe(true);
  });
});
