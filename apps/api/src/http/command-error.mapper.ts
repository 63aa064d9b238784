import type { CommandError, EventsQueryError, PositionQueryError } from '@treasury/application';
import { formatInstant } from '@treasury/domain';
import { storeErrorMessage, type EventStoreError } from '@treasury/event-store';
import { Problem, invalidRequest, problem } from './problem';

/** The one place where a refused command becomes an HTTP status. */
export const commandErrorToProblem = (error: CommandError, bookId: string): Problem => {
  switch (error._tag) {
    case 'InvalidCommand':
      return invalidRequest(error.errors);
    case 'UnknownCommand':
      return problem(404, 'unknown-command', 'Unknown command', `There is no command "${error.command}"; see /docs for the list.`);
    case 'BookNotFound':
      return problem(404, 'book-not-found', 'Book not found', `Book "${bookId}" has not been opened; send open-book first.`);
    case 'BookAlreadyOpen':
      return problem(409, 'book-already-open', 'Book already open', `Book "${bookId}" is already open.`);
    case 'RevisionMismatch':
      return problem(
        412,
        'revision-mismatch',
        'Revision mismatch',
        `If-Match expected revision ${error.expected} but book "${bookId}" is at ${error.actual}.`,
        {
          currentRevision: error.actual,
        },
      );
    case 'RuleViolated':
      return problem(422, error.code, 'Rule violated', error.detail, { rule: error.code });
    case 'IdempotencyKeyReused':
      return problem(
        422,
        'idempotency-key-reused',
        'Idempotency key reused',
        `Idempotency-Key "${error.key}" was already used for a different request on this book; use a new key.`,
      );
    case 'NotPermitted':
      return problem(403, 'forbidden', 'Forbidden', error.detail);
    case 'StoreFailure':
      // The store's own error, where the application passes it on (a `store` field beside the message).
      return 'store' in error && isEventStoreError(error.store)
        ? storeErrorToProblem(error.store)
        : problem(503, 'store-unavailable', 'Event store unavailable', error.message, { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS });
  }
};

/** How long a client should wait before retrying after a transient store failure (also sent as Retry-After). */
export const STORE_RETRY_AFTER_SECONDS = 2;

const isEventStoreError = (value: unknown): value is EventStoreError =>
  typeof value === 'object' && value !== null && typeof (value as { _tag?: unknown })._tag === 'string';

/**
 * A failed append or read as HTTP: never 500, since nothing here is a bug the caller could report.
 * Transient (store or leader away, an answer that did not come): 503 with a retry delay. Outcome
 * unknown is transient too: a retry with the same Idempotency-Key answers the first attempt's result if
 * it was written. What a retry cannot change is a 4xx: the events too large for one append (413, the
 * request's own size), the book's stream deleted in the store (410, gone for good), an event that is not
 * JSON (422). Credentials the store refuses are the operator's to fix: 503 without a retry delay.
 */
export const storeErrorToProblem = (error: EventStoreError): Problem => {
  const retry = { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS };
  switch (error._tag) {
    case 'StoreUnavailable':
      return problem(503, 'store-unavailable', 'Event store unavailable', error.message, retry);
    case 'NotLeader':
      return problem(503, 'store-not-leader', 'Event store leader unavailable', error.message, retry);
    case 'OutcomeUnknown':
      return problem(503, 'store-outcome-unknown', 'Outcome unknown', `${storeErrorMessage(error)}.`, retry);
    case 'AppendTooLarge':
      return problem(413, 'append-too-large', 'Too large for the event store', error.message, { maxAppendSize: error.maxAppendSize });
    case 'StreamDeleted':
      return problem(410, 'stream-deleted', 'Stream deleted', error.message, { stream: error.stream });
    case 'SerialisationFailed':
      return problem(422, 'event-not-serialisable', 'Event not serialisable', error.message, { path: error.path });
    case 'AccessDenied':
      return problem(503, 'store-access-denied', 'Event store refused access', error.message);
    case 'WrongExpectedRevision':
      return problem(409, 'store-conflict', 'Concurrent write', `${storeErrorMessage(error)}; retry the request.`, retry);
  }
};

export const eventsErrorToProblem = (error: EventsQueryError, bookId: string): Problem =>
  error._tag === 'BookNotFound'
    ? problem(404, 'book-not-found', 'Book not found', `Book "${bookId}" has not been opened.`)
    : problem(503, 'store-unavailable', 'Event store unavailable', error.message);

export const positionErrorToProblem = (error: PositionQueryError, bookId: string): Problem => {
  switch (error._tag) {
    case 'BookNotFound':
      return problem(404, 'book-not-found', 'Book not found', `Book "${bookId}" has not been opened.`);
    case 'ProjectionBehind':
      return problem(
        503,
        'projection-behind',
        'Projection behind',
        `The projection has folded the log up to position ${error.checkpoint}, not yet ${error.logPosition}, after waiting ${error.waitedMs} ms; retry shortly.`,
        { checkpoint: error.checkpoint.toString(), minLogPosition: error.logPosition.toString() },
      );
    case 'ProjectionFailed':
      return problem(
        503,
        'projection-failed',
        'Projection stopped',
        `The projection of book "${bookId}" stopped on an event it cannot fold: ${error.message}`,
        error.event === undefined
          ? {}
          : { eventId: error.event.eventId, revision: error.event.revision, logPosition: error.event.logPosition.toString() },
      );
    case 'BeyondLog':
      return invalidRequest([
        { path: 'query.minLogPosition', message: `is beyond the end of the log (its last position is ${error.head})` },
      ]);
    case 'UnknownFigure':
      return invalidRequest([{ path: 'query.figure', message: error.message }], 'The figure cannot be explained; see errors.');
    case 'TooManyResults':
      return problem(
        400,
        'too-many-results',
        'Too many results',
        `The request asks for more than ${error.max} ${error.what}; narrow the range or use a larger step.`,
        {
          errors: [{ path: 'query', message: `more than ${error.max} ${error.what}` }],
        },
      );
    case 'NothingKnownYet':
      return problem(
        422,
        'nothing-known-yet',
        'Nothing known yet',
        `Book "${bookId}" recorded its first event at ${formatInstant(error.firstRecordedAt)}; at knownAt ${formatInstant(error.knownAt)} the ledger knew nothing yet.`,
        { rule: 'nothing-known-yet', firstRecordedAt: formatInstant(error.firstRecordedAt) },
      );
    case 'BeforeBookOpened':
      return problem(
        422,
        'before-book-opened',
        'Before the book opened',
        `Book "${bookId}" opened at ${formatInstant(error.openedAt)}; the report's months all end before it.`,
        {
          rule: 'before-book-opened',
          bookOpenedAt: formatInstant(error.openedAt),
        },
      );
  }
};
