import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
} from '@eventstore/db-client';
import * as TE from 'fp-ts/TaskEither';
import {
  AppendResult,
  EventHandler,
  EventStore,
  EventStoreError,
  EventSubscription,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  storeErrorMessage,
} from '@treasury/event-store';
import { appendEvents } from './esdb-append';
import { toStoredEvent, type EsdbCalls } from './esdb-calls';
import { toStoreError } from './esdb-errors';
import { readAllPaged, readAtPosition, readHeadPosition } from './esdb-reads';
import { subscribeWithResume } from './esdb-subscription';

export interface EsdbOptions {
  /** Raw events per readAll call (the server's maxCount). */
  readonly readPage?: number;
  /** See AppendTimings.backstopMs. */
  readonly appendBackstopMs?: number;
  /** The first and the longest wait before resubscribing after a drop. */
  readonly resubscribeFirstMs?: number;
  readonly resubscribeMaxMs?: number;
  /** For the jitter of those waits (tests fix it). */
  readonly random?: () => number;
}

const READ_PAGE = 512;
/** The client's default deadline (10 s) plus a margin. */
const APPEND_BACKSTOP_MS = 15_000;
const RESUBSCRIBE_FIRST_MS = 100;
const RESUBSCRIBE_MAX_MS = 30_000;

/**
 * The production adapter, on EventStoreDB through @eventstore/db-client (server 23.10 or later).
 *
 * Log position: the port's single bigint is an event's *prepare* position in $all. Events appended
 * through gRPC are each stored as an implicitly committed prepare, so every event sits at
 * {commit: p, prepare: p}: commit == prepare per event, unique and increasing along the log, and an
 * append result's position is its last event's. (Only legacy TCP explicit transactions share one
 * commit position among several events; a log holding those is not supported.) Reading "after p"
 * starts the server read at {commit: p, prepare: p} and drops anything at or before p.
 */
export class EsdbEventStore extends EventStore {
  private readonly readPage: number;
  private readonly backstopMs: number;

  constructor(
    private readonly client: EsdbCalls,
    private readonly options: EsdbOptions = {},
  ) {
    super();
    this.readPage = Math.max(2, options.readPage ?? READ_PAGE);
    this.backstopMs = options.appendBackstopMs ?? APPEND_BACKSTOP_MS;
  }

  /** The adapter on a real client; the connection string carries the credentials (esdb://user:password@host:2113?tls=true). */
  static connect(connectionString: string, options: EsdbOptions = {}): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  append(stream: string, events: ReadonlyArray<EventToAppend>, expected: ExpectedRevision): TE.TaskEither<EventStoreError, AppendResult> {
    return () => appendEvents(this.client, stream, events, expected, { backstopMs: this.backstopMs });
  }

  private async readStreamOrEmpty(
    stream: string,
    options: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision: bigint | typeof START | typeof END; maxCount?: number },
  ): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    try {
      // Read to its end (never left early), so the call closes by itself.
      for await (const resolved of this.client.readStream(stream, options)) {
        const stored = toStoredEvent(resolved);
        if (stored !== undefined) events.push(stored);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  readStream(stream: string, options: ReadStreamOptions = {}): TE.TaskEither<EventStoreError, ReadonlyArray<StoredEvent>> {
    const backwards = options.direction === 'backwards';
    return TE.tryCatch(
      () =>
        this.readStreamOrEmpty(stream, {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
          ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
        }),
      (error) => toStoreError(error, { stream, append: false }),
    );
  }

  readAll(options: ReadAllOptions = {}): TE.TaskEither<EventStoreError, ReadonlyArray<StoredEvent>> {
    return TE.tryCatch(
      () => readAllPaged(this.client, options.after, options.maxCount ?? Number.MAX_SAFE_INTEGER, this.readPage),
      (error) => toStoreError(error, { append: false }),
    );
  }

  /**
   * The id in the store's identity stream: written once with expected revision no-stream, so of two
   * servers starting together on a fresh database one writes it and both read the same id.
   */
  identity(): TE.TaskEither<EventStoreError, string> {
    return TE.tryCatch(
      async () => {
        const existing = await this.readIdentity();
        if (existing !== undefined) return existing;
        try {
          await this.client.appendToStream(IDENTITY_STREAM, jsonEvent({ type: IDENTITY_EVENT, data: { storeId: randomUUID() } }), {
            expectedRevision: NO_STREAM,
          });
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
        }
        const written = await this.readIdentity();
        if (written === undefined) throw new Error(`the store identity stream ${IDENTITY_STREAM} holds no identity`);
        return written;
      },
      (error) => toStoreError(error, { stream: IDENTITY_STREAM, append: false }),
    );
  }

  private async readIdentity(): Promise<string | undefined> {
    const [first] = await this.readStreamOrEmpty(IDENTITY_STREAM, { direction: FORWARDS, fromRevision: START, maxCount: 1 });
    const storeId = first?.data['storeId'];
    return typeof storeId === 'string' ? storeId : undefined;
  }

  readAt(logPosition: bigint): TE.TaskEither<EventStoreError, StoredEvent | undefined> {
    return TE.tryCatch(
      () => readAtPosition(this.client, logPosition),
      (error) => toStoreError(error, { append: false }),
    );
  }

  headPosition(): TE.TaskEither<EventStoreError, bigint> {
    return TE.tryCatch(
      () => readHeadPosition(this.client, this.readPage),
      (error) => toStoreError(error, { append: false }),
    );
  }

  /**
   * The server filters (system events always; the asked types when given); how far it has looked comes
   * from its checkpoints and its caught-up message. Drops are survived: see subscribeWithResume.
   */
  subscribeToAll(options: SubscribeOptions, handler: EventHandler): EventSubscription {
    const deps = {
      client: this.client,
      head: () => this.headOrThrow(),
      timings: {
        firstRetryMs: this.options.resubscribeFirstMs ?? RESUBSCRIBE_FIRST_MS,
        maxRetryMs: this.options.resubscribeMaxMs ?? RESUBSCRIBE_MAX_MS,
      },
      random: this.options.random ?? Math.random,
    };
    return subscribeWithResume(deps, options, handler);
  }

  private async headOrThrow(): Promise<bigint> {
    const head = await this.headPosition()();
    if (head._tag === 'Left') throw new Error(`reading the head of $all: ${storeErrorMessage(head.left)}`);
    return head.right;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

/** A stream of its own, written once: the store's random identity (see identity()). */
const IDENTITY_STREAM = 'treasury-store-identity';
const IDENTITY_EVENT = 'StoreIdentityAssigned';
