import { closedObject } from '../codecs/closed-object';
import { NonNegativeRatio, StoredNonNegativeRatio } from '../codecs/decimal-codecs';
import { Instant, StoredInstant } from '../codecs/instant';
import { literal } from '../codecs/literal';
import { LoanId, StoredText, Text } from '../codecs/names';

/**
 * Loans accruing from their terms: a floating rate changes by repricing. The rules are in
 * loan.rules.ts, the accrual and the liquidation waterfall in libs/projections/src/loans.
 */

/** From effectiveAt on, the loan accrues at annualRate (a loan drawn with a dayCount only). */
export const LoanRepriced = closedObject(
  'LoanRepriced',
  { type: literal('LoanRepriced'), effectiveAt: StoredInstant, loanId: LoanId, annualRate: StoredNonNegativeRatio },
  { memo: StoredText },
);

export const loanEventCodecs = { LoanRepriced } as const;

export const loanCommandCodecs = {
  'reprice-loan': closedObject(
    'RepriceLoan',
    { effectiveAt: Instant, loanId: LoanId, annualRate: NonNegativeRatio },
    { reference: Text, memo: Text },
  ),
} as const;
