import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import {
  StoredNonNegativeBtc,
  StoredNonNegativeRatio,
  StoredNonNegativeUsd,
  StoredNonZeroSignedUsd,
  StoredPositiveBtc,
  StoredPositiveRatio,
  StoredPositiveUsd,
} from '../codecs/decimal-codecs';
import { StoredInstant } from '../codecs/instant';
import { literal } from '../codecs/literal';
import { withSchema } from '../codecs/schema-registry';
import { CashAccount, EventId, LoanId, StoredText, WalletName } from '../codecs/names';
import { ApprovalPolicySet, CommandProposed, ProposalApproved, ProposalRejected } from './approval.codecs';
import { StoredTimeZone } from '../calendar/time-zone';
import { ReportScope } from './report-scope';
import { CashCollateralPledged, CashCollateralReleased, PriceStalenessSet } from './risk.codecs';
import { DayCountCodec } from '../loans/day-count';
import { LoanRepriced } from '../loans/loan.codecs';
import { BtcPaid, BtcPurchased, OpeningBalanceRecorded, OpeningCashRecorded } from './acquisitions.codecs';
import { BookWentLive, MigratingFlag } from './migration.codecs';
import { AccountMappingSet } from './accounting.codecs';
import { WebhookDisabled, WebhookRedeliveryRequested, WebhookRegistered } from './webhook.codecs';

/**
 * The facts a book records. Every event is immutable once appended: mistakes are corrected by an
 * EventReversed (or a compensating event), never by an edit. Amounts inside are bigint minor units:
 * BTC fields are satoshis, *Usd fields cents, rates and LTVs micros.
 *
 * These codecs read the log, so they use the Stored* leaf codecs: the formats without the domain
 * bounds that commands enforce (amount ceilings, the instant range, the rules on free text). An event
 * appended before a bound existed was valid when written and must still decode; every event a
 * command can produce today is within the bounds anyway (a property test checks that each bounded
 * codec accepts only what its stored twin accepts).
 */
const common = { effectiveAt: StoredInstant };
const note = { memo: StoredText };

/**
 * `timeZone` is the book's calendar (month ends, days); a book opened before it existed has none and keeps UTC.
 * `migrating`: opened in migration mode (migration.rules.ts); absent for a book opened live.
 */
export const BookOpened = closedObject(
  'BookOpened',
  { type: literal('BookOpened'), ...common, name: StoredText },
  { timeZone: StoredTimeZone, migrating: MigratingFlag },
);

export const MiningOutputReceived = closedObject(
  'MiningOutputReceived',
  { type: literal('MiningOutputReceived'), ...common, wallet: WalletName, btc: StoredPositiveBtc, usdPerBtc: StoredPositiveUsd },
  { pool: StoredText, periodStart: StoredInstant, periodEnd: StoredInstant, ...note },
);

export const BtcSold = closedObject(
  'BtcSold',
  {
    type: literal('BtcSold'),
    ...common,
    wallet: WalletName,
    btc: StoredPositiveBtc,
    proceedsUsd: StoredPositiveUsd,
    feesUsd: StoredNonNegativeUsd,
    cashAccount: CashAccount,
  },
  { venue: StoredText, ...note },
);

export const BtcTransferred = closedObject(
  'BtcTransferred',
  {
    type: literal('BtcTransferred'),
    ...common,
    fromWallet: WalletName,
    toWallet: WalletName,
    btc: StoredPositiveBtc,
    feeBtc: StoredNonNegativeBtc,
  },
  note,
);

export const BtcPriceObserved = closedObject(
  'BtcPriceObserved',
  { type: literal('BtcPriceObserved'), ...common, usdPerBtc: StoredPositiveUsd },
  { source: StoredText, ...note },
);

/**
 * `dayCount`: interest accrues from annualRate under that convention. A LoanDrawn without it (every
 * drawdown recorded before accrual from terms existed) is a manual-interest loan: it accrues nothing
 * from its terms, only what accrue-interest charges, and its liquidations keep their stored split.
 */
export const LoanDrawn = closedObject(
  'LoanDrawn',
  {
    type: literal('LoanDrawn'),
    ...common,
    loanId: LoanId,
    lender: StoredText,
    principalUsd: StoredPositiveUsd,
    annualRate: StoredNonNegativeRatio,
    marginCallLtv: StoredPositiveRatio,
    liquidationLtv: StoredPositiveRatio,
    cashAccount: CashAccount,
  },
  { maturityAt: StoredInstant, dayCount: DayCountCodec, ...note },
);

const collateralMove = { ...common, loanId: LoanId, wallet: WalletName, btc: StoredPositiveBtc };
export const CollateralPledged = closedObject('CollateralPledged', { type: literal('CollateralPledged'), ...collateralMove }, note);
export const CollateralReleased = closedObject('CollateralReleased', { type: literal('CollateralReleased'), ...collateralMove }, note);

export const InterestAccrued = closedObject(
  'InterestAccrued',
  { type: literal('InterestAccrued'), ...common, loanId: LoanId, interestUsd: StoredPositiveUsd },
  note,
);

export const LoanRepaid = closedObject(
  'LoanRepaid',
  {
    type: literal('LoanRepaid'),
    ...common,
    loanId: LoanId,
    principalUsd: StoredNonNegativeUsd,
    interestUsd: StoredNonNegativeUsd,
    cashAccount: CashAccount,
  },
  note,
);

