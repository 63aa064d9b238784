import * as E from 'fp-ts/Either';
import { formatInstant } from '../codecs/instant';
import { DomainError, ruleViolated } from '../errors';
import { divRoundHalfEven, formatUsd, minBigint } from '../money/decimal';
import { BalanceEffect, balanceKey, parseBalanceKey } from '../book/balance-effects';
import { BalanceTimeline } from '../book/balance-timeline';
import type { BookEvent, BookEventOf } from '../book/book.events';
import { DayCount, accrualDenominator, dayCountTime } from './day-count';

/**
 * The rules of loans drawn with a dayCount ("term loans"): interest accrues from the terms, and a
 * liquidation's proceeds are split at read time. What is owed at any effective time depends on the
 * whole timeline of the loan, so the rules replay that loan's own events (few, compared with the
 * book) in effective order, exactly:
 *
 * - principal P: + draw − principal repaid − principal covered by liquidations;
 * - interest I (exact, in cents × D where D = 1e6 × days per year × ms per day): + rate × P × Δτ
 *   between events, + accrue-interest charges, − interest paid, − interest covered by liquidations;
 * - a liquidation covers min(proceeds, I rounded half-even to the cent) of interest, then
 *   min(the rest, P) of principal; the excess goes to its cash account.
 *
 * A change (a new event, or a reversal) is refused if P would be negative, or I would round below zero,
 * right after any event from its place on: interest only grows between events, so those are the only
 * places it can be lowest. A change also moves the cash of later liquidations (their excess): the cash
 * accounts must stay at or above zero at every effective time, as for any other cash movement.
 */

export type LoanEntryKind = 'draw' | 'repay' | 'charge' | 'liquidate' | 'reprice';

export interface LoanEntry {
  readonly revision: number;
  readonly effectiveAt: number;
  readonly kind: LoanEntryKind;
  /** draw: principal drawn; repay: principal repaid. */
  readonly principal: bigint;
  /** repay: interest paid; charge: interest charged. */
  readonly interest: bigint;
  /** liquidate: proceeds. */
  readonly proceeds: bigint;
  /** draw, reprice: the annual rate from then on (micros). */
  readonly rate: bigint;
  readonly cashAccount: string;
}

export interface TermLoan {
  readonly dayCount: DayCount;
  /** Live entries, sorted by (effectiveAt, revision). */
  entries: LoanEntry[];
  /** The excess each live liquidation has booked in its cash account's timeline, by revision. */
  readonly cashBooked: Map<number, { readonly account: string; readonly effectiveAt: number; excess: bigint }>;
}

export interface LiquidationSplit {
  readonly interest: bigint;
  readonly principal: bigint;
  readonly excess: bigint;
}

interface Shortfall {
  readonly kind: 'principal' | 'interest';
  readonly at: number;
  readonly amount: bigint;
}

interface LoanRun {
  readonly splits: Map<number, LiquidationSplit>;
  readonly shortfall: Shortfall | undefined;
}

/** The state the rules need: BookState's loans and balances. */
export interface TermLoanState {
  readonly termLoans: Map<string, TermLoan>;
  readonly balances: Map<string, BalanceTimeline>;
  readonly revision: number;
}

const key = (e: { effectiveAt: number; revision: number }) => ({ effectiveAt: e.effectiveAt, revision: e.revision });
const before = (a: { effectiveAt: number; revision: number }, b: { effectiveAt: number; revision: number }) =>
  a.effectiveAt < b.effectiveAt || (a.effectiveAt === b.effectiveAt && a.revision < b.revision);

const entry = (partial: Partial<LoanEntry> & Pick<LoanEntry, 'revision' | 'effectiveAt' | 'kind'>): LoanEntry => ({
  principal: 0n,
  interest: 0n,
  proceeds: 0n,
  rate: 0n,
  cashAccount: '',
  ...partial,
});

/** The loan entry an event makes, if it is one of a loan's own events. */
export const loanEntryOf = (event: BookEvent, revision: number): LoanEntry | undefined => {
  const at = { revision, effectiveAt: event.effectiveAt };
  switch (event.type) {
    case 'LoanDrawn':
      return entry({ ...at, kind: 'draw', principal: event.principalUsd, rate: event.annualRate });
    case 'LoanRepaid':
      return entry({ ...at, kind: 'repay', principal: event.principalUsd, interest: event.interestUsd });
    case 'InterestAccrued':
      return entry({ ...at, kind: 'charge', interest: event.interestUsd });
    case 'CollateralLiquidated':
      return entry({ ...at, kind: 'liquidate', proceeds: event.proceedsUsd, cashAccount: event.cashAccount });
    case 'LoanRepriced':
      return entry({ ...at, kind: 'reprice', rate: event.annualRate });
    default:
      return undefined;
  }
};

