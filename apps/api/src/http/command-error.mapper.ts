import type { CommandError, EventsQueryError, PositionQueryError } from '@treasury/application';
import { formatInstant } from '@treasury/domain';
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
      return problem(503, 'store-unavailable', 'Event store unavailable', error.message);
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
