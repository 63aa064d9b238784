import type { BookEventOf } from './book.events';

/**
 * The events of the loan-risk commands. The rules themselves are the book's usual ones, applied by
 * the decider: the loan must be drawn (and not reversed) by effectiveAt, and no balance may go below
 * zero at any effective time. A pledge moves cash from `cash|<account>` to
 * `pledged-cash|<loan>|<account>` (see balanceEffects), so pledged cash cannot be spent and no more
 * can be released than was pledged from that account, back-dated or reversed events included.
 */
export const cashCollateralEvent = (
  name: 'pledge-cash-collateral' | 'release-cash-collateral',
  body: { readonly loanId: string; readonly cashAccount: string; readonly amountUsd: bigint; readonly memo?: string },
  effectiveAt: number,
): BookEventOf<'CashCollateralPledged'> | BookEventOf<'CashCollateralReleased'> => ({
  type: name === 'pledge-cash-collateral' ? 'CashCollateralPledged' : 'CashCollateralReleased',
  effectiveAt,
  loanId: body.loanId,
  cashAccount: body.cashAccount,
  amountUsd: body.amountUsd,
  ...(body.memo === undefined ? {} : { memo: body.memo }),
});

/** A book setting, like the reconciliation tolerance: it applies from when it is recorded. */
export const priceStalenessEvent = (
  body: { readonly maxAgeSeconds: number; readonly memo?: string },
  now: number,
): BookEventOf<'PriceStalenessSet'> => ({
  type: 'PriceStalenessSet',
  effectiveAt: now,
  maxAgeSeconds: body.maxAgeSeconds,
  ...(body.memo === undefined ? {} : { memo: body.memo }),
});
