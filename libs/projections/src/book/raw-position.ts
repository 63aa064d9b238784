import type { BookEventOf, DayCount } from '@treasury/domain';

/** A loan's terms as drawn. */
export interface LoanTerms {
  readonly loanId: string;
  readonly lender: string;
  readonly annualRate: bigint;
  readonly marginCallLtv: bigint;
  readonly liquidationLtv: bigint;
  readonly maturityAt?: number;
  /** How interest accrues from annualRate; absent: a loan drawn before accrual from terms (manual interest only). */
  readonly dayCount?: DayCount;
}

/** A drawdown's terms, as both the projection and the naive replay read them. */
export const loanTerms = (event: BookEventOf<'LoanDrawn'>): LoanTerms => ({
  loanId: event.loanId,
  lender: event.lender,
  annualRate: event.annualRate,
  marginCallLtv: event.marginCallLtv,
  liquidationLtv: event.liquidationLtv,
  ...(event.maturityAt === undefined ? {} : { maturityAt: event.maturityAt }),
  ...(event.dayCount === undefined ? {} : { dayCount: event.dayCount }),
});

/**
 * What a position is computed from: balance sums keyed like balanceEffects, the FIFO totals and the
 * price. Both the indexed projection and the naive replay produce this, and `positionFrom` turns it
 * into figures, so the two can be compared exactly.
 */
export interface RawPosition {
  readonly asOf: number;
  readonly version: number;
  /** balanceEffects keys touched by a live event at or before asOf, with their sums. */
  readonly balances: ReadonlyMap<string, bigint>;
  readonly loans: ReadonlyArray<LoanTerms & { readonly drawnAt: number }>;
  readonly acquiredBtc: bigint;
  readonly acquiredCostUsd: bigint;
  readonly disposedBtc: bigint;
  readonly proceedsUsd: bigint;
  /** Cost of the first `disposedBtc` satoshis acquired: what the disposals relieved, FIFO. */
  readonly relievedCostUsd: bigint;
  /**
   * Cost basis of the opening lots in the FIFO queue (acquiredAt <= asOf) but not held yet (effectiveAt >
   * asOf): in acquiredCostUsd, not in the holdings, never relieved (the book refuses a disposal in that window).
   */
  readonly openingPendingUsd: bigint;
  readonly price: { readonly usdPerBtc: bigint; readonly effectiveAt: number } | null;
  /** The price staleness threshold in force at the version (a book setting, by recorded time). */
  readonly priceMaxAgeSeconds: number;
}
