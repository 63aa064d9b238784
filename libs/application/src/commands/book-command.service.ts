import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import {
  BookCommand,
  BookEvent,
  BookState,
  EventMetadata,
  decodeBookCommand,
  decide,
  evolve,
  initialState,
  recordingTime,
  isBookCommandName,
} from '@treasury/domain';
import { EventStore, EventStoreError, StoredEvent } from '@treasury/event-store';
import { Clock } from '../ports/clock';
import { IdGenerator } from '../ports/id-generator';
import { bookStream, decodeStoredEvent, toEventToAppend, toRecorded } from './book-stream';
import type { CommandError } from './command.errors';
import { KeyedMutex } from './keyed-mutex';
import { requestHash } from './request-hash';

export interface CommandRequest {
  readonly bookId: string;
  readonly command: string;
  /** The JSON body as received; decoded here by the command's codec. */
  readonly body: unknown;
  readonly actor: string;
  readonly correlationId?: string;
  readonly idempotencyKey?: string;
  /** The revision the client last saw (`If-Match`); absent means "decide against whatever is current". */
  readonly expectedRevision?: number;
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
  /** Global log position of the command's last event: pass it as `minPosition` to read your writes. */
  readonly position: bigint;
  readonly events: ReadonlyArray<AppendedEventSummary>;
  /** True when an Idempotency-Key matched an earlier identical request and nothing was appended. */
  readonly replayed: boolean;
}

/** The state one book's commands are decided against, kept warm between commands. */
interface BookEntry {
  readonly state: BookState;
  /** Idempotency key -> the request it was first used for and that request's result. */
  readonly idempotency: Map<string, { readonly requestHash: string; result: CommandResult }>;
}

/** Internal: our expected revision was stale because another writer appended first. */
interface Conflict {
  readonly _tag: 'Conflict';
}

/** Appends lost to a concurrent writer (another process on the same store) are retried this often. */
const MAX_CONFLICT_RETRIES = 5;

