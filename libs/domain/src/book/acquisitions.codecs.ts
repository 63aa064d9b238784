import { closedObject } from '../codecs/closed-object';
import {
  NonNegativeUsd,
  PositiveBtc,
  PositiveUsd,
  StoredNonNegativeUsd,
  StoredPositiveBtc,
  StoredPositiveUsd,
  UsdPerBtc,
} from '../codecs/decimal-codecs';
import { Instant, StoredInstant } from '../codecs/instant';
import { literal } from '../codecs/literal';
import { CashAccount, StoredText, Text, WalletName } from '../codecs/names';

/**
 * How BTC and cash come into a book other than by mining, and BTC leaving it as a payment: the
 * balances a book is opened with, purchases, and BTC paid to a supplier. The events and command bodies
 * live here; their rules in acquisitions.rules.ts. All four are new event types: a log written before
 * them holds none, so its figures keep their meaning.
 */

const note = { memo: StoredText };
const annotations = { reference: Text, memo: Text };

/**
 * BTC the company already held when the book was opened: one FIFO lot with its real acquisition date
 * (which orders it in the FIFO queue) and its cost basis. Held from effectiveAt on; never mined or bought.
 */
export const OpeningBalanceRecorded = closedObject(
  'OpeningBalanceRecorded',
  {
    type: literal('OpeningBalanceRecorded'),
    effectiveAt: StoredInstant,
    wallet: WalletName,
    btc: StoredPositiveBtc,
    costBasisUsd: StoredNonNegativeUsd,
    acquiredAt: StoredInstant,
  },
  note,
);

/** Cash the company held when the book was opened. */
export const OpeningCashRecorded = closedObject(
  'OpeningCashRecorded',
  { type: literal('OpeningCashRecorded'), effectiveAt: StoredInstant, cashAccount: CashAccount, amountUsd: StoredPositiveUsd },
  note,
);

/** BTC bought: a lot costing costUsd + feesUsd, paid from a cash account. */
export const BtcPurchased = closedObject(
  'BtcPurchased',
  {
    type: literal('BtcPurchased'),
    effectiveAt: StoredInstant,
    wallet: WalletName,
    btc: StoredPositiveBtc,
    costUsd: StoredPositiveUsd,
    feesUsd: StoredNonNegativeUsd,
    cashAccount: CashAccount,
  },
  { venue: StoredText, ...note },
);

/**
 * BTC paid to a supplier (hosting, power, equipment, payroll): a disposal at fair value (btc × usdPerBtc
 * are its proceeds, against the FIFO cost it relieves) and an expense of that fair value in `category`.
 */
export const BtcPaid = closedObject(
  'BtcPaid',
  {
    type: literal('BtcPaid'),
    effectiveAt: StoredInstant,
    wallet: WalletName,
    btc: StoredPositiveBtc,
    usdPerBtc: StoredPositiveUsd,
    category: StoredText,
  },
  { counterparty: StoredText, ...note },
);

/** Appended after every earlier event type: a snapshot stores event types by their place in the list. */
export const acquisitionEventCodecs = { OpeningBalanceRecorded, OpeningCashRecorded, BtcPurchased, BtcPaid } as const;

export const acquisitionCommandCodecs = {
  'record-opening-balance': closedObject(
    'RecordOpeningBalance',
    { wallet: WalletName, btc: PositiveBtc, costBasisUsd: NonNegativeUsd, acquiredAt: Instant },
    // Without effectiveAt the lot is held from the instant the book opened.
    { effectiveAt: Instant, ...annotations },
  ),
  'record-opening-cash': closedObject(
    'RecordOpeningCash',
    { effectiveAt: Instant, cashAccount: CashAccount, amountUsd: PositiveUsd },
    annotations,
  ),
  'record-btc-purchase': closedObject(
    'RecordBtcPurchase',
    { effectiveAt: Instant, wallet: WalletName, btc: PositiveBtc, costUsd: PositiveUsd },
    { feesUsd: NonNegativeUsd, venue: Text, cashAccount: CashAccount, ...annotations },
  ),
  'record-btc-payment': closedObject(
    'RecordBtcPayment',
    { effectiveAt: Instant, wallet: WalletName, btc: PositiveBtc, usdPerBtc: UsdPerBtc, category: Text },
    { counterparty: Text, ...annotations },
  ),
} as const;

export type AcquisitionCommandName = keyof typeof acquisitionCommandCodecs;
export const isAcquisitionCommandName = (name: string): name is AcquisitionCommandName =>
  Object.prototype.hasOwnProperty.call(acquisitionCommandCodecs, name);
