import * as E from 'fp-ts/Either';
import { DomainError, ruleViolated } from '../errors';
import { BalanceEffect, balanceEffects } from '../book/balance-effects';
import { checkBalances } from '../book/balance-rules';
import type { BookEvent, BookEventOf } from '../book/book.events';
import { TermLoanState, checkTermLoanChange, loanEntryOf, otherThanTermLoan, projectedLiquidation } from './loan.rules';

/** The decisions on a term loan's events (loan.rules.ts); a manual-interest loan keeps the book's rules. */
type Decision = E.Either<DomainError, ReadonlyArray<BookEvent>>;

const cashOnly = (event: BookEvent, sign: 1n | -1n) =>
  balanceEffects(event)
    .filter((effect) => effect.key.startsWith('cash|'))
    .map((effect) => ({ key: effect.key, delta: sign * effect.delta }));

export const isTermLoan = (state: TermLoanState, loanId: string): boolean => state.termLoans.has(loanId);

/**
 * A repayment, a charge or a repricing of a term loan: the BTC and other balances by the book's rules,
 * the loan's principal, interest and the cash it moves by the loan's (loan.rules.ts).
 */
export const decideTermLoanEvent = (state: TermLoanState, loanId: string, event: BookEvent, otherwise: () => Decision): Decision => {
  if (!isTermLoan(state, loanId)) return otherwise();
  const revision = state.revision + 1;
  const at = { effectiveAt: event.effectiveAt, revision };
  return E.flatMap(() =>
    E.map(() => [event])(checkTermLoanChange(state, loanId, { add: loanEntryOf(event, revision)! }, cashOnly(event, 1n), at)),
  )(checkBalances(state, otherThanTermLoan(balanceEffects(event)), event.effectiveAt, revision, 1n));
};

/** A liquidation of a term loan: recorded with the split known now, for information; figures split it at read time. */
export const decideTermLiquidation = (
  state: TermLoanState,
  event: Omit<BookEventOf<'CollateralLiquidated'>, 'interestAppliedUsd' | 'principalAppliedUsd' | 'excessUsd' | 'waterfall'>,
  otherwise: () => Decision,
): Decision => {
  if (!isTermLoan(state, event.loanId)) return otherwise();
  const revision = state.revision + 1;
  const draft = projectedLiquidation(event, { interest: 0n, principal: 0n, excess: 0n });
  const at = { effectiveAt: event.effectiveAt, revision };
  return E.flatMap(() =>
    E.map((run: { splits: Map<number, { interest: bigint; principal: bigint; excess: bigint }> }) => [
      projectedLiquidation(event, run.splits.get(revision)!),
    ])(checkTermLoanChange(state, event.loanId, { add: loanEntryOf(draft, revision)! }, [], at)),
  )(checkBalances(state, balanceEffects(draft), event.effectiveAt, revision, 1n));
};

/** reprice-loan: only a loan drawn with a dayCount accrues from its rate. */
export const decideReprice = (state: TermLoanState, event: BookEventOf<'LoanRepriced'>): Decision => {
  if (!isTermLoan(state, event.loanId)) {
    return E.left(
      ruleViolated(
        'manual-interest-loan',
        `loan "${event.loanId}" was drawn without a dayCount: its interest is only what accrue-interest charges, so it has no rate to reprice`,
      ),
    );
  }
  return decideTermLoanEvent(state, event.loanId, event, () => E.right([event]));
};

/**
 * The checks of reversing an event of a term loan, or undefined when the target is not one (the
 * book's rules then apply): its other balances by the book's rules, the loan and cash by the loan's.
 */
export const termLoanReversalCheck = (
  state: TermLoanState,
  target: {
    readonly loanId: string | undefined;
    readonly revision: number;
    readonly effectiveAt: number;
    readonly effects: ReadonlyArray<BalanceEffect>;
  },
): E.Either<DomainError, void> | undefined => {
  const loanId = target.loanId;
  if (loanId === undefined || !isTermLoan(state, loanId)) return undefined;
  const at = { effectiveAt: target.effectiveAt, revision: target.revision };
  const cash = target.effects
    .filter((effect) => effect.key.startsWith('cash|'))
    .map((effect) => ({ key: effect.key, delta: -effect.delta }));
  return E.flatMap(() => E.map(() => undefined)(checkTermLoanChange(state, loanId, { remove: target.revision }, cash, at)))(
    checkBalances(state, otherThanTermLoan(target.effects), target.effectiveAt, target.revision, -1n),
  );
};
