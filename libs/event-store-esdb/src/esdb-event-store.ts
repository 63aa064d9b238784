import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type Position,
  type ResolvedEvent,
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
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  storeErrorMessage,
  storeUnavailable,
  wrongExpectedRevision,
} from '@treasury/event-store';

/**
 * The production adapter, on EventStoreDB through @eventstore/db-client.
 *
 * Global position: EventStoreDB orders $all by (commit, prepare). Within one multi-event append all
 * events share the commit position and differ by prepare position, so the port's single bigint
 * position is the *prepare* position (unique per event and increasing along the log). Reading "after
 * p" starts the server read at {commit: p, prepare: p} and drops anything at or before p.
 */
export class EsdbEventStore extends EventStore {
  private readonly client: EventStoreDBClient;

  constructor(connectionString: string) {
    super();
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  append(stream: string, events: ReadonlyArray<EventToAppend>, expected: ExpectedRevision): TE.TaskEither<EventStoreError, AppendResult> {
    const expectedRevision: AppendExpectedRevision = expected === 'any' ? ANY : expected === 'no-stream' ? NO_STREAM : BigInt(expected);
    return TE.tryCatch(
      async () => {
        const result = await this.client.appendToStream(
          stream,
          events.map((event) =>
            jsonEvent({ id: event.eventId, type: event.type, data: { ...event.data }, metadata: { ...event.metadata } }),
          ),
          { expectedRevision },
        );
        // The append result carries the commit's position; read the last event back for its own.
        const [last] = await this.readStreamOrEmpty(stream, {
          direction: BACKWARDS,
          fromRevision: result.nextExpectedRevision,
          maxCount: 1,
        });
        return { revision: Number(result.nextExpectedRevision), logPosition: last?.logPosition ?? 0n };
      },
      (error) =>
        error instanceof WrongExpectedVersionError ? wrongExpectedRevision(stream, expected, error.actualVersion) : storeUnavailable(error),
    );
  }

  private async readStreamOrEmpty(
    stream: string,
    options: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision: bigint | typeof START | typeof END; maxCount?: number },
  ): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    try {
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
      storeUnavailable,
    );
  }

  readAll(options: ReadAllOptions = {}): TE.TaskEither<EventStoreError, ReadonlyArray<StoredEvent>> {
    return TE.tryCatch(async () => {
      const events: StoredEvent[] = [];
      const fromPosition = options.after === undefined ? START : { commit: options.after, prepare: options.after };
      const limit = options.maxCount ?? Number.MAX_SAFE_INTEGER;
      for await (const resolved of this.client.readAll({ direction: FORWARDS, fromPosition, resolveLinkTos: false })) {
        const stored = toStoredEvent(resolved);
        if (stored === undefined || isSystem(stored) || (options.after !== undefined && stored.logPosition <= options.after)) continue;
        events.push(stored);
        if (events.length >= limit) break;
      }
      return events;
    }, storeUnavailable);
  }

  /**
   * The id in the store's identity stream: written once with expected revision no-stream, so of two
   * servers starting together on a fresh database one writes it and both read the same id.
   */
  identity(): TE.TaskEither<EventStoreError, string> {
    return TE.tryCatch(async () => {
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
    }, storeUnavailable);
  }

  private async readIdentity(): Promise<string | undefined> {
    const [first] = await this.readStreamOrEmpty(IDENTITY_STREAM, { direction: FORWARDS, fromRevision: START, maxCount: 1 });
    const storeId = first?.data['storeId'];
    return typeof storeId === 'string' ? storeId : undefined;
  }

  readAt(logPosition: bigint): TE.TaskEither<EventStoreError, StoredEvent | undefined> {
    return TE.tryCatch(async () => {
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition: { commit: logPosition, prepare: logPosition },
        resolveLinkTos: false,
        maxCount: 64,
      })) {
        const stored = toStoredEvent(resolved);
        if (stored === undefined || stored.logPosition < logPosition) continue;
        return stored.logPosition === logPosition && !isSystem(stored) ? stored : undefined;
      }
      return undefined;
    }, storeUnavailable);
  }

  headPosition(): TE.TaskEither<EventStoreError, bigint> {
    return TE.tryCatch(async () => {
      for await (const resolved of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        resolveLinkTos: false,
        maxCount: 4096,
      })) {
        const stored = toStoredEvent(resolved);
        if (stored !== undefined && !isSystem(stored)) return stored.logPosition;
      }
      return 0n;
    }, storeUnavailable);
  }

  /**
   * The server filters (system events always; the asked types when given). How far it has looked comes
   * from its checkpoints and its caught-up message, each pushed into the subscription's own stream as a
   * marker, so the consumer sees it after exactly the events sent before it.
   */
  subscribeToAll(options: SubscribeOptions, handler: EventHandler): EventSubscription {
    const after = options.after;
    const onCheckpoint = options.onCheckpoint;
    let closed = false;
    let subscription: AllStreamSubscription | undefined;
    let reported: bigint | undefined;
    const report = async (logPosition: bigint): Promise<void> => {
      if (onCheckpoint === undefined || (reported !== undefined && logPosition <= reported)) return;
      reported = logPosition;
      await onCheckpoint(logPosition);
    };
    void (async () => {
      try {
        // Every event up to this head was sent before the server says it caught up.
        const head = onCheckpoint === undefined ? 0n : await this.headOrThrow();
        if (closed) return;
        const checkpointReached = (_: AllStreamSubscription, position: Position) =>
          void subscription?.push(checkpointMarker(position.prepare - 1n));
        const withCheckpoints = onCheckpoint === undefined ? {} : { checkpointReached };
        subscription = this.client.subscribeToAll({
          fromPosition: after === undefined ? START : { commit: after, prepare: after },
          filter:
            options.eventTypes === undefined
              ? excludeSystemEvents(withCheckpoints)
              : eventTypeFilter({ prefixes: [...options.eventTypes.prefixes], ...withCheckpoints }),
        });
        const live = subscription;
        if (onCheckpoint !== undefined) live.on('caughtUp', () => void live.push(caughtUpMarker));
        let last = after ?? 0n;
        for await (const item of live as AsyncIterable<AllStreamResolvedEvent | Marker>) {
          if (closed) break;
          if (isMarker(item)) {
            await report(item.marker === 'caught-up' ? max(head, last) : max(item.logPosition, last));
            continue;
          }
          const stored = toStoredEvent(item);
          if (stored === undefined || isSystem(stored) || (after !== undefined && stored.logPosition <= after)) continue;
          await handler(stored);
          last = stored.logPosition;
        }
      } catch (error) {
        if (!closed) throw error;
      }
    })();
    return {
      close: async () => {
        closed = true;
        await subscription?.unsubscribe();
      },
    };
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

/** In-order notes in a subscription's stream: a server checkpoint (as a port position), or its caught-up message. */
type Marker = { readonly marker: 'checkpoint'; readonly logPosition: bigint } | { readonly marker: 'caught-up' };
const checkpointMarker = (logPosition: bigint): Marker => ({ marker: 'checkpoint', logPosition });
const caughtUpMarker: Marker = { marker: 'caught-up' };
const isMarker = (item: AllStreamResolvedEvent | Marker): item is Marker => 'marker' in item;
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

const isSystem = (event: StoredEvent): boolean => event.stream.startsWith('$') || event.type.startsWith('$');

const toStoredEvent = (resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | undefined => {
  const event = resolved.event;
  if (event === undefined || !event.isJson) return undefined;
  const position: Position | undefined = event.position;
  return {
    eventId: event.id,
    type: event.type,
    stream: event.streamId,
    revision: Number(event.revision),
    logPosition: position?.prepare ?? 0n,
    data: event.data as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
  };
};
