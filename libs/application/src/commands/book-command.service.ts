import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import {
  BookCommand,
  BookEvent,
  BookState,
  decodeBookCommand,
  decide,
  evolve,
  initialState,
  recordingTime,
  isBookCommandName,
  Proposal,
} from '@treasury/domain';
import { EventStore, EventStoreError, StoredEvent, storeErrorMessage } from '@treasury/event-store';
import { Clock } from '../ports/clock';
import { IdGenerator } from '../ports/id-generator';
import { CommandMetadata, bookStream, decodeStoredEvent, toEventsToAppend, toRecorded } from './book-stream';
import { GENESIS_HASH } from '../audit/hash-chain';
import type { CommandError } from './command.errors';
import { KeyedMutex } from './keyed-mutex';
import { BatchFailure, BatchRequest, BatchResult, executeBatch } from './book-batch';
import { CommandCaller, commandRequestHash, proposalPermission } from './command-caller';
import { CommandObserver, commandLabel, observed } from './command-observer';

export interface CommandRequest extends CommandCaller {
  readonly command: string;
  /** The JSON body as received; decoded here by the command's codec. */
  readonly body: unknown;
  /** Migration mode: when the old system knew this command, recorded as its recordedAt (migration.rules.ts). */
  readonly knownAt?: number;
}

export interface AppendedEventSummary {
  readonly eventId: string;
  readonly type: BookEvent['type'];
  readonly effectiveAt: number;
  readonly recordedAt: number;
}

export interface CommandResult {
  readonly bookId: string;
  readonly command: string;
  readonly commandId: string;
  /** The book stream's revision after the command (0-based revision of its last event). */
  readonly revision: number;
  /** Global log position of the command's last event: pass it as `minLogPosition` to read your writes. */
  readonly logPosition: bigint;
  readonly events: ReadonlyArray<AppendedEventSummary>;
  /** True when an Idempotency-Key matched an earlier identical request and nothing was appended. */
  readonly replayed: boolean;
}

/** The state one book's commands are decided against, kept warm between commands. */
export interface BookEntry {
  /** Includes the events of commands whose commit is still in flight. */
  readonly state: BookState;
  /** Idempotency key -> the request it was first used for and that request's result. */
  readonly idempotency: Map<string, { readonly requestHash: string; result: CommandResult }>;
  /** Keys of commands being committed: a retry with the same key waits for the first to settle. */
  readonly pendingKeys: Map<string, Promise<void>>;
  /** Set when a commit failed: the state holds events that never landed; reload before deciding. */
  stale: boolean;
  /** Commits issued and not yet settled. */
  inFlight: number;
  /** Hash of the book's last event (including those in flight): the next event's previousHash. */
  lastHash: string;
}

/** What deciding under the lock produced. */
type Reservation =
  | { readonly _tag: 'Done'; readonly result: CommandResult }
  | { readonly _tag: 'WaitFor'; readonly pending: Promise<void> }
  | { readonly _tag: 'Committing'; readonly commit: Promise<E.Either<CommandError | Conflict, CommandResult>> };

/** Internal: our expected revision was stale because another writer appended first. */
interface Conflict {
  readonly _tag: 'Conflict';
}

/** Appends lost to a concurrent writer (another process on the same store) are retried this often. */
const MAX_CONFLICT_RETRIES = 5;

export const storeFailure = (error: EventStoreError | Error): CommandError => ({
  _tag: 'StoreFailure',
  message: error instanceof Error ? error.message : storeErrorMessage(error),
  ...(error instanceof Error ? {} : { store: error }),
});

/**
 * The command use case: decode -> (per book, one at a time) catch up -> idempotency -> If-Match ->
 * decide -> append with the expected revision -> evolve. A command appends all its events in one
 * append or none.
 */
export class BookCommandService {
  private readonly books = new Map<string, BookEntry>();
  private readonly mutex = new KeyedMutex();
  private acknowledged = 0n;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** Told how each command and batch ended (the API's metrics); optional. */
    private readonly observer?: CommandObserver,
  ) {}

