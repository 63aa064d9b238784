import { BookEvent, balanceKey } from '@treasury/domain';
import { BookReader, TermLoanFigures, TermLoanIndex, TermLoanIndexSnapshot } from './term-loan-index';

/**
 * The book's loans drawn with a dayCount, each with its TermLoanIndex. A BookProjection plans each
 * event here (pure), commits the plan with appends that cannot fail, and at read time lets each loan
 * adjust the balances: principal less what liquidations covered, interest accrued from the terms plus
 * charges less payments and liquidations' interest, the liquidations' excess in their cash accounts.
 * Loans drawn without a dayCount (before accrual from terms existed) are not here: their figures are
 * their stored balances, exactly as before.
 */
export interface TermLoanPlan {
  readonly commit: () => void;
  /** Balance keys the event touches without moving them (their amounts are computed at read time). */
  readonly touches: ReadonlyArray<string>;
}

export class TermLoans {
  private readonly loans = new Map<string, TermLoanIndex>();
  /** The term loan each principal-changing event belongs to, by revision (to reverse it). */
  private readonly loanOfRevision = new Map<number, string>();

  get size(): number {
    return this.loans.size;
  }

  get(loanId: string): TermLoanIndex | undefined {
    return this.loans.get(loanId);
  }

  /** What folding the event changes here; undefined when it concerns no term loan. */
  plan(event: BookEvent, revision: number, reversal?: { readonly target: number; readonly effectiveAt: number }): TermLoanPlan | undefined {
    if (event.type === 'EventReversed') {
      const loanId = reversal === undefined ? undefined : this.loanOfRevision.get(reversal.target);
      if (loanId === undefined || reversal === undefined) return undefined;
      return { commit: () => this.loans.get(loanId)!.reverse(reversal.target, revision, reversal.effectiveAt), touches: [] };
    }
    if (event.type === 'LoanDrawn') {
      const { dayCount } = event;
      if (dayCount === undefined) return undefined;
      return {
        commit: () => {
          const index = new TermLoanIndex(event.loanId, dayCount, revision, event.effectiveAt, event.annualRate);
          this.loans.set(event.loanId, index);
          this.loanOfRevision.set(revision, event.loanId);
          index.addPrincipal(event.effectiveAt, revision, event.principalUsd);
        },
        // Interest accrues from the drawdown: the loan's interest is a figure from then on.
        touches: [balanceKey.interest(event.loanId)],
      };
    }
    if (!('loanId' in event)) return undefined;
    const index = this.loans.get(event.loanId);
    if (index === undefined) return undefined;
    switch (event.type) {
      case 'LoanRepaid':
        return {
          commit: () => {
            this.loanOfRevision.set(revision, event.loanId);
            if (event.principalUsd !== 0n) index.addPrincipal(event.effectiveAt, revision, -event.principalUsd);
          },
          touches: [],
        };
      case 'LoanRepriced':
        return { commit: () => index.addReprice({ revision, effectiveAt: event.effectiveAt, rate: event.annualRate }), touches: [] };
      case 'CollateralLiquidated':
        return {
          commit: () =>
            index.addLiquidation({ revision, effectiveAt: event.effectiveAt, proceeds: event.proceedsUsd, cashAccount: event.cashAccount }),
          touches: [balanceKey.principal(event.loanId), balanceKey.interest(event.loanId), balanceKey.cash(event.cashAccount)],
        };
      default:
        return undefined;
    }
  }

  /** Each listed term loan's figures at (asOf, version), folded into the balances; returns them by loan. */
  adjust(
    balances: Map<string, bigint>,
    loanIds: ReadonlyArray<string>,
    asOf: number,
    version: number,
    book: BookReader,
  ): Map<string, TermLoanFigures> {
    const found = new Map<string, TermLoanFigures>();
    const add = (key: string, delta: bigint) => balances.set(key, (balances.get(key) ?? 0n) + delta);
    for (const loanId of loanIds) {
      const index = this.loans.get(loanId);
      if (index === undefined) continue;
      const figures = index.figures(asOf, version, book);
      found.set(loanId, figures);
      add(balanceKey.principal(loanId), 0n);
      add(balanceKey.interest(loanId), figures.accruedUsd);
      for (const split of figures.splits) {
        add(balanceKey.principal(loanId), -split.principal);
        add(balanceKey.interest(loanId), -split.interest);
        add(balanceKey.cash(split.cashAccount), split.excess);
      }
    }
    return found;
  }

  toSnapshot(): {
    readonly loans: ReadonlyArray<TermLoanIndexSnapshot>;
    readonly loanOfRevision: ReadonlyArray<readonly [number, string]>;
  } {
    return { loans: [...this.loans.values()].map((index) => index.toSnapshot()), loanOfRevision: [...this.loanOfRevision] };
  }

  static fromSnapshot(snapshot: ReturnType<TermLoans['toSnapshot']> | undefined): TermLoans {
    const termLoans = new TermLoans();
    // A snapshot written before term loans existed has none: every loan in it was drawn without a dayCount.
    if (snapshot === undefined) return termLoans;
    for (const loan of snapshot.loans) termLoans.loans.set(loan.loanId, TermLoanIndex.fromSnapshot(loan));
    for (const [revision, loanId] of snapshot.loanOfRevision) termLoans.loanOfRevision.set(revision, loanId);
    return termLoans;
  }
}
