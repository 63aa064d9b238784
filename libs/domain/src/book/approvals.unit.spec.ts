import * as E from 'fp-ts/Either';
import { NOW, command, eventsOf, given, refusalOf } from '../testing/book-spec';

const open = command('open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
const mined = command('record-mining-output', { effectiveAt: '2026-01-31T00:00:00Z', wallet: 'cold', btc: '1000', usdPerBtc: '90000.00' });
const policy = command('set-approval-policy', {
  reversals: true,
  salesAboveBtc: '100',
  cashMovementsAboveUsd: '1000000.00',
  proposalLifetimeHours: 24,
});
const sale = (btc: string) =>
  command('record-btc-sale', { effectiveAt: '2026-02-01T00:00:00Z', wallet: 'cold', btc, proceedsUsd: '1000.00' });
const HOUR = 3_600_000;

describe('four eyes (decider)', () => {
  it('without a policy nothing is held; with one, a command above its threshold becomes a proposal', () => {
    expect(eventsOf(given(open, mined).when(sale('500'))).map((e) => e.type)).toEqual(['BtcSold']);
    const spec = given(open, mined, policy);
    expect(eventsOf(spec.when(sale('100'))).map((e) => e.type)).toEqual(['BtcSold']);
    const [proposed] = eventsOf(spec.whenBy('alice', sale('100.00000001')));
    expect(proposed).toMatchObject({
      type: 'CommandProposed',
      command: 'record-btc-sale',
      proposedBy: 'alice',
      expiresAt: NOW + 24 * HOUR,
      body: { btc: '100.00000001', wallet: 'cold' },
    });
    expect(
      eventsOf(
        spec.when(
          command('record-cash-movement', {
            effectiveAt: '2026-02-01T00:00:00Z',
            cashAccount: 'ops',
            amountUsd: '1000000.01',
            category: 'x',
          }),
        ),
      )[0]?.type,
    ).toBe('CommandProposed');
    expect(
      eventsOf(
        spec.when(
          command('record-cash-movement', {
            effectiveAt: '2026-02-01T00:00:00Z',
            cashAccount: 'ops',
            amountUsd: '1000000.00',
            category: 'x',
          }),
        ),
      )[0]?.type,
    ).toBe('CashMoved');
  });

  it('a proposal that could never apply is refused at once, not recorded', () => {
    expect(refusalOf(given(open, mined, policy).when(sale('5000')))).toMatchObject({ code: 'insufficient-unencumbered-btc' });
  });

  it('approval: a different principal, before the lapse, against the book as it is then', () => {
    const spec = given(open, mined, policy, sale('600'));
    const proposalId = spec.eventIds[3]!;
    const approve = command('approve-proposal', { proposalId });
    expect(refusalOf(spec.whenBy('proposer', approve))).toMatchObject({ code: 'four-eyes' });
    expect(refusalOf(spec.whenBy('bob', approve, NOW + 24 * HOUR))).toMatchObject({ code: 'proposal-lapsed' });
    expect(eventsOf(spec.whenBy('bob', approve, NOW + 24 * HOUR - 1)).map((e) => e.type)).toEqual(['ProposalApproved', 'BtcSold']);
    expect(eventsOf(spec.whenBy('bob', approve))[0]).toEqual({ type: 'ProposalApproved', effectiveAt: NOW, proposalId, approvedBy: 'bob' });
  });

  it('an approved or rejected proposal cannot be decided again; approving one whose BTC has gone since is refused', () => {
    const spec = given(open, mined, policy, sale('600'), sale('700'));
    const [first, second] = [spec.eventIds[3]!, spec.eventIds[4]!];
    const decided = given(
      open,
      mined,
      policy,
      sale('600'),
      command('reject-proposal', { proposalId: '00000000-0000-4000-8000-000000000003', reason: 'no' }),
    );
    expect(refusalOf(decided.whenBy('bob', command('approve-proposal', { proposalId: first })))).toMatchObject({
      code: 'proposal-decided',
    });
    expect(E.isRight(spec.whenBy('bob', command('approve-proposal', { proposalId: second })))).toBe(true);
    expect(
      refusalOf(spec.whenBy('bob', command('approve-proposal', { proposalId: '00000000-0000-4000-8000-000000000099' }))),
    ).toMatchObject({ code: 'unknown-proposal' });
  });

  it('approval records cannot be reversed; reversals themselves wait for approval', () => {
    const spec = given(open, mined, policy, sale('600'));
    expect(refusalOf(spec.when(command('reverse-event', { eventId: spec.eventIds[3], reason: 'x' })))).toMatchObject({
      code: 'cannot-reverse-approval-record',
    });
    expect(eventsOf(spec.when(command('reverse-event', { eventId: spec.eventIds[1], reason: 'duplicate' })))[0]?.type).toBe(
      'CommandProposed',
    );
  });
});