  /** The highest log position this service has acknowledged: queries wait for it by default (read-your-writes). */
  get lastAcknowledgedPosition(): bigint {
    return this.acknowledged;
  }

  /** The book's proposals (four eyes), as the log has them now, oldest first. */
  proposals(bookId: string): TE.TaskEither<CommandError, ReadonlyArray<Proposal>> {
    return () =>
      this.mutex.run(bookId, async () => {
        const loaded = await this.load(bookId)();
        if (E.isLeft(loaded)) return loaded;
        if (!loaded.right.state.opened) return E.left({ _tag: 'BookNotFound' });
        return E.right([...loaded.right.state.approvals.proposals.values()].map((proposal) => ({ ...proposal })));
      });
  }

  execute(request: CommandRequest): TE.TaskEither<CommandError, CommandResult> {
    return observed(
      this.observer,
      commandLabel(request.command),
      pipe(
        TE.fromEither(this.decodeCommand(request)),
        TE.flatMap((command) => this.attempt(request, command, 0)),
      ),
      (answer) => (E.isLeft(answer) ? answer.left._tag : answer.right.replayed ? 'replayed' : 'appended'),
    );
  }

  /** Several commands on one book, decided in order, appended in one commit (book-batch.ts). */
  executeBatch(request: BatchRequest): TE.TaskEither<BatchFailure, BatchResult> {
    return observed(this.observer, 'batch', this.runBatch(request), (answer) =>
      E.isLeft(answer) ? answer.left.error._tag : answer.right.replayed ? 'replayed' : 'appended',
    );
  }

  private runBatch(request: BatchRequest): TE.TaskEither<BatchFailure, BatchResult> {
    return executeBatch(
      {
        store: this.store,
        clock: this.clock,
        ids: this.ids,
        locked: (bookId, run) => this.mutex.run(bookId, run),
        load: (bookId) => this.load(bookId),
        acknowledge: (logPosition) => {
          if (logPosition > this.acknowledged) this.acknowledged = logPosition;
        },
      },
      request,
    );
  }

  private decodeCommand(request: CommandRequest): E.Either<CommandError, BookCommand> {
    const { command: name, body } = request;
    if (!isBookCommandName(name)) return E.left({ _tag: 'UnknownCommand', command: name });
    return decodeBookCommand(name, body);
  }

  /**
   * One try: decide under the book's lock, then wait for the commit. When the store pipelines appends
   * (see EventStore.pipelinesAppends) the lock is released before the commit, so the next command is
   * decided on top of this one and joins the same group commit; if this commit fails, the store fails
   * every append issued on top of it, the cached state is marked stale, and those commands are tried
   * again against the log. Otherwise the lock is held until the commit is durable.
   */
  private attempt(request: CommandRequest, command: BookCommand, attempt: number): TE.TaskEither<CommandError, CommandResult> {
    return async () => {
      const reserved = await this.mutex.run(request.bookId, async () => {
        const reservation = await this.reserve(request, command)();
        if (!this.store.pipelinesAppends && E.isRight(reservation) && reservation.right._tag === 'Committing')
          await reservation.right.commit;
        return reservation;
      });
      if (E.isLeft(reserved)) return E.left(reserved.left);
      const step = reserved.right;
      if (step._tag === 'Done') return E.right(step.result);
      if (step._tag === 'WaitFor') {
        // The same idempotency key is being committed: wait, then answer as a replay (or refuse).
        await step.pending;
        return this.attempt(request, command, attempt)();
      }
      const committed = await step.commit;
      if (E.isRight(committed) || committed.left._tag !== 'Conflict') return committed as E.Either<CommandError, CommandResult>;
      // Another writer, or a failed commit this one was decided on, got in first: decide again.
      if (request.expectedRevision !== undefined || attempt >= MAX_CONFLICT_RETRIES) {
        const fresh = await this.mutex.run(request.bookId, () => this.load(request.bookId)());
        if (E.isLeft(fresh)) return fresh;
        return E.left(
          request.expectedRevision !== undefined
            ? { _tag: 'RevisionMismatch', expected: request.expectedRevision, actual: fresh.right.state.revision }
            : { _tag: 'StoreFailure', message: `gave up after ${attempt + 1} conflicting appends` },
        );
      }
      return this.attempt(request, command, attempt + 1)();
    };
  }

