import * as E from 'fp-ts/Either';
import { BookEventCodec } from './book.events';
import { BookCommand } from './book.commands';
import { BookState, decide, evolve, initialState } from './book.decider';
import { EventMetadata } from './event-metadata';
import { at, command, eventsOf, refusalOf } from '../testing/book-spec';

/** The server clock in these tests: long after the history being migrated. */
const CLOCK = at('2026-03-01T00:00:00Z');

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Decides and records each step as the application would: recordedAt is knownAt when given, else the clock. */
const book = (...steps: ReadonlyArray<readonly [BookCommand, string | undefined]>): BookState => {
  const state = initialState();
  for (const [cmd, known] of steps) {
    const knownAt = known === undefined ? undefined : at(known);
    const decision = decide(cmd, state, { now: CLOCK, actor: 'migrator', ...(knownAt === undefined ? {} : { knownAt }) });
    if (E.isLeft(decision)) throw new Error(`${cmd.name} refused: ${JSON.stringify(decision.left)}`);
    for (const event of decision.right)
      evolve(state, { eventId: id(state.revision + 1), revision: state.revision + 1, recordedAt: knownAt ?? CLOCK, event });
  }
  return state;
};

const openMigrating = command('open-book', { name: 'Acme', effectiveAt: '2024-01-01T00:00:00Z', mode: 'migrating' });
const openLive = command('open-book', { name: 'Acme', effectiveAt: '2024-01-01T00:00:00Z' });
const mine = (effectiveAt: string, btc = '10') =>
  command('record-mining-output', { effectiveAt, wallet: 'cold', btc, usdPerBtc: '40000.00' });
const goLive = command('go-live', { memo: 'cut over from the spreadsheet' });
const knownAtError = (message: string) => ({
  _tag: 'InvalidCommand',
  errors: [{ path: 'knownAt', message: expect.stringContaining(message) }],
});

