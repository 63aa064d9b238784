import * as E from 'fp-ts/Either';
import { formatInstant } from '../codecs/instant';
import { DomainError, invalidCommand, ruleViolated } from '../errors';
import type { BookCommand } from './book.commands';
import type { BookEvent, BookEventOf } from './book.events';

/**
 * Migration mode. A book opened with `mode: "migrating"` is being loaded from another system: each
 * command may carry `knownAt`, the instant that system knew it, and its events are recorded at that
 * instant (metadata `migrated: true`) instead of the server clock. So a `knownAt` query answers as the
 * old system knew, and the book's history does not begin on the day of the import. `go-live` ends the
 * mode for good; from then on every recordedAt is the server clock.
 *
 * A command carrying knownAt is decided as if the clock read knownAt: an event effective after what
 * was known then is a future-dated event, refused as it would have been live.
 */

/** none: opened live; migrating: until go-live; live: went live (knownAt is refused for good). */
export type MigrationStatus = 'none' | 'migrating' | 'live';

/** Where a knownAt refusal points: the transport names it (`query.knownAt`, `[i].knownAt`, a line number). */
export const KNOWN_AT_PATH = 'knownAt';

export interface MigrationState {
  readonly opened: boolean;
  readonly migration: MigrationStatus;
  /** recordedAt of the book's last event (-Infinity before the first). */
  readonly lastRecordedAt: number;
}

export const migrationStatusAfter = (status: MigrationStatus, event: BookEvent): MigrationStatus => {
  if (event.type === 'BookOpened') return event.migrating === true ? 'migrating' : 'none';
  if (event.type === 'BookWentLive') return 'live';
  return status;
};

const refuse = (message: string): DomainError => invalidCommand(KNOWN_AT_PATH, message);

/**
 * Why `knownAt` cannot be this command's recordedAt, or undefined when it can. `now` is the server
 * clock the command would otherwise be recorded at. Rules: only on a migrating book (or on the
 * open-book that opens one); not on go-live; never before the book's last recordedAt (the log's
 * recorded times only grow, which every knownAt query relies on); never after the server clock.
 */
export const knownAtRefusal = (state: MigrationState, command: BookCommand, knownAt: number, now: number): DomainError | undefined => {
  if (command.name === 'open-book') {
    if (!state.opened && command.body.mode !== 'migrating') return refuse('is taken only by a book opened with mode "migrating"');
  } else if (command.name === 'go-live') {
    return refuse('go-live is recorded at the server clock: leave knownAt out');
  } else if (state.opened && state.migration === 'live') {
    return refuse('the book has gone live: from then on every command is recorded at the server clock');
  } else if (state.opened && state.migration === 'none') {
    return refuse('is taken only by a book in migration mode (opened with mode "migrating")');
  }
  if (knownAt > now) return refuse(`must not be after the server clock (${formatInstant(now)})`);
  if (knownAt < state.lastRecordedAt) {
    return refuse(
      `must not be before the book's last recordedAt (${formatInstant(state.lastRecordedAt)}): migrated history is loaded in the order it was known`,
    );
  }
  return undefined;
};

/**
 * Four eyes start at go-live. A migrating book is loaded by one person with the old system's dates,
 * and a migrated command is history, not a decision a second person could still stop; so a policy set
 * while migrating would guard nothing (any command could skip it by carrying knownAt). Refusing the
 * policy until go-live makes that plain instead of leaving a policy that looks in force.
 */
export const approvalPolicyRefusal = (status: MigrationStatus): DomainError | undefined =>
  status === 'migrating'
    ? ruleViolated('book-migrating', 'four eyes start at go-live: a book in migration mode takes no approval policy; go live, then set it')
    : undefined;

/**
 * A migrated command the policy would hold. Only a book whose policy was set while migrating (before
 * approvalPolicyRefusal existed) can get here: the command is refused rather than recorded unheld, and
 * can still be sent without knownAt, where it is held as on a live book.
 */
export const heldMigrationRefusal = (why: string): DomainError =>
  ruleViolated(
    'migrated-command-needs-approval',
    `${why}; this book's policy holds it, so it cannot be migrated with knownAt: send it without knownAt to propose it`,
  );

type GoLiveBody = Extract<BookCommand, { readonly name: 'go-live' }>['body'];

/** go-live: only a migrating book, and only once. */
export const decideGoLive = (state: MigrationState, body: GoLiveBody, now: number): E.Either<DomainError, ReadonlyArray<BookEvent>> => {
  if (state.migration === 'none')
    return E.left(ruleViolated('book-not-migrating', 'the book was not opened in migration mode: it has been live from the start'));
  if (state.migration === 'live') return E.left(ruleViolated('book-already-live', 'the book has already gone live'));
  const event: BookEventOf<'BookWentLive'> = {
    type: 'BookWentLive',
    effectiveAt: now,
    ...(body.memo === undefined ? {} : { memo: body.memo }),
  };
  return E.right([event]);
};