  /** Under the book's lock: catch up, idempotency, If-Match, decide, evolve, issue the append. */
  private reserve(request: CommandRequest, command: BookCommand): TE.TaskEither<CommandError, Reservation> {
    const hash = request.idempotencyKey === undefined ? undefined : commandRequestHash(request.command, request.body, request.knownAt);
    return pipe(
      this.load(request.bookId),
      TE.flatMap((entry): TE.TaskEither<CommandError, Reservation> => {
        // Who may decide comes first: a replayed answer is still an answer to this caller.
        const forbidden = proposalPermission(request, command, entry);
        if (forbidden !== undefined) return TE.left(forbidden);
        const key = request.idempotencyKey;
        if (key !== undefined) {
          const earlier = entry.idempotency.get(key);
          if (earlier !== undefined) {
            return earlier.requestHash === hash
              ? TE.right({ _tag: 'Done', result: { ...earlier.result, replayed: true } })
              : TE.left({ _tag: 'IdempotencyKeyReused', key });
          }
          const pending = entry.pendingKeys.get(key);
          if (pending !== undefined) return TE.right({ _tag: 'WaitFor', pending });
        }
        if (request.expectedRevision !== undefined && request.expectedRevision !== entry.state.revision) {
          return TE.left({ _tag: 'RevisionMismatch', expected: request.expectedRevision, actual: entry.state.revision });
        }
        const now = recordingTime(entry.state, this.clock.now());
        const { knownAt } = request;
        return pipe(
          TE.fromEither(decide(command, entry.state, { now, actor: request.actor, ...(knownAt === undefined ? {} : { knownAt }) })),
          // A migrated command is recorded when the old system knew it.
          TE.map((events): Reservation => ({
            _tag: 'Committing',
            commit: this.append(request, command, entry, events, knownAt ?? now, hash),
          })),
        );
      }),
    );
  }

  /**
   * Evolves the cached state at once (so the next command is decided on top of this one) and issues
   * the append; the promise settles when the events are durable or refused.
   */
  private append(
    request: CommandRequest,
    command: BookCommand,
    entry: BookEntry,
    events: ReadonlyArray<BookEvent>,
    recordedAt: number,
    hash: string | undefined,
  ): Promise<E.Either<CommandError | Conflict, CommandResult>> {
    const commandId = this.ids.newId();
    const reference = (command.body as { readonly reference?: string }).reference;
    const metadata: CommandMetadata = {
      recordedAt,
      command: command.name,
      commandId,
      actor: request.actor,
      ...(request.actorName === undefined ? {} : { actorName: request.actorName }),
      ...(request.onBehalfOf === undefined ? {} : { onBehalfOf: request.onBehalfOf }),
      correlationId: request.correlationId ?? commandId,
      causationId: commandId,
      ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
      ...(hash === undefined ? {} : { requestHash: hash }),
      ...(reference === undefined ? {} : { reference }),
      ...(request.knownAt === undefined ? {} : { migrated: true as const }),
    };
    const envelopes = events.map((event) => ({ eventId: this.ids.newId(), event }));
    const expected = entry.state.revision === -1 ? 'no-stream' : entry.state.revision;
    const first = entry.state.revision + 1;
    const sealed = toEventsToAppend(request.bookId, first, entry.lastHash, envelopes, metadata);
    entry.lastHash = sealed.lastHash;
    envelopes.forEach(({ eventId, event }, index) => evolve(entry.state, { eventId, revision: first + index, recordedAt, event }));
    const key = request.idempotencyKey;
    let settle = () => {};
    if (key !== undefined) entry.pendingKeys.set(key, new Promise<void>((resolve) => (settle = resolve)));

    entry.inFlight += 1;
    const commit = this.store.append(bookStream(request.bookId), sealed.events, expected)();
    return commit.then((appended): E.Either<CommandError | Conflict, CommandResult> => {
      entry.inFlight -= 1;
      if (key !== undefined) entry.pendingKeys.delete(key);
      settle();
      if (E.isLeft(appended)) {
        // The cached state holds events that were not written (and maybe more decided on them): the
        // next command reloads the book from the log.
        entry.stale = true;
        return E.left(appended.left._tag === 'WrongExpectedRevision' ? { _tag: 'Conflict' } : storeFailure(appended.left));
      }
      const { revision, logPosition } = appended.right;
      if (logPosition > this.acknowledged) this.acknowledged = logPosition;
      const result: CommandResult = {
        bookId: request.bookId,
        command: command.name,
        commandId,
        revision,
        logPosition,
        events: envelopes.map(({ eventId, event }) => ({ eventId, type: event.type, effectiveAt: event.effectiveAt, recordedAt })),
        replayed: false,
      };
      if (key !== undefined && hash !== undefined) entry.idempotency.set(key, { requestHash: hash, result });
      return E.right(result);
    });
  }

