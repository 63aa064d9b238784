import { balanceKey, formatRatio } from '@treasury/domain';
import type { BookProjection, EventContribution } from '../book/book-projection';

/** An event's part in a figure, with the detail and formula an auditor needs to check it. */
export interface TermLoanContribution extends EventContribution {
  readonly detail: Readonly<Record<string, bigint>>;
  readonly formula?: string;
}

/**
 * What loans drawn with a dayCount add to a sum of balances at (asOf, version), beyond their events' own
 * deltas: the interest accrued from the terms (one line, on the drawdown, with its exact fraction and
 * the formula), and each liquidation's projected split (interest, principal, excess to cash).
 * `weightOf` is the figure's weight per balance key, as for the other contributions.
 */
export const termLoanContributions = (
  projection: BookProjection,
  weightOf: (key: string) => bigint,
  asOf: number,
  version: number,
): TermLoanContribution[] => {
  const lines: TermLoanContribution[] = [];
  for (const loan of projection.raw(asOf, version).loans) {
    const figures = projection.termLoanFigures(loan.loanId, asOf, version);
    const drawdown = projection.drawdownOf(loan.loanId);
    if (figures === undefined || drawdown === undefined || loan.dayCount === undefined) continue;
    const interestWeight = weightOf(balanceKey.interest(loan.loanId));
    const principalWeight = weightOf(balanceKey.principal(loan.loanId));
    if (interestWeight !== 0n) {
      const days = loan.dayCount === 'act/365' ? 365 : 360;
      lines.push({
        ...projection.eventAt(drawdown, interestWeight * figures.accruedUsd),
        detail: { accruedFromTermsUsd: figures.accruedUsd },
        formula:
          `interest accrued from the terms (${loan.dayCount}) = Σ annualRate × ∫ principal dτ / ${days} days, to ${new Date(asOf).toISOString()}: ` +
          `exactly ${figures.accruedNumerator}/${figures.accruedDenominator} cents, rounded half-even once; annualRate now ${formatRatio(figures.rate)}`,
      });
    }
    for (const split of figures.splits) {
      const cashWeight = weightOf(balanceKey.cash(split.cashAccount));
      if (interestWeight === 0n && principalWeight === 0n && cashWeight === 0n) continue;
      lines.push({
        ...projection.eventAt(
          split.revision,
          -interestWeight * split.interest - principalWeight * split.principal + cashWeight * split.excess,
        ),
        detail: { interestAppliedUsd: split.interest, principalAppliedUsd: split.principal, excessUsd: split.excess },
        formula:
          'liquidation waterfall, split at read time: proceeds to the interest owed just before it, then principal, the excess to cash',
      });
    }
  }
  return lines;
};
