import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import {
  NonNegativeBtc,
  NonNegativeRatio,
  NonNegativeUsd,
  NonZeroSignedUsd,
  PositiveBtc,
  PositiveRatio,
  PositiveUsd,
} from '../codecs/decimal-codecs';
import { Instant } from '../codecs/instant';
import { literal } from '../codecs/literal';
import { withSchema } from '../codecs/schema-registry';
import { CashAccount, EventId, LoanId, Text, WalletName } from '../codecs/names';

/**
 * The facts a book records. Every event is immutable once appended: mistakes are corrected by an
 * EventReversed (or a compensating event), never by an edit. Amounts inside are bigint minor units:
 * BTC fields are satoshis, *Usd fields cents, rates and LTVs micros.
 */
const common = { effectiveAt: Instant };
const note = { memo: Text };

export const BookOpened = closedObject('BookOpened', { type: literal('BookOpened'), ...common, name: Text });

export const MiningOutputReceived = closedObject(
  'MiningOutputReceived',
  { type: literal('MiningOutputReceived'), ...common, wallet: WalletName, btc: PositiveBtc, usdPerBtc: PositiveUsd },
  { pool: Text, periodStart: Instant, periodEnd: Instant, ...note },
);

export const BtcSold = closedObject(
  'BtcSold',
  {
    type: literal('BtcSold'),
    ...common,
    wallet: WalletName,
    btc: PositiveBtc,
    proceedsUsd: PositiveUsd,
    feesUsd: NonNegativeUsd,
    cashAccount: CashAccount,
  },
  { venue: Text, ...note },
);

export const BtcTransferred = closedObject(
  'BtcTransferred',
  { type: literal('BtcTransferred'), ...common, fromWallet: WalletName, toWallet: WalletName, btc: PositiveBtc, feeBtc: NonNegativeBtc },
  note,
);

export const BtcPriceObserved = closedObject(
  'BtcPriceObserved',
  { type: literal('BtcPriceObserved'), ...common, usdPerBtc: PositiveUsd },
  { source: Text, ...note },
);

export const LoanDrawn = closedObject(
  'LoanDrawn',
  {
    type: literal('LoanDrawn'),
    ...common,
    loanId: LoanId,
    lender: Text,
    principalUsd: PositiveUsd,
    annualRate: NonNegativeRatio,
    marginCallLtv: PositiveRatio,
    liquidationLtv: PositiveRatio,
    cashAccount: CashAccount,
  },
  { maturityAt: Instant, ...note },
);

const collateralMove = { ...common, loanId: LoanId, wallet: WalletName, btc: PositiveBtc };
export const CollateralPledged = closedObject('CollateralPledged', { type: literal('CollateralPledged'), ...collateralMove }, note);
export const CollateralReleased = closedObject('CollateralReleased', { type: literal('CollateralReleased'), ...collateralMove }, note);

export const InterestAccrued = closedObject(
  'InterestAccrued',
  { type: literal('InterestAccrued'), ...common, loanId: LoanId, interestUsd: PositiveUsd },
  note,
);

export const LoanRepaid = closedObject(
  'LoanRepaid',
  {
    type: literal('LoanRepaid'),
    ...common,
    loanId: LoanId,
    principalUsd: NonNegativeUsd,
    interestUsd: NonNegativeUsd,
    cashAccount: CashAccount,
  },
  note,
);

/** The lender sold pledged BTC; the split of the proceeds is fixed when recorded (interest, then principal, then cash). */
export const CollateralLiquidated = closedObject(
  'CollateralLiquidated',
  {
    type: literal('CollateralLiquidated'),
    ...collateralMove,
    proceedsUsd: PositiveUsd,
    interestAppliedUsd: NonNegativeUsd,
    principalAppliedUsd: NonNegativeUsd,
    excessUsd: NonNegativeUsd,
    cashAccount: CashAccount,
  },
  note,
);

export const CashMoved = closedObject(
  'CashMoved',
  { type: literal('CashMoved'), ...common, cashAccount: CashAccount, amountUsd: NonZeroSignedUsd, category: Text },
  { counterparty: Text, ...note },
);

/** Takes its target off the timeline from the moment it is recorded; its effectiveAt is that moment. */
export const EventReversed = closedObject(
  'EventReversed',
  { type: literal('EventReversed'), ...common, eventId: EventId, reason: Text },
  note,
);

/** Who published a reported figure: reconciliation tells them apart. */
const REPORT_SOURCES = ['operational-update', 'custodian-statement', 'lender-statement'] as const;
export const ReportSource = withSchema(
  t.keyof(Object.fromEntries(REPORT_SOURCES.map((source) => [source, null])) as Record<(typeof REPORT_SOURCES)[number], null>, 'ReportSource'),
  { type: 'string', enum: [...REPORT_SOURCES], description: 'who published the figures' },
);

/**
 * Figures published outside the ledger (a monthly operational update, a custodian or lender statement)
 * as of effectiveAt, to reconcile the ledger against. Mined and sold cover [periodStart, effectiveAt].
 */
export const HoldingsReported = closedObject(
  'HoldingsReported',
  { type: literal('HoldingsReported'), ...common, btc: NonNegativeBtc, periodStart: Instant, source: ReportSource },
  { pledgedBtc: NonNegativeBtc, minedBtc: NonNegativeBtc, soldBtc: NonNegativeBtc, ...note },
);

/** The BTC difference beyond which reconciliation flags a report (until set again). */
export const ReconciliationToleranceSet = closedObject(
  'ReconciliationToleranceSet',
  { type: literal('ReconciliationToleranceSet'), ...common, btc: NonNegativeBtc },
  note,
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
