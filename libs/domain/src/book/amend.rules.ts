import * as E from 'fp-ts/Either';
import { DomainError, ruleViolated } from '../errors';
import { BalanceEffect, balanceEffects } from './balance-effects';
import { checkBalances } from './balance-rules';
import { BalanceTimeline } from './balance-timeline';
import { BookCommand, BookCommandName, decodeBookCommand } from './book.commands';
import type { BookEvent, BookEventOf, BookEventType } from './book.events';

/**
 * amend-event: one command that takes an event back and records its correction, appended together as
 * [EventReversed {amendment: true}, replacement]. The two are adjacent revisions of one commit (an
 * approval may put its ProposalApproved before them, never between), which is how the audit trail links
 * the target (`amendedBy`) and the replacement (`amends`). Projections need nothing new: to them an
 * amendment is a reversal and a new event recorded at the same instant, so a knownAt before it gives
 * the old figures and one after it the new.
 *
 * The balance rule is checked once, for the change as a whole: the replacement is decided against the
 * book with the target already out of its balance timelines. So reducing a payout that a later sale
 * depends on works in one step (reversing it alone would leave the sale short), and an amendment that
 * would leave any balance below zero at any effective time is refused and writes nothing.
 */

/** The command whose codec decodes a replacement, for each event type that can be amended. */
export const AMENDING_COMMAND: Partial<Record<BookEventType, BookCommandName>> = {
  MiningOutputReceived: 'record-mining-output',
  BtcSold: 'record-btc-sale',
  BtcTransferred: 'transfer-btc',
  BtcPriceObserved: 'record-btc-price',
  CollateralPledged: 'pledge-collateral',
  CollateralReleased: 'release-collateral',
  CashCollateralPledged: 'pledge-cash-collateral',
  CashCollateralReleased: 'release-cash-collateral',
  CashMoved: 'record-cash-movement',
  HoldingsReported: 'record-reported-holdings',
  OpeningBalanceRecorded: 'record-opening-balance',
  OpeningCashRecorded: 'record-opening-cash',
  BtcPurchased: 'record-btc-purchase',
  BtcPaid: 'record-btc-payment',
};

/** Loan schedule events: their rules read the loan's term timeline, which a reversal rebuilds; reverse and record them instead. */
const LOAN_SCHEDULE_EVENTS: ReadonlyArray<BookEventType> = [
  'LoanDrawn',
  'InterestAccrued',
  'LoanRepaid',
  'CollateralLiquidated',
  'LoanRepriced',
];

export interface AmendableEvent {
  readonly type: BookEventType;
  readonly effectiveAt: number;
  readonly revision: number;
  readonly effects: ReadonlyArray<BalanceEffect>;
  readonly reversed: boolean;
}

export interface AmendableState {
  readonly revision: number;
  readonly events: ReadonlyMap<string, AmendableEvent>;
  /** Changed while deciding and restored before decide returns. */
  readonly balances: Map<string, BalanceTimeline>;
}

export type AmendBody = Extract<BookCommand, { readonly name: 'amend-event' }>['body'];
type Decision = E.Either<DomainError, ReadonlyArray<BookEvent>>;

const refusalFor = (type: BookEventType): DomainError => {
  if (type === 'EventReversed')
    return ruleViolated('cannot-amend-reversal', 'a reversal cannot be amended: record the event again instead');
  if (LOAN_SCHEDULE_EVENTS.includes(type)) {
    return ruleViolated(
      'cannot-amend-loan-schedule',
      `a ${type} cannot be amended (the loan's schedule is rebuilt from it): reverse it and record the correction`,
    );
  }
  return ruleViolated(
    'cannot-amend-event-type',
    `a ${type} cannot be amended: it is not a recorded fact of the book (opening, settings and approval records are set again instead)`,
  );
};

/** The replacement as a command of `name`, its field errors under `replacement.`. */
export const replacementCommand = (name: BookCommandName, replacement: unknown): E.Either<DomainError, BookCommand> =>
  E.mapLeft((error: DomainError): DomainError =>
    error._tag === 'InvalidCommand'
      ? {
          _tag: 'InvalidCommand',
          errors: error.errors.map(({ path, message }) => ({ path: path === '' ? 'replacement' : `replacement.${path}`, message })),
        }
      : error,
  )(decodeBookCommand(name, replacement));

/**
 * Runs `decide` with the target's balance effects out of the timelines, then puts them back exactly
 * where they were (same effective time and revision): decide sees the book as if the target had been
 * reversed, and the state is unchanged afterwards (single-threaded, restored even on a throw).
 */