const storeFailure = (error: EventStoreError | Error): CommandError => ({
  _tag: 'StoreFailure',
  message: error instanceof Error ? error.message : error._tag === 'StoreUnavailable' ? error.message : `unexpected revision on ${error.stream}`,
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
  ) {}

  /** The highest log position this service has acknowledged: queries wait for it by default (read-your-writes). */
  get lastAcknowledgedPosition(): bigint {
    return this.acknowledged;
  }

  execute(request: CommandRequest): TE.TaskEither<CommandError, CommandResult> {
    return pipe(
      TE.fromEither(this.decodeCommand(request)),
      TE.flatMap((command) => () => this.mutex.run(request.bookId, () => this.executeLocked(request, command)())),
    );
  }

  private decodeCommand(request: CommandRequest): E.Either<CommandError, BookCommand> {
    const { command: name, body } = request;
    if (!isBookCommandName(name)) return E.left({ _tag: 'UnknownCommand', command: name });
    return decodeBookCommand(name, body);
  }

  private executeLocked(request: CommandRequest, command: BookCommand, attempt = 0): TE.TaskEither<CommandError, CommandResult> {
    const hash = request.idempotencyKey === undefined ? undefined : requestHash(request.command, request.body);
    return pipe(
      this.load(request.bookId),
      TE.flatMap((entry) => {
        if (request.idempotencyKey !== undefined) {
          const earlier = entry.idempotency.get(request.idempotencyKey);
          if (earlier !== undefined) {
            return earlier.requestHash === hash
              ? TE.right({ ...earlier.result, replayed: true })
              : TE.left<CommandError>({ _tag: 'IdempotencyKeyReused', key: request.idempotencyKey });
          }
        }
        if (request.expectedRevision !== undefined && request.expectedRevision !== entry.state.revision) {
          return TE.left<CommandError>({ _tag: 'RevisionMismatch', expected: request.expectedRevision, actual: entry.state.revision });
        }
        const now = recordingTime(entry.state, this.clock.now());
        return pipe(
          TE.fromEither(decide(command, entry.state, { now })),
          TE.flatMap((events): TE.TaskEither<CommandError | Conflict, CommandResult> => this.append(request, command, entry, events, now, hash)),
          TE.orElse((error) => {
            if (error._tag !== 'Conflict') return TE.left(error);
            // Another writer got in first: catch up and decide again against what it wrote.
            if (request.expectedRevision !== undefined || attempt >= MAX_CONFLICT_RETRIES) {
              return pipe(
                this.load(request.bookId),
                TE.flatMap((fresh) =>
                  TE.left<CommandError>(
                    request.expectedRevision !== undefined
                      ? { _tag: 'RevisionMismatch', expected: request.expectedRevision, actual: fresh.state.revision }
                      : { _tag: 'StoreFailure', message: `gave up after ${attempt + 1} conflicting appends` },
                  ),
                ),
              );
            }
            return this.executeLocked(request, command, attempt + 1);
          }),
        );
      }),
    );
  }

  private append(
    request: CommandRequest,
    command: BookCommand,
    entry: BookEntry,
    events: ReadonlyArray<BookEvent>,
    now: number,
    hash: string | undefined,
  ): TE.TaskEither<CommandError | Conflict, CommandResult> {
    const commandId = this.ids.newId();
    const reference = (command.body as { readonly reference?: string }).reference;
    const metadata: EventMetadata = {
      recordedAt: now,
      command: command.name,
      commandId,
      actor: request.actor,
      correlationId: request.correlationId ?? commandId,
      causationId: commandId,
      ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
      ...(hash === undefined ? {} : { requestHash: hash }),
      ...(reference === undefined ? {} : { reference }),
    };
    const envelopes = events.map((event) => ({ eventId: this.ids.newId(), event }));
    const expected = entry.state.revision === -1 ? 'no-stream' : entry.state.revision;
    return pipe(
      this.store.append(
        bookStream(request.bookId),
        envelopes.map(({ eventId, event }) => toEventToAppend(eventId, event, metadata)),
        expected,
      ),
      TE.mapLeft((error): CommandError | Conflict => {
        if (error._tag === 'WrongExpectedRevision') return { _tag: 'Conflict' };
        // The append may or may not have landed (a timeout, say): forget the book and reload next time.
        this.books.delete(request.bookId);
        return storeFailure(error);
      }),
      TE.map(({ revision, position }) => {
        if (position > this.acknowledged) this.acknowledged = position;
        const first = revision - envelopes.length + 1;
        envelopes.forEach(({ eventId, event }, index) => evolve(entry.state, { eventId, revision: first + index, recordedAt: now, event }));
        const result: CommandResult = {
          bookId: request.bookId,
          command: command.name,
          commandId,
          revision,
          position,
          events: envelopes.map(({ eventId, event }) => ({ eventId, type: event.type, effectiveAt: event.effectiveAt, recordedAt: now })),
          replayed: false,
        };
        if (request.idempotencyKey !== undefined && hash !== undefined) entry.idempotency.set(request.idempotencyKey, { requestHash: hash, result });
        return result;
      }),
    );
  }

  /** The book's entry, caught up with anything appended since it was last read (by anyone). */
  private load(bookId: string): TE.TaskEither<CommandError, BookEntry> {
    const entry = this.books.get(bookId) ?? { state: initialState(), idempotency: new Map() };
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
      const key = metadata.idempotencyKey;
      if (key !== undefined && metadata.requestHash !== undefined) {
        const summary: AppendedEventSummary = { eventId: raw.eventId, type: event.type, effectiveAt: event.effectiveAt, recordedAt: metadata.recordedAt };
        const earlier = entry.idempotency.get(key);
        if (earlier !== undefined && earlier.result.commandId === metadata.commandId) {
          earlier.result = { ...earlier.result, revision: raw.revision, position: raw.position, events: [...earlier.result.events, summary] };
        } else {
          entry.idempotency.set(key, {
            requestHash: metadata.requestHash,
            result: { bookId, command: metadata.command, commandId: metadata.commandId, revision: raw.revision, position: raw.position, events: [summary], replayed: false },
          });
        }
      }
    }
    this.books.set(bookId, entry);
    return E.right(entry);
  }
}