/** The lender sold pledged BTC; proceeds go to interest owed, then principal, then cash (fixed when recorded unless `waterfall` is 'projected'). */
export const CollateralLiquidated = closedObject(
  'CollateralLiquidated',
  {
    type: literal('CollateralLiquidated'),
    ...collateralMove,
    proceedsUsd: StoredPositiveUsd,
    interestAppliedUsd: StoredNonNegativeUsd,
    principalAppliedUsd: StoredNonNegativeUsd,
    excessUsd: StoredNonNegativeUsd,
    cashAccount: CashAccount,
  },
  // 'projected' (liquidations of loans drawn with a dayCount): the split above is only what was known
  // when recorded; the figures split the proceeds at read time (libs/projections/src/loans/waterfall).
  { waterfall: literal('projected'), ...note },
);

export const CashMoved = closedObject(
  'CashMoved',
  { type: literal('CashMoved'), ...common, cashAccount: CashAccount, amountUsd: StoredNonZeroSignedUsd, category: StoredText },
  { counterparty: StoredText, ...note },
);

/** Takes its target off the timeline from the moment it is recorded; its effectiveAt is that moment. */
export const EventReversed = closedObject(
  'EventReversed',
  { type: literal('EventReversed'), ...common, eventId: EventId, reason: StoredText },
  // amendment: the first half of an amend-event; its replacement is the next revision (amend.rules.ts). Absent: a plain reversal.
  { ...note, amendment: withSchema(t.literal(true), { type: 'boolean', enum: [true] }) },
);

/** Who published a reported figure: reconciliation tells them apart. */
const REPORT_SOURCES = ['operational-update', 'custodian-statement', 'lender-statement'] as const;
export const ReportSource = withSchema(
  t.keyof(
    Object.fromEntries(REPORT_SOURCES.map((source) => [source, null])) as Record<(typeof REPORT_SOURCES)[number], null>,
    'ReportSource',
  ),
  { type: 'string', enum: [...REPORT_SOURCES], description: 'who published the figures' },
);

/**
 * Figures published outside the ledger (a monthly operational update, a custodian or lender statement)
 * as of effectiveAt, to reconcile the ledger against. Mined and sold cover [periodStart, effectiveAt].
 */
export const HoldingsReported = closedObject(
  'HoldingsReported',
  { type: literal('HoldingsReported'), ...common, btc: StoredNonNegativeBtc, periodStart: StoredInstant, source: ReportSource },
  {
    pledgedBtc: StoredNonNegativeBtc,
    minedBtc: StoredNonNegativeBtc,
    soldBtc: StoredNonNegativeBtc,
    scope: ReportScope,
    outstandingUsd: StoredNonNegativeUsd,
    ...note,
  },
);

/** The BTC difference beyond which reconciliation flags a report (until set again). */
export const ReconciliationToleranceSet = closedObject(
  'ReconciliationToleranceSet',
  { type: literal('ReconciliationToleranceSet'), ...common, btc: StoredNonNegativeBtc },
  // No source: the book-wide tolerance (what every setting meant before sources); usd applies to USD lines.
  { source: ReportSource, usd: StoredNonNegativeUsd, ...note },
);

export const bookEventCodecs = {
  BookOpened,
  MiningOutputReceived,
  BtcSold,
  BtcTransferred,
  BtcPriceObserved,
  LoanDrawn,
  CollateralPledged,
  CollateralReleased,
  InterestAccrued,
  LoanRepaid,
  CollateralLiquidated,
  CashMoved,
  EventReversed,
  HoldingsReported,
  ReconciliationToleranceSet,
  ApprovalPolicySet,
  CommandProposed,
  ProposalApproved,
  ProposalRejected,
  // Event types are stored in projection snapshots by the fixed codes of libs/projections/src/book/event-type-codes.ts (a new type needs a code there).
  CashCollateralPledged,
  CashCollateralReleased,
  PriceStalenessSet,
  LoanRepriced,
  OpeningBalanceRecorded,
  OpeningCashRecorded,
  BtcPurchased,
  BtcPaid,
  BookWentLive,
  AccountMappingSet,
  WebhookRegistered,
  WebhookDisabled,
  WebhookRedeliveryRequested,
} as const;

export type BookEventType = keyof typeof bookEventCodecs;
export type BookEvent = { [K in BookEventType]: t.TypeOf<(typeof bookEventCodecs)[K]> }[BookEventType];
export type BookEventOf<K extends BookEventType> = Extract<BookEvent, { type: K }>;

export const isBookEventType = (type: unknown): type is BookEventType =>
  typeof type === 'string' && Object.prototype.hasOwnProperty.call(bookEventCodecs, type);

/** The union codec, dispatching on `type` so decoding stays one lookup plus one object check. */
export const BookEventCodec = new t.Type<BookEvent, Record<string, unknown>, unknown>(
  'BookEvent',
  (u): u is BookEvent => typeof u === 'object' && u !== null && isBookEventType((u as { type?: unknown }).type),
  (u, c) => {
    const type = typeof u === 'object' && u !== null ? (u as { type?: unknown }).type : undefined;
    if (!isBookEventType(type)) return t.failure(u, c, `unknown event type ${JSON.stringify(type)}`);
    return bookEventCodecs[type].validate(u, c) as t.Validation<BookEvent>;
  },
  (event) => (bookEventCodecs[event.type] as t.Type<BookEvent, Record<string, unknown>>).encode(event),
);
