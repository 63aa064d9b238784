import type * as TE from 'fp-ts/TaskEither';
import type { EventStoreError } from './event-store.errors';

export type JsonObject = { readonly [key: string]: unknown };

/** An event on its way in: already serialised by its codec, with an id chosen by the caller. */
export interface EventToAppend {
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

/** An event as stored: its revision in its stream (0-based) and its position in the global log. */
export interface StoredEvent extends EventToAppend {
  readonly stream: string;
  readonly revision: number;
  /** Strictly increasing across all streams; opaque beyond ordering. */
  readonly logPosition: bigint;
}

/** `no-stream`: the stream must not exist yet; a number: the revision of its last event. */
export type ExpectedRevision = 'no-stream' | 'any' | number;

export interface AppendResult {
  /** Revision of the last appended event. */
  readonly revision: number;
  /** Global position of the last appended event. */
  readonly logPosition: bigint;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive; forwards defaults to the first event, backwards to the last. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: returns events strictly after this position; omitted means from the beginning. */
  readonly after?: bigint;
  readonly maxCount?: number;
}

/**
 * Which event types a subscription delivers: those whose type starts with one of the prefixes (a
 * plain string comparison, no wildcards; `''` lets every type through). The store applies it where the
 * events are (SQL, the server's filter), so a consumer of a handful of types does not pay for the rest.
 */
export interface EventTypeFilter {
  readonly prefixes: readonly [string, ...string[]];
}

/** Whether a type passes a filter (for stores and fakes that filter in memory; an adapter filters where the events are). */
export const eventTypeMatches = (filter: EventTypeFilter | undefined, type: string): boolean =>
  filter === undefined || filter.prefixes.some((prefix) => type.startsWith(prefix));

export interface SubscribeOptions {
  /** Exclusive: delivers events strictly after this position; omitted means from the beginning. */
  readonly after?: bigint;
  /** Only these types; the others are skipped (and not decoded). Omitted: every event. */
  readonly eventTypes?: EventTypeFilter;
  /**
   * How far the subscription has looked, filtered-out events included: called with p once every event
   * at or before p has been looked at and each matching one delivered (its handler settled). Called
   * between deliveries, awaited like the handler, never with a smaller p than before, and at the latest
   * when the subscription has caught up with the log's head as it stood when it started (with that
   * head or beyond), so a consumer can tell it has read the past even when no event matched.
   */
  readonly onCheckpoint?: (logPosition: bigint) => void | Promise<void>;
  /**
   * Told each time the store's subscription dropped (a leader election, a restart, a network cut, the
   * server ending it): the adapter resubscribes by itself after the last delivered event, so nothing is
   * lost or delivered twice; this is for health reporting. Never called by a store that cannot drop.
   */
  readonly onDrop?: (drop: SubscriptionDrop) => void;
}

export interface SubscriptionDrop {
  /** Why it dropped: the store's error, or that the server ended the subscription. */
  readonly message: string;
  /** The resubscription delivers events strictly after this position (undefined: from the start). */
  readonly resumeAfter: bigint | undefined;
  /** Drops in a row without an event delivered in between (1 for the first). */
  readonly consecutive: number;
  /** How long the adapter waits before resubscribing. */
  readonly retryInMs: number;
}

export interface EventSubscription {
  close(): Promise<void>;
}

export type EventHandler = (event: StoredEvent) => void | Promise<void>;

/**
 * The event-store port. An abstract class so it doubles as the NestJS DI token; each adapter binds
 * it. Nothing above this port knows which store is behind it, and both adapters pass the same
 * contract suite (`testing/event-store.contract.ts`).
 */
export abstract class EventStore {
  /**
   * True when this store applies appends to a stream in the order they are issued and, when one fails,
   * also fails every append to that stream issued before the failed one's promise settled. Then a
   * writer may issue its next append (decided on top of the previous one) before the previous one is
   * durable, and an append decided on events that never landed cannot land. False: a writer must wait
   * for each append before deciding the next.
   */
  readonly pipelinesAppends: boolean = false;

  /** Appends all events or none, if the stream is at `expected`; fails with WrongExpectedRevision otherwise. */
  abstract append(
    stream: string,
    events: ReadonlyArray<EventToAppend>,
    expected: ExpectedRevision,
  ): TE.TaskEither<EventStoreError, AppendResult>;

  /** A stream's events; a stream that does not exist reads as empty. */
  abstract readStream(stream: string, options?: ReadStreamOptions): TE.TaskEither<EventStoreError, ReadonlyArray<StoredEvent>>;

  /** Every stream's events in global order. */
  abstract readAll(options?: ReadAllOptions): TE.TaskEither<EventStoreError, ReadonlyArray<StoredEvent>>;

  /**
   * The store's identity: a random id written once, when the store was created, and never changed.
   * Derived state (a projection snapshot) records it, so it is never used against another store (a
   * fresh database, another server) that merely has events at the same positions.
   */
  abstract identity(): TE.TaskEither<EventStoreError, string>;

  /** The event at exactly this global position, or `undefined` if there is none (anymore). */
  abstract readAt(logPosition: bigint): TE.TaskEither<EventStoreError, StoredEvent | undefined>;

  /** The global position of the last event in the log; 0n when the log is empty. */
  abstract headPosition(): TE.TaskEither<EventStoreError, bigint>;

  /**
   * Delivers every event after the checkpoint (of the types asked for, if any), then each new one as
   * it is appended, in global order with no gap and one at a time (the handler's promise is awaited
   * before the next delivery).
   */
  abstract subscribeToAll(options: SubscribeOptions, handler: EventHandler): EventSubscription;

  abstract close(): Promise<void>;
}