/** Replays a loan's entries; checks each place at or after `checkFrom` (if given). */
export const runLoan = (
  dayCount: DayCount,
  entries: ReadonlyArray<LoanEntry>,
  checkFrom?: { effectiveAt: number; revision: number },
): LoanRun => {
  const D = accrualDenominator(dayCount);
  const splits = new Map<number, LiquidationSplit>();
  let principal = 0n;
  let interest = 0n;
  let rate = 0n;
  let lastTau: number | undefined;
  let shortfall: Shortfall | undefined;
  for (const e of entries) {
    const tau = dayCountTime(dayCount, e.effectiveAt);
    if (lastTau !== undefined) interest += rate * principal * BigInt(tau - lastTau);
    lastTau = tau;
    switch (e.kind) {
      case 'draw':
        principal += e.principal;
        rate = e.rate;
        break;
      case 'reprice':
        rate = e.rate;
        break;
      case 'repay':
        principal -= e.principal;
        interest -= e.interest * D;
        break;
      case 'charge':
        interest += e.interest * D;
        break;
      case 'liquidate': {
        const owed = divRoundHalfEven(interest, D);
        const toInterest = minBigint(e.proceeds, owed > 0n ? owed : 0n);
        const toPrincipal = minBigint(e.proceeds - toInterest, principal > 0n ? principal : 0n);
        splits.set(e.revision, { interest: toInterest, principal: toPrincipal, excess: e.proceeds - toInterest - toPrincipal });
        principal -= toPrincipal;
        interest -= toInterest * D;
        break;
      }
    }
    if (shortfall === undefined && checkFrom !== undefined && !before(e, checkFrom)) {
      if (principal < 0n) shortfall = { kind: 'principal', at: e.effectiveAt, amount: principal };
      // Owed interest is shown rounded half-even: it may not round below zero (I >= -D/2).
      else if (2n * interest < -D) shortfall = { kind: 'interest', at: e.effectiveAt, amount: divRoundHalfEven(interest, D) };
    }
  }
  return { splits, shortfall };
};

const insertSorted = (entries: ReadonlyArray<LoanEntry>, added: LoanEntry): LoanEntry[] => {
  const out = [...entries];
  let index = out.length;
  while (index > 0 && before(added, out[index - 1]!)) index -= 1;
  out.splice(index, 0, added);
  return out;
};

/** What a change does to a loan: add an entry, or take one out (a reversal). */
export type LoanChange = { readonly add: LoanEntry } | { readonly remove: number };

/**
 * Checks a change to a term loan: the loan's own balances (see above), and every cash account it
 * moves, counting `cashEffects` (the change's own cash movements, e.g. a repayment paid from an
 * account) at `cashAt` together with the excess of every liquidation it moves.
 */
export const checkTermLoanChange = (
  state: TermLoanState,
  loanId: string,
  change: LoanChange,
  cashEffects: ReadonlyArray<BalanceEffect>,
  cashAt: { effectiveAt: number; revision: number },
): E.Either<DomainError, LoanRun> => {
  const loan = state.termLoans.get(loanId)!;
  const removed = 'remove' in change ? loan.entries.find((e) => e.revision === change.remove) : undefined;
  const entries = 'add' in change ? insertSorted(loan.entries, change.add) : loan.entries.filter((e) => e.revision !== change.remove);
  const from = 'add' in change ? key(change.add) : removed === undefined ? undefined : key(removed);
  const run = runLoan(loan.dayCount, entries, from);
  if (run.shortfall !== undefined) {
    const { kind, at, amount } = run.shortfall;
    return E.left(
      kind === 'principal'
        ? ruleViolated(
            'exceeds-outstanding-principal',
            `loan "${loanId}" would have ${formatUsd(amount)} USD of principal outstanding at ${formatInstant(at)}`,
          )
        : ruleViolated(
            'exceeds-accrued-interest',
            `loan "${loanId}" would have ${formatUsd(amount)} USD of interest owed at ${formatInstant(at)} (accrued from its terms, charged, less paid)`,
          ),
    );
  }
  // Cash: the change's own movements, and each liquidation's excess as it moves.
  const moves: Array<{ account: string; effectiveAt: number; revision: number; delta: bigint }> = [];
  for (const effect of cashEffects) {
    const { kind, parts } = parseBalanceKey(effect.key);
    if (kind === 'cash')
      moves.push({ account: parts[0]!, effectiveAt: cashAt.effectiveAt, revision: cashAt.revision + 0.5, delta: effect.delta });
  }
  for (const e of entries) {
    if (e.kind !== 'liquidate') continue;
    const delta = run.splits.get(e.revision)!.excess - (loan.cashBooked.get(e.revision)?.excess ?? 0n);
    if (delta !== 0n) moves.push({ account: e.cashAccount, effectiveAt: e.effectiveAt, revision: e.revision + 0.5, delta });
  }
  const gone = removed?.kind === 'liquidate' ? loan.cashBooked.get(removed.revision) : undefined;
  if (gone !== undefined && gone.excess !== 0n)
    moves.push({ account: gone.account, effectiveAt: gone.effectiveAt, revision: removed!.revision + 0.5, delta: -gone.excess });
  const refusal = cashRefusal(state, moves);
  return refusal === undefined ? E.right(run) : E.left(refusal);
};

