import * as E from 'fp-ts/Either';
import { UTC, startOfMonthHolding } from '../calendar/time-zone';
import { formatInstant } from '../codecs/instant';
import { DomainError, invalidCommand, ruleViolated } from '../errors';
import type { BookCommand } from './book.commands';
import type { BookEvent, BookEventOf } from './book.events';

/**
 * The book's calendar and its boundaries: when the book opened and in which time zone its days and
 * months are counted. A book opened before time zones existed has no zone in its BookOpened: UTC.
 */
export interface BookCalendar {
  readonly openedAt: number;
  readonly timeZone: string;
}

export const UNOPENED_CALENDAR: BookCalendar = { openedAt: Number.NEGATIVE_INFINITY, timeZone: UTC };

export const calendarOf = (event: BookEventOf<'BookOpened'>): BookCalendar => ({
  openedAt: event.effectiveAt,
  timeZone: event.timeZone ?? UTC,
});

type Body<K extends BookCommand['name']> = Extract<BookCommand, { name: K }>['body'];

export const openBookEvent = (body: Body<'open-book'>, now: number): BookEventOf<'BookOpened'> => ({
  type: 'BookOpened',
  effectiveAt: body.effectiveAt ?? now,
  name: body.name,
  // Stored only when given: no zone reads as UTC, for old and new books alike.
  ...(body.timeZone === undefined ? {} : { timeZone: body.timeZone }),
  ...(body.mode === 'migrating' ? { migrating: true as const } : {}),
});

/** Nothing happens to a book before it opened: the month-end report would otherwise invent months before it. */
export const beforeOpeningRefusal = (calendar: BookCalendar, effectiveAt: number): DomainError | undefined =>
  effectiveAt < calendar.openedAt
    ? ruleViolated(
        'before-book-opened',
        `the book opened at ${formatInstant(calendar.openedAt)}; nothing can be effective before it (effectiveAt ${formatInstant(effectiveAt)})`,
      )
    : undefined;

/**
 * The default period of a report: the calendar month (in the book's zone) that holds the instant just
 * before effectiveAt, so a report dated at midnight on the 1st ("end of July": 2025-08-01T00:00 local)
 * covers July, not the empty period [Aug 1, Aug 1]; any other instant is in the month it names.
 */
export const defaultReportPeriodStart = (calendar: BookCalendar, effectiveAt: number): number =>
  startOfMonthHolding(calendar.timeZone, effectiveAt - 1);

/**
 * record-reported-holdings: a company report (the default), a custodian statement for one wallet or a
 * lender statement for one loan (its `btc` is the BTC pledged to the loan; `outstandingUsd` what the
 * lender says is owed). Fields that the scope's ledger has no figure for are refused, naming the field.
 */
export const reportedHoldingsDecision = (
  body: Body<'record-reported-holdings'>,
  calendar: BookCalendar,
  loanRefusal: (loanId: string) => DomainError | undefined,
): E.Either<DomainError, ReadonlyArray<BookEvent>> => {
  const { effectiveAt, btc, source, pledgedBtc, minedBtc, soldBtc, scope, outstandingUsd, memo } = body;
  const periodStart = body.periodStart ?? defaultReportPeriodStart(calendar, effectiveAt);
  if (periodStart > effectiveAt) return E.left(invalidCommand('periodStart', 'must not be after effectiveAt'));
  if (pledgedBtc !== undefined && pledgedBtc > btc) return E.left(invalidCommand('pledgedBtc', 'must not exceed btc'));
  const kind = scope === undefined || scope === 'company' ? 'company' : 'wallet' in scope ? 'wallet' : 'loan';
  if (kind !== 'company') {
    for (const [field, value] of [
      ['minedBtc', minedBtc],
      ['soldBtc', soldBtc],
    ] as const) {
      if (value !== undefined)
        return E.left(invalidCommand(field, 'is compared for the whole company only: leave it out of a wallet or loan statement'));
    }
  }
  if (kind === 'loan' && pledgedBtc !== undefined)
    return E.left(invalidCommand('pledgedBtc', "a loan statement's btc is the BTC pledged to the loan: leave pledgedBtc out"));
  if (kind !== 'loan' && outstandingUsd !== undefined)
    return E.left(invalidCommand('outstandingUsd', 'is compared for a loan only: give scope {"loanId": …}'));
  if (scope !== undefined && scope !== 'company' && 'loanId' in scope) {
    const refusal = loanRefusal(scope.loanId);
    if (refusal !== undefined) return E.left(refusal);
  }
  return E.right([
    {
      type: 'HoldingsReported',
      effectiveAt,
      btc,
      periodStart,
      source,
      ...(pledgedBtc === undefined ? {} : { pledgedBtc }),
      ...(minedBtc === undefined ? {} : { minedBtc }),
      ...(soldBtc === undefined ? {} : { soldBtc }),
      ...(scope === undefined ? {} : { scope }),
      ...(outstandingUsd === undefined ? {} : { outstandingUsd }),
      ...(memo === undefined ? {} : { memo }),
    },
  ]);
};

export const toleranceEvent = (body: Body<'set-reconciliation-tolerance'>, now: number): BookEventOf<'ReconciliationToleranceSet'> => ({
  type: 'ReconciliationToleranceSet',
  effectiveAt: now,
  btc: body.btc,
  ...(body.source === undefined ? {} : { source: body.source }),
  ...(body.usd === undefined ? {} : { usd: body.usd }),
  ...(body.memo === undefined ? {} : { memo: body.memo }),
});