  /** The book's entry, caught up with anything appended since it was last read (by anyone). */
  private load(bookId: string): TE.TaskEither<CommandError, BookEntry> {
    const cached = this.books.get(bookId);
    // With commits in flight the state is ahead of the log: reading the log now could mix another
    // writer's events into it. If another writer did get in, our commit fails and marks it stale.
    if (cached !== undefined && !cached.stale && cached.inFlight > 0) return TE.right(cached);
    const entry: BookEntry =
      cached !== undefined && !cached.stale
        ? cached
        : { state: initialState(), idempotency: new Map(), pendingKeys: new Map(), stale: false, inFlight: 0, lastHash: GENESIS_HASH };
    return pipe(
      this.store.readStream(bookStream(bookId), { fromRevision: entry.state.revision + 1 }),
      TE.mapLeft(storeFailure),
      TE.flatMap((stored) => TE.fromEither(this.catchUp(bookId, entry, stored))),
    );
  }

  private catchUp(bookId: string, entry: BookEntry, stored: ReadonlyArray<StoredEvent>): E.Either<CommandError, BookEntry> {
    for (const raw of stored) {
      const decoded = decodeStoredEvent(raw);
      if (E.isLeft(decoded)) {
        this.books.delete(bookId);
        return E.left(storeFailure(decoded.left));
      }
      const { event, metadata } = decoded.right;
      evolve(entry.state, toRecorded(decoded.right));
      entry.lastHash = metadata.hash ?? GENESIS_HASH;
      const key = metadata.idempotencyKey;
      if (key !== undefined && metadata.requestHash !== undefined) {
        const summary: AppendedEventSummary = {
          eventId: raw.eventId,
          type: event.type,
          effectiveAt: event.effectiveAt,
          recordedAt: metadata.recordedAt,
        };
        const earlier = entry.idempotency.get(key);
        if (earlier !== undefined && earlier.result.commandId === metadata.commandId) {
          earlier.result = {
            ...earlier.result,
            revision: raw.revision,
            logPosition: raw.logPosition,
            events: [...earlier.result.events, summary],
          };
        } else {
          entry.idempotency.set(key, {
            requestHash: metadata.requestHash,
            result: {
              bookId,
              command: metadata.command,
              commandId: metadata.commandId,
              revision: raw.revision,
              logPosition: raw.logPosition,
              events: [summary],
              replayed: false,
            },
          });
        }
      }
    }
    this.books.set(bookId, entry);
    return E.right(entry);
  }
}
