import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import { PositiveUsd, StoredPositiveUsd } from '../codecs/decimal-codecs';
import { Instant, StoredInstant } from '../codecs/instant';
import { literal } from '../codecs/literal';
import { CashAccount, LoanId, StoredText, Text } from '../codecs/names';
import { withSchema } from '../codecs/schema-registry';

/**
 * Loan risk: cash pledged as collateral, and how old a price may be before the position calls it
 * stale. The events and command bodies live here; their rules in collateral.rules.ts.
 */

/** A price older than this (at the position's asOf) is stale unless the book sets otherwise: one day. */
export const DEFAULT_PRICE_MAX_AGE_SECONDS = 86_400;
/** One year: a staleness threshold beyond it is a typo (a price a year old is stale by any measure). */
export const MAX_PRICE_MAX_AGE_SECONDS = 31_536_000;

const ageRule = `must be a whole number of seconds from 1 to ${MAX_PRICE_MAX_AGE_SECONDS} (one year)`;
const isAge = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= MAX_PRICE_MAX_AGE_SECONDS;
export const PriceMaxAgeSeconds = withSchema(
  new t.Type<number, number, unknown>(
    'PriceMaxAgeSeconds',
    isAge,
    (u, c) => (isAge(u) ? t.success(u) : t.failure(u, c, ageRule)),
    (n) => n,
  ),
  { type: 'integer', minimum: 1, maximum: MAX_PRICE_MAX_AGE_SECONDS, description: ageRule, example: DEFAULT_PRICE_MAX_AGE_SECONDS },
);

/** The stored twin: any positive whole number of seconds (a bound tightened later must not break an old log). */
const isStoredAge = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 1;
export const StoredPriceMaxAgeSeconds = withSchema(
  new t.Type<number, number, unknown>(
    'StoredPriceMaxAgeSeconds',
    isStoredAge,
    (u, c) => (isStoredAge(u) ? t.success(u) : t.failure(u, c, 'must be a positive whole number of seconds')),
    (n) => n,
  ),
  { type: 'integer', minimum: 1 },
);

const note = { memo: StoredText };
const cashCollateralMove = { effectiveAt: StoredInstant, loanId: LoanId, cashAccount: CashAccount, amountUsd: StoredPositiveUsd };

/** Cash moved from a cash account into a loan's collateral: it stays the company's, but cannot be spent. */
export const CashCollateralPledged = closedObject(
  'CashCollateralPledged',
  { type: literal('CashCollateralPledged'), ...cashCollateralMove },
  note,
);
/** Pledged cash returned to a cash account. */
export const CashCollateralReleased = closedObject(
  'CashCollateralReleased',
  { type: literal('CashCollateralReleased'), ...cashCollateralMove },
  note,
);

/** From when it is recorded (its effectiveAt is that moment), a price older than maxAgeSeconds is stale. */
export const PriceStalenessSet = closedObject(
  'PriceStalenessSet',
  { type: literal('PriceStalenessSet'), effectiveAt: StoredInstant, maxAgeSeconds: StoredPriceMaxAgeSeconds },
  note,
);

export const riskEventCodecs = { CashCollateralPledged, CashCollateralReleased, PriceStalenessSet } as const;

const annotations = { reference: Text, memo: Text };
const cashCollateral = { effectiveAt: Instant, loanId: LoanId, cashAccount: CashAccount, amountUsd: PositiveUsd };

export const riskCommandCodecs = {
  'pledge-cash-collateral': closedObject('PledgeCashCollateral', cashCollateral, annotations),
  'release-cash-collateral': closedObject('ReleaseCashCollateral', cashCollateral, annotations),
  'set-price-staleness': closedObject('SetPriceStaleness', { maxAgeSeconds: PriceMaxAgeSeconds }, annotations),
} as const;