describe('migration mode', () => {
  it('opens a migrating book (flagged in its BookOpened) that may itself carry knownAt; a live BookOpened has no flag', () => {
    const decided = eventsOf(decide(openMigrating, initialState(), { now: CLOCK, knownAt: at('2024-01-02T00:00:00Z') }));
    expect(decided).toEqual([{ type: 'BookOpened', effectiveAt: at('2024-01-01T00:00:00Z'), name: 'Acme', migrating: true }]);
    expect(eventsOf(decide(openLive, initialState(), { now: CLOCK }))[0]).not.toHaveProperty('migrating');
    expect(book([openMigrating, '2024-01-02T00:00:00Z']).migration).toBe('migrating');
    expect(book([openLive, undefined]).migration).toBe('none');
  });

  it('still reads a BookOpened and metadata written before migration existed, and refuses a migrating flag other than true', () => {
    expect(E.isRight(BookEventCodec.decode({ type: 'BookOpened', effectiveAt: '2024-01-01T00:00:00Z', name: 'Old' }))).toBe(true);
    expect(
      E.isLeft(BookEventCodec.decode({ type: 'BookOpened', effectiveAt: '2024-01-01T00:00:00Z', name: 'Old', migrating: false })),
    ).toBe(true);
    const metadata = {
      recordedAt: '2024-01-01T00:00:00Z',
      command: 'open-book',
      commandId: 'c',
      actor: 'a',
      correlationId: 'c',
      causationId: 'c',
    };
    expect(E.isRight(EventMetadata.decode(metadata))).toBe(true);
    expect(E.isRight(EventMetadata.decode({ ...metadata, migrated: true }))).toBe(true);
    expect(E.isLeft(EventMetadata.decode({ ...metadata, migrated: 'yes' }))).toBe(true);
  });

  it('refuses knownAt on open-book unless the book opens migrating', () => {
    expect(refusalOf(decide(openLive, initialState(), { now: CLOCK, knownAt: at('2024-01-02T00:00:00Z') }))).toEqual(
      knownAtError('mode "migrating"'),
    );
  });

  it('decides a command against knownAt as "now": effective after what was known then is future-dated', () => {
    const state = book([openMigrating, '2024-01-02T00:00:00Z']);
    const known = at('2024-01-31T00:00:00Z');
    // Ten minutes after knownAt: beyond the five-minute tolerance, as it would have been live.
    expect(refusalOf(decide(mine('2024-01-31T00:10:00Z'), state, { now: CLOCK, knownAt: known }))).toMatchObject({
      _tag: 'InvalidCommand',
      errors: [{ path: 'effectiveAt' }],
    });
    expect(eventsOf(decide(mine('2024-01-31T00:04:00Z'), state, { now: CLOCK, knownAt: known }))).toHaveLength(1);
    // Without knownAt the same command is judged against the server clock and accepted.
    expect(eventsOf(decide(mine('2024-01-31T00:10:00Z'), state, { now: CLOCK }))).toHaveLength(1);
  });

  it('dates the events that take their time from the clock (a reversal) at knownAt', () => {
    const state = book([openMigrating, '2024-01-02T00:00:00Z'], [mine('2024-01-31T00:00:00Z'), '2024-02-01T00:00:00Z']);
    const reversal = eventsOf(
      decide(command('reverse-event', { eventId: id(1), reason: 'duplicate' }), state, { now: CLOCK, knownAt: at('2024-02-03T00:00:00Z') }),
    );
    expect(reversal).toEqual([expect.objectContaining({ type: 'EventReversed', effectiveAt: at('2024-02-03T00:00:00Z') })]);
  });

  it('takes knownAt equal to the last recordedAt, refuses one before it, and one after the server clock', () => {
    const state = book([openMigrating, '2024-01-02T00:00:00Z'], [mine('2024-01-31T00:00:00Z'), '2024-02-01T00:00:00Z']);
    expect(eventsOf(decide(mine('2024-01-31T00:00:00Z'), state, { now: CLOCK, knownAt: at('2024-02-01T00:00:00Z') }))).toHaveLength(1);
    expect(refusalOf(decide(mine('2024-01-15T00:00:00Z'), state, { now: CLOCK, knownAt: at('2024-01-31T23:59:59Z') }))).toEqual(
      knownAtError("before the book's last recordedAt (2024-02-01T00:00:00.000Z)"),
    );
    expect(refusalOf(decide(mine('2024-01-15T00:00:00Z'), state, { now: CLOCK, knownAt: CLOCK + 1 }))).toEqual(
      knownAtError('after the server clock'),
    );
  });

  it('refuses knownAt on a book opened live', () => {
    const state = book([openLive, undefined]);
    expect(refusalOf(decide(mine('2024-01-31T00:00:00Z'), state, { now: CLOCK, knownAt: at('2025-01-01T00:00:00Z') }))).toEqual(
      knownAtError('migration mode'),
    );
  });

  it('go-live ends the mode for good: BookWentLive at the clock, then every knownAt is refused, go-live twice too', () => {
    const state = book([openMigrating, '2024-01-02T00:00:00Z'], [mine('2024-01-31T00:00:00Z'), '2024-02-01T00:00:00Z']);
    expect(refusalOf(decide(goLive, state, { now: CLOCK, knownAt: at('2024-03-01T00:00:00Z') }))).toEqual(
      knownAtError('go-live is recorded at the server clock'),
    );
    expect(eventsOf(decide(goLive, state, { now: CLOCK }))).toEqual([
      { type: 'BookWentLive', effectiveAt: CLOCK, memo: 'cut over from the spreadsheet' },
    ]);
    const live = book([openMigrating, '2024-01-02T00:00:00Z'], [goLive, undefined]);
    expect(live.migration).toBe('live');
    expect(refusalOf(decide(mine('2024-01-31T00:00:00Z'), live, { now: CLOCK, knownAt: CLOCK }))).toEqual(knownAtError('has gone live'));
    expect(refusalOf(decide(goLive, live, { now: CLOCK }))).toEqual({
      _tag: 'RuleViolated',
      code: 'book-already-live',
      detail: expect.any(String),
    });
    expect(refusalOf(decide(goLive, book([openLive, undefined]), { now: CLOCK }))).toEqual({
      _tag: 'RuleViolated',
      code: 'book-not-migrating',
      detail: expect.any(String),
    });
    expect(refusalOf(decide(goLive, initialState(), { now: CLOCK }))).toEqual({ _tag: 'BookNotFound' });
  });

  it('go-live cannot be reversed or amended', () => {
    const live = book([openMigrating, '2024-01-02T00:00:00Z'], [goLive, undefined]);
    expect(refusalOf(decide(command('reverse-event', { eventId: id(1), reason: 'oops' }), live, { now: CLOCK }))).toMatchObject({
      code: 'cannot-reverse-go-live',
    });
    expect(
      refusalOf(decide(command('amend-event', { eventId: id(1), replacement: {}, reason: 'oops' }), live, { now: CLOCK })),
    ).toMatchObject({ _tag: 'RuleViolated' });
  });

  it('four eyes start at go-live: a migrating book refuses an approval policy, with or without knownAt; once live it takes one and holds what it should', () => {
    const policy = command('set-approval-policy', { reversals: true, salesAboveBtc: '1' });
    const migrating = book([openMigrating, '2024-01-02T00:00:00Z'], [mine('2024-01-31T00:00:00Z'), '2024-02-01T00:00:00Z']);
    const refused = { _tag: 'RuleViolated', code: 'book-migrating', detail: expect.stringContaining('go live') };
    expect(refusalOf(decide(policy, migrating, { now: CLOCK, actor: 'admin', knownAt: at('2024-02-01T00:00:00Z') }))).toEqual(refused);
    expect(refusalOf(decide(policy, migrating, { now: CLOCK, actor: 'admin' }))).toEqual(refused);
    // So the bypass the reviewer found (policy set, then every command sent with knownAt = now) cannot arise.
    const sale = command('record-btc-sale', { effectiveAt: '2024-02-10T00:00:00Z', wallet: 'cold', btc: '5', proceedsUsd: '200000.00' });
    expect(eventsOf(decide(sale, migrating, { now: CLOCK, knownAt: at('2024-02-10T00:00:00Z') })).map((e) => e.type)).toEqual(['BtcSold']);
    const live = book(
      [openMigrating, '2024-01-02T00:00:00Z'],
      [mine('2024-01-31T00:00:00Z'), '2024-02-01T00:00:00Z'],
      [goLive, undefined],
      [policy, undefined],
    );
    expect(live.approvals.policy.salesAboveBtc).toBe(100_000_000n);
    expect(eventsOf(decide(sale, live, { now: CLOCK, actor: 'treasurer' })).map((e) => e.type)).toEqual(['CommandProposed']);
    // A migrated sale is still refused by the balance rules.
    const tooBig = command('record-btc-sale', { effectiveAt: '2024-02-10T00:00:00Z', wallet: 'cold', btc: '11', proceedsUsd: '200000.00' });
    expect(refusalOf(decide(tooBig, migrating, { now: CLOCK, knownAt: at('2024-02-10T00:00:00Z') }))).toMatchObject({
      code: 'insufficient-unencumbered-btc',
    });
  });

  it('a migrating book whose policy was set before that was refused: a migrated command the policy would hold is refused, not recorded unheld; without knownAt it is proposed', () => {
    const state = book([openMigrating, '2024-01-02T00:00:00Z'], [mine('2024-01-31T00:00:00Z'), '2024-02-01T00:00:00Z']);
    // An ApprovalPolicySet already in such a book's log (written by an earlier version).
    evolve(state, {
      eventId: id(state.revision + 1),
      revision: state.revision + 1,
      recordedAt: at('2024-02-01T00:00:00Z'),
      event: {
        type: 'ApprovalPolicySet',
        effectiveAt: at('2024-02-01T00:00:00Z'),
        reversals: true,
        salesAboveBtc: 100_000_000n,
        proposalLifetimeHours: 168,
      },
    });
    const sale = (btc: string) =>
      command('record-btc-sale', { effectiveAt: '2024-02-10T00:00:00Z', wallet: 'cold', btc, proceedsUsd: '200000.00' });
    const known = { now: CLOCK, actor: 'treasurer', knownAt: at('2024-02-10T00:00:00Z') };
    expect(refusalOf(decide(sale('5'), state, known))).toEqual({
      _tag: 'RuleViolated',
      code: 'migrated-command-needs-approval',
      detail: expect.stringContaining('sales above 1.00000000 BTC need approval'),
    });
    expect(refusalOf(decide(command('reverse-event', { eventId: id(1), reason: 'duplicate' }), state, known))).toMatchObject({
      code: 'migrated-command-needs-approval',
    });
    expect(eventsOf(decide(sale('1'), state, known)).map((e) => e.type)).toEqual(['BtcSold']);
    expect(eventsOf(decide(sale('5'), state, { now: CLOCK, actor: 'treasurer' })).map((e) => e.type)).toEqual(['CommandProposed']);
    // Nor can the policy be changed (or switched off) until go-live.
    expect(refusalOf(decide(command('set-approval-policy', { reversals: false }), state, { now: CLOCK, actor: 'admin' }))).toMatchObject({
      code: 'book-migrating',
    });
  });
});
