import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as t from 'io-ts';
import { closedObject, toFieldErrors } from '../codecs/closed-object';
import type { DomainError } from '../errors';
import {
  NonNegativeBtc,
  NonNegativeRatio,
  NonNegativeUsd,
  NonZeroSignedUsd,
  PositiveBtc,
  PositiveRatio,
  PositiveUsd,
  UsdPerBtc,
} from '../codecs/decimal-codecs';
import { Instant } from '../codecs/instant';
import { CashAccount, EventId, LoanId, Text, WalletName } from '../codecs/names';
import { approvalCommandCodecs } from './approval.codecs';
import { amendCommandCodecs } from './amend.codecs';
import { ReportSource, bookEventCodecs } from './book.events';
import { TimeZone } from '../calendar/time-zone';
import { ReportScope } from './report-scope';
import { riskCommandCodecs } from './risk.codecs';
import { DayCountCodec } from '../loans/day-count';
import { loanCommandCodecs } from '../loans/loan.codecs';
import { acquisitionCommandCodecs } from './acquisitions.codecs';
import { BookMode, migrationCommandCodecs } from './migration.codecs';
import { accountingCommandCodecs } from './accounting.codecs';
import { ALERT_EVENT_TYPES, webhookCommandCodecs } from './webhook.codecs';

/**
 * Request bodies of `POST /v1/books/{bookId}/commands/{command}`, one codec per command. They are the
 * API contract: the OpenAPI document is generated from them. Every leaf is bounded (see codecs/bounds.ts);
 * the event codecs that read the log are not, so tightening a bound never makes an old log unreadable.
 */
const when = { effectiveAt: Instant };
const annotations = { reference: Text, memo: Text };
const collateral = { ...when, loanId: LoanId, wallet: WalletName, btc: PositiveBtc };

export const bookCommandCodecs = {
  'open-book': closedObject('OpenBook', { name: Text }, { effectiveAt: Instant, timeZone: TimeZone, mode: BookMode }),
  'record-mining-output': closedObject(
    'RecordMiningOutput',
    { ...when, wallet: WalletName, btc: PositiveBtc, usdPerBtc: UsdPerBtc },
    { pool: Text, periodStart: Instant, periodEnd: Instant, ...annotations },
  ),
  'record-btc-sale': closedObject(
    'RecordBtcSale',
    { ...when, wallet: WalletName, btc: PositiveBtc, proceedsUsd: PositiveUsd },
    { feesUsd: NonNegativeUsd, venue: Text, cashAccount: CashAccount, ...annotations },
  ),
  'transfer-btc': closedObject(
    'TransferBtc',
    { ...when, fromWallet: WalletName, toWallet: WalletName, btc: PositiveBtc },
    { feeBtc: NonNegativeBtc, ...annotations },
  ),
  'record-btc-price': closedObject('RecordBtcPrice', { ...when, usdPerBtc: UsdPerBtc }, { source: Text, ...annotations }),
  'draw-loan': closedObject(
    'DrawLoan',
    {
      ...when,
      loanId: LoanId,
      lender: Text,
      principalUsd: PositiveUsd,
      annualRate: NonNegativeRatio,
      marginCallLtv: PositiveRatio,
      liquidationLtv: PositiveRatio,
    },
    { maturityAt: Instant, cashAccount: CashAccount, dayCount: DayCountCodec, ...annotations },
  ),
  'pledge-collateral': closedObject('PledgeCollateral', collateral, annotations),
  'release-collateral': closedObject('ReleaseCollateral', collateral, annotations),
  'accrue-interest': closedObject('AccrueInterest', { ...when, loanId: LoanId, interestUsd: PositiveUsd }, annotations),
  'repay-loan': closedObject(
    'RepayLoan',
    { ...when, loanId: LoanId, principalUsd: NonNegativeUsd },
    { interestUsd: NonNegativeUsd, cashAccount: CashAccount, ...annotations },
  ),
  'liquidate-collateral': closedObject(
    'LiquidateCollateral',
    { ...collateral, proceedsUsd: PositiveUsd },
    { cashAccount: CashAccount, ...annotations },
  ),
  'record-cash-movement': closedObject(
    'RecordCashMovement',
    { ...when, cashAccount: CashAccount, amountUsd: NonZeroSignedUsd, category: Text },
    { counterparty: Text, ...annotations },
  ),
  'reverse-event': closedObject('ReverseEvent', { eventId: EventId, reason: Text }, { reference: Text, memo: Text }),
  'record-reported-holdings': closedObject(
    'RecordReportedHoldings',
    { ...when, btc: NonNegativeBtc, source: ReportSource },
    {
      pledgedBtc: NonNegativeBtc,
      minedBtc: NonNegativeBtc,
      soldBtc: NonNegativeBtc,
      periodStart: Instant,
      scope: ReportScope,
      outstandingUsd: NonNegativeUsd,
      ...annotations,
    },
  ),
  'set-reconciliation-tolerance': closedObject(
    'SetReconciliationTolerance',
    { btc: NonNegativeBtc },
    { source: ReportSource, usd: NonNegativeUsd, ...annotations },
  ),
  ...approvalCommandCodecs,
  ...riskCommandCodecs,
  ...loanCommandCodecs,
  ...acquisitionCommandCodecs,
  ...amendCommandCodecs,
  ...migrationCommandCodecs,
  ...accountingCommandCodecs,
  ...webhookCommandCodecs([...Object.keys(bookEventCodecs), ...ALERT_EVENT_TYPES]),
} as const;

export type BookCommandName = keyof typeof bookCommandCodecs;
export type BookCommand = {
  [K in BookCommandName]: { readonly name: K; readonly body: t.TypeOf<(typeof bookCommandCodecs)[K]> };
}[BookCommandName];

export const isBookCommandName = (name: string): name is BookCommandName => Object.prototype.hasOwnProperty.call(bookCommandCodecs, name);

export const DEFAULT_CASH_ACCOUNT = 'operating';

/** Decodes a request body by its command's codec; every failing field is reported with its path. */
export const decodeBookCommand = (name: BookCommandName, body: unknown): E.Either<DomainError, BookCommand> => {
  const codec = bookCommandCodecs[name] as t.Type<BookCommand['body'], unknown, unknown>;
  return pipe(
    codec.decode(body),
    E.bimap(
      (errors): DomainError => ({ _tag: 'InvalidCommand', errors: toFieldErrors(errors) }),
      (decoded) => ({ name, body: decoded }) as BookCommand,
    ),
  );
};
