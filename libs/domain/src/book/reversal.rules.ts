import * as E from 'fp-ts/Either';
import { DomainError, ruleViolated } from '../errors';
import { termLoanReversalCheck } from '../loans/loan.decisions';
import { checkBalances } from './balance-rules';
import type { BookState } from './book.decider';
import type { BookEvent, BookEventOf, BookEventType } from './book.events';

/** Records that set the book up or decide approvals: set again (or rejected) instead of reversed. */
const NOT_REVERSIBLE: Partial<Record<BookEventType, readonly [string, string]>> = {
  EventReversed: ['cannot-reverse-reversal', 'a reversal cannot itself be reversed: record the event again instead'],
  BookOpened: ['cannot-reverse-book-opening', 'the event that opened the book cannot be reversed'],
  BookWentLive: ['cannot-reverse-go-live', 'going live ends migration mode for good: it cannot be reversed'],
  WebhookRegistered: ['cannot-reverse-webhook-record', 'webhook records cannot be reversed: disable the webhook instead'],
  WebhookDisabled: ['cannot-reverse-webhook-record', 'a disabled webhook stays disabled: register a new one'],
  WebhookRedeliveryRequested: ['cannot-reverse-webhook-record', 'a redelivery request cannot be reversed'],
};
const APPROVAL_RECORDS: ReadonlyArray<BookEventType> = ['ApprovalPolicySet', 'CommandProposed', 'ProposalApproved', 'ProposalRejected'];

/** reverse-event: takes its target off the timeline from `now`, if every balance still holds without it. */
export const decideReversal = (
  state: BookState,
  body: { eventId: string; reason: string; memo?: string },
  now: number,
): E.Either<DomainError, ReadonlyArray<BookEvent>> => {
  const target = state.events.get(body.eventId);
  if (target === undefined) return E.left(ruleViolated('unknown-event', `event ${body.eventId} is not in this book`));
  const fixed = NOT_REVERSIBLE[target.type];
  if (fixed !== undefined) return E.left(ruleViolated(fixed[0], fixed[1]));
  if (APPROVAL_RECORDS.includes(target.type)) {
    return E.left(
      ruleViolated(
        'cannot-reverse-approval-record',
        'approval records cannot be reversed: set the policy again, reject a proposal, or reverse the approved events',
      ),
    );
  }
  if (target.reversed) return E.left(ruleViolated('already-reversed', `event ${body.eventId} has already been reversed`));
  if (target.type === 'LoanDrawn') {
    const loan = state.loans.get(target.loanId!);
    if (loan !== undefined && loan.liveActivity > 0) {
      return E.left(
        ruleViolated(
          'loan-has-activity',
          `loan "${target.loanId}" still has ${loan.liveActivity} live event(s): reverse them before the drawdown`,
        ),
      );
    }
  }
  const reversal: BookEventOf<'EventReversed'> = {
    type: 'EventReversed',
    effectiveAt: now,
    eventId: body.eventId,
    reason: body.reason,
    ...(body.memo === undefined ? {} : { memo: body.memo }),
  };
  return E.map(() => [reversal])(
    termLoanReversalCheck(state, target) ?? checkBalances(state, target.effects, target.effectiveAt, target.revision, -1n),
  );
};