const withoutTarget = <A>(state: AmendableState, target: AmendableEvent, decide: () => A): A => {
  const removed: BalanceEffect[] = [];
  try {
    for (const effect of target.effects) {
      state.balances.get(effect.key)!.remove(target.effectiveAt, target.revision);
      removed.push(effect);
    }
    return decide();
  } finally {
    for (const effect of removed) state.balances.get(effect.key)!.insert(target.effectiveAt, target.revision, effect.delta);
  }
};

const sumByKey = (effects: ReadonlyArray<BalanceEffect>): Map<string, bigint> => {
  const sums = new Map<string, bigint>();
  for (const { key, delta } of effects) sums.set(key, (sums.get(key) ?? 0n) + delta);
  return sums;
};

/**
 * The balance rule for the amendment as one change: per balance, the target's deltas come out at its
 * (effectiveAt, revision) and the replacement's go in at (its effectiveAt, `revision`). Changes that
 * raise a balance are applied first, unchecked (they cannot make it negative anywhere); those that
 * lower it are then checked in turn by checkBalances on that intermediate state. That is exact: after
 * the raises the timeline is at or above the final one everywhere, and lowering a valid timeline is
 * checked where it happens and at every later time. The state is restored before returning.
 */
const checkAsOneChange = (
  state: AmendableState,
  target: AmendableEvent,
  replacement: BookEvent,
  revision: number,
): E.Either<DomainError, void> => {
  const timelineOf = (key: string): BalanceTimeline => {
    let found = state.balances.get(key);
    if (found === undefined) {
      found = new BalanceTimeline();
      state.balances.set(key, found);
    }
    return found;
  };
  const removals = sumByKey(target.effects);
  const additions = sumByKey(balanceEffects(replacement));
  const undo: Array<() => void> = [];
  // The target's entries come out of the key's timeline, and go back at the same (time, revision).
  const remove = (key: string): void => {
    const effects = target.effects.filter((effect) => effect.key === key);
    effects.forEach(() => timelineOf(key).remove(target.effectiveAt, target.revision));
    undo.push(() => {
      for (const effect of effects) timelineOf(key).insert(target.effectiveAt, target.revision, effect.delta);
    });
  };
  const add = (key: string, delta: bigint): void => {
    timelineOf(key).insert(replacement.effectiveAt, revision, delta);
    undo.push(() => timelineOf(key).remove(replacement.effectiveAt, revision));
  };
  try {
    for (const [key, delta] of removals) if (delta < 0n) remove(key);
    for (const [key, delta] of additions) if (delta > 0n) add(key, delta);
    for (const [key, delta] of removals) {
      if (delta <= 0n) continue;
      // Checked as a reversal is, with the target's entry still in place; then taken out.
      const refused = checkBalances(state, [{ key, delta }], target.effectiveAt, target.revision, -1n);
      if (E.isLeft(refused)) return refused;
      remove(key);
    }
    for (const [key, delta] of additions) {
      if (delta >= 0n) continue;
      const refused = checkBalances(state, [{ key, delta }], replacement.effectiveAt, revision, 1n);
      if (E.isLeft(refused)) return refused;
      add(key, delta);
    }
    return E.right(undefined);
  } finally {
    for (const step of undo.reverse()) step();
  }
};

export const decideAmendment = (
  state: AmendableState,
  body: AmendBody,
  now: number,
  decideReplacement: (command: BookCommand) => Decision,
): Decision => {
  const target = state.events.get(body.eventId);
  if (target === undefined) return E.left(ruleViolated('unknown-event', `event ${body.eventId} is not in this book`));
  const name = AMENDING_COMMAND[target.type];
  if (name === undefined) return E.left(refusalFor(target.type));
  if (target.reversed) return E.left(ruleViolated('already-reversed', `event ${body.eventId} has already been reversed (or amended)`));
  return E.flatMap((command: BookCommand): Decision =>
    E.flatMap((events: ReadonlyArray<BookEvent>): Decision => {
      const [replacement] = events;
      if (events.length !== 1 || replacement === undefined || replacement.type !== target.type) {
        return E.left(ruleViolated('amendment-type-mismatch', `the replacement must record one ${target.type}`));
      }
      const refused = checkAsOneChange(state, target, replacement, state.revision + 1);
      if (E.isLeft(refused)) return refused;
      const reversal: BookEventOf<'EventReversed'> = {
        type: 'EventReversed',
        effectiveAt: now,
        eventId: body.eventId,
        reason: body.reason,
        amendment: true,
        ...(body.memo === undefined ? {} : { memo: body.memo }),
      };
      return E.right([reversal, replacement]);
    })(withoutTarget(state, target, () => decideReplacement(command))),
  )(replacementCommand(name, body.replacement));
};

/** Whether a reversal was the first half of an amendment (its replacement is the next revision). */
export const isAmendment = (event: BookEvent): boolean => event.type === 'EventReversed' && event.amendment === true;