/**
 * Whether a set of cash movements would take an account below zero somewhere. Increases go in first
 * (they only help), then the decreases latest first; the earliest decrease is checked with all the
 * others in place, which covers every effective time it and the others affect. All are taken out again.
 */
const cashRefusal = (
  state: TermLoanState,
  moves: ReadonlyArray<{ account: string; effectiveAt: number; revision: number; delta: bigint }>,
): DomainError | undefined => {
  const accounts = new Set(moves.map((m) => m.account));
  for (const account of accounts) {
    const timeline = state.balances.get(balanceKey.cash(account)) ?? new BalanceTimeline();
    const mine = moves.filter((m) => m.account === account && m.delta !== 0n);
    const decreases = mine.filter((m) => m.delta < 0n).sort((a, b) => (before(a, b) ? 1 : -1));
    if (decreases.length === 0) continue;
    const earliest = decreases.pop()!;
    const placed = [...mine.filter((m) => m.delta > 0n), ...decreases];
    for (const m of placed) timeline.insert(m.effectiveAt, m.revision, m.delta);
    const shortfall = timeline.firstShortfall(earliest.effectiveAt, earliest.revision, earliest.delta);
    for (const m of placed) timeline.remove(m.effectiveAt, m.revision);
    if (shortfall !== undefined) {
      return ruleViolated(
        'insufficient-cash',
        `cash account "${account}" would hold ${formatUsd(shortfall.balance)} USD at ${formatInstant(shortfall.at)}`,
      );
    }
  }
  return undefined;
};

/** Effects other rules check for a term loan: its principal and interest are checked here, and so is cash. */
export const otherThanTermLoan = (effects: ReadonlyArray<BalanceEffect>): BalanceEffect[] =>
  effects.filter((effect) => !['principal', 'interest', 'cash'].includes(parseBalanceKey(effect.key).kind));

/** The split a new liquidation gets as known when it is recorded (stored for information only). */
export const splitAtRecording = (run: LoanRun, revision: number): LiquidationSplit => run.splits.get(revision)!;

/** Keeps the term loans' entries, and the liquidations' excess in the cash timelines, up to date. */
export const evolveTermLoans = (
  state: TermLoanState,
  event: BookEvent,
  revision: number,
  reversed?: { readonly loanId: string | undefined; readonly revision: number },
): void => {
  let loanId: string | undefined;
  if (event.type === 'EventReversed') {
    if (reversed?.loanId === undefined) return;
    loanId = reversed.loanId;
    const loan = state.termLoans.get(loanId);
    if (loan === undefined) return;
    loan.entries = loan.entries.filter((e) => e.revision !== reversed.revision);
    const booked = loan.cashBooked.get(reversed.revision);
    if (booked !== undefined) {
      timelineOf(state, booked.account).remove(booked.effectiveAt, reversed.revision);
      loan.cashBooked.delete(reversed.revision);
    }
  } else {
    if (event.type === 'LoanDrawn') {
      if (event.dayCount === undefined) return;
      state.termLoans.set(event.loanId, { dayCount: event.dayCount, entries: [], cashBooked: new Map() });
    }
    if (!('loanId' in event)) return;
    loanId = event.loanId;
    const loan = state.termLoans.get(loanId);
    const added = loanEntryOf(event, revision);
    if (loan === undefined || added === undefined) return;
    loan.entries = insertSorted(loan.entries, added);
  }
  syncLiquidationCash(state, state.termLoans.get(loanId)!);
};

const timelineOf = (state: TermLoanState, account: string): BalanceTimeline => {
  const key = balanceKey.cash(account);
  let found = state.balances.get(key);
  if (found === undefined) {
    found = new BalanceTimeline();
    state.balances.set(key, found);
  }
  return found;
};

const syncLiquidationCash = (state: TermLoanState, loan: TermLoan): void => {
  if (!loan.entries.some((e) => e.kind === 'liquidate')) return;
  const { splits } = runLoan(loan.dayCount, loan.entries);
  for (const e of loan.entries) {
    if (e.kind !== 'liquidate') continue;
    const excess = splits.get(e.revision)!.excess;
    const booked = loan.cashBooked.get(e.revision);
    if (booked !== undefined && booked.excess === excess) continue;
    const timeline = timelineOf(state, e.cashAccount);
    if (booked !== undefined) timeline.remove(e.effectiveAt, e.revision);
    timeline.insert(e.effectiveAt, e.revision, excess);
    loan.cashBooked.set(e.revision, { account: e.cashAccount, effectiveAt: e.effectiveAt, excess });
  }
};

/** A liquidation of a term loan: its BTC leaves the pledge now, its proceeds are split at read time. */
export const projectedLiquidation = (
  event: Omit<BookEventOf<'CollateralLiquidated'>, 'interestAppliedUsd' | 'principalAppliedUsd' | 'excessUsd' | 'waterfall'>,
  split: LiquidationSplit,
): BookEventOf<'CollateralLiquidated'> => ({
  ...event,
  interestAppliedUsd: split.interest,
  principalAppliedUsd: split.principal,
  excessUsd: split.excess,
  waterfall: 'projected',
});
