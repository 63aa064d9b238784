import * as E from 'fp-ts/Either';
import type { BookEventOf } from '@treasury/domain';
import { EventStore, EventSubscription, StoredEvent, storeErrorMessage } from '@treasury/event-store';
import { bookIdOfStream, decodeStoredEvent } from '../commands/book-stream';
import { FeedLinks, feedItemsAfter, feedKindOf } from '../feed/feed-items';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import { DeliveryEvent, EndpointState, decodeDeliveryEvent, endpointStatus, webhookStream } from './delivery.events';
import { secretFingerprint } from './secret-redaction';
import { WebhookScheduler } from './scheduler';
import { EndpointConfig, WebhookEndpoint, WebhookFeed } from './webhook-endpoint';
import { WebhookTransport } from './webhook-transport';

export interface WebhookWorkerOptions {
  readonly scheduler: WebhookScheduler;
  readonly transport: WebhookTransport;
  /** Per-attempt HTTP timeout (10 s unless a test says otherwise). */
  readonly attemptTimeoutMs?: number;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  readonly warn?: (message: string) => void;
}

/** What GET /v1/books/{bookId}/webhooks lists: never the secret, only its fingerprint. */
export interface WebhookRegistration {
  readonly bookId: string;
  readonly webhookId: string;
  readonly url: string;
  readonly events: ReadonlyArray<string>;
  readonly secretFingerprint: string;
  readonly registeredAt: number;
  readonly registeredAtPosition: bigint;
  readonly disabledAt: number | undefined;
}

export interface DeliveryLogEntry {
  readonly sequence: number;
  readonly event: DeliveryEvent;
}

export interface EndpointSummary {
  readonly status: 'disabled' | 'failing' | 'retrying' | 'active' | 'starting';
  readonly state: EndpointState | undefined;
}

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

const key = (bookId: string, webhookId: string) => `${bookId}\u0000${webhookId}`;

/** The book events the worker learns its endpoints from: the store hands it these types only. */
export const WEBHOOK_RECORD_TYPES = ['WebhookRegistered', 'WebhookDisabled', 'WebhookRedeliveryRequested'] as const;

/**
 * The delivery worker: follows the webhook records (one subscription from the start, filtered by the
 * store to their types, so a start on a long log does not read every event) to know every book's
 * endpoints, then runs one WebhookEndpoint loop per active endpoint, woken whenever its book's feed
 * grows (a second subscription, from the head at start: an endpoint reads its own past itself).
 * Endpoints start only once the records' subscription has looked through the log's head at start-up,
 * so a webhook disabled later in the log is never called on the way.
 * One worker per store: a second process on the same store would deliver twice (its appends conflict
 * and it re-reads, but the second send has happened).
 */
export class WebhookDeliveryWorker {
  private readonly registrations = new Map<string, WebhookRegistration>();
  private readonly endpoints = new Map<string, WebhookEndpoint>();
  private readonly byBook = new Map<string, Set<WebhookEndpoint>>();
  private subscription: EventSubscription | undefined;
  private wakeups: EventSubscription | undefined;
  private live = false;
  private processed = 0n;
  private readonly waiters = new Set<{ readonly logPosition: bigint; readonly resolve: () => void }>();
  private readonly feed: WebhookFeed;
  private readonly warn: (message: string) => void;

  constructor(
    private readonly store: EventStore,
    links: FeedLinks,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly options: WebhookWorkerOptions,
  ) {
    this.warn = options.warn ?? (() => undefined);
    this.feed = {
      itemsAfter: async (bookId, after, maxScan) => {
        const page = await feedItemsAfter(store, links, after, (b) => b === bookId, maxScan === undefined ? {} : { maxScan })();
        return E.mapLeft((error: { readonly message: string }) => error.message)(page);
      },
    };
  }

  async start(): Promise<void> {
    const head = await this.store.headPosition()();
    if (E.isLeft(head)) throw new Error(`webhooks: reading the log head: ${storeErrorMessage(head.left)}`);
    const startHead = head.right;
    if (startHead === 0n) this.goLive();
    const reached = (logPosition: bigint) => {
      if (logPosition > this.processed) this.processed = logPosition;
      if (!this.live && this.processed >= startHead) this.goLive();
      for (const waiter of [...this.waiters]) if (waiter.logPosition <= this.processed) waiter.resolve();
    };
    const records = { eventTypes: { prefixes: WEBHOOK_RECORD_TYPES }, onCheckpoint: reached };
    this.subscription = this.store.subscribeToAll(records, (stored) => {
      try {
        this.follow(stored);
      } catch (error) {
        this.warn(`webhooks: ${error instanceof Error ? error.message : String(error)}`);
      }
      reached(stored.logPosition);
    });
    this.wakeups = this.store.subscribeToAll({ after: startHead }, (stored) => {
      const fed = feedKindOf(stored);
      if (fed !== undefined) for (const endpoint of this.byBook.get(fed.bookId) ?? []) endpoint.wake();
    });
  }

  async stop(): Promise<void> {
    await Promise.all([this.subscription?.close(), this.wakeups?.close()]);
    this.subscription = undefined;
    this.wakeups = undefined;
    await Promise.all([...this.endpoints.values()].map((endpoint) => endpoint.stop()));
    for (const waiter of [...this.waiters]) waiter.resolve();
  }

  /** Resolves once the worker has followed the log to `position` (a just-registered webhook is listed), or after the timeout. */
  waitFor(logPosition: bigint, timeoutMs: number): Promise<void> {
    if (this.processed >= logPosition) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        logPosition,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.resolve, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  list(bookId: string): ReadonlyArray<WebhookRegistration> {
    return [...this.registrations.values()].filter((registration) => registration.bookId === bookId);
  }

  find(bookId: string, webhookId: string): WebhookRegistration | undefined {
    return this.registrations.get(key(bookId, webhookId));
  }

  summary(bookId: string, webhookId: string): EndpointSummary {
    const registration = this.registrations.get(key(bookId, webhookId));
    const endpoint = this.endpoints.get(key(bookId, webhookId));
    if (registration?.disabledAt !== undefined) return { status: 'disabled', state: endpoint?.snapshot.state };
    if (endpoint === undefined || !endpoint.snapshot.loaded) return { status: 'starting', state: undefined };
    return { status: endpointStatus(endpoint.snapshot.state, false), state: endpoint.snapshot.state };
  }

  /** A page of an endpoint's delivery log, oldest first, from `fromSequence`. */
  async deliveries(
    bookId: string,
    webhookId: string,
    fromSequence: number,
    limit: number,
  ): Promise<E.Either<string, ReadonlyArray<DeliveryLogEntry>>> {
    const read = await this.store.readStream(webhookStream(bookId, webhookId), { fromRevision: fromSequence, maxCount: limit })();
    if (E.isLeft(read)) return E.left(storeErrorMessage(read.left));
    const entries: DeliveryLogEntry[] = [];
    for (const stored of read.right) {
      const decoded = decodeDeliveryEvent(stored);
      if (E.isLeft(decoded)) return decoded;
      entries.push({ sequence: stored.revision, event: decoded.right });
    }
    return E.right(entries);
  }

  private goLive(): void {
    this.live = true;
    for (const [id, endpoint] of this.endpoints) if (this.registrations.get(id)?.disabledAt === undefined) endpoint.start();
  }

  /** A webhook record (the store hands over no other type); one in a stream other than a book's is not one. */
  private follow(stored: StoredEvent): void {
    const bookId = bookIdOfStream(stored.stream);
    if (bookId === undefined) return;
    const decoded = decodeStoredEvent(stored);
    if (E.isLeft(decoded)) throw decoded.left;
    const { event, metadata } = decoded.right;
    if (event.type === 'WebhookRegistered') this.register(bookId, event, stored.logPosition, metadata.recordedAt);
    else if (event.type === 'WebhookDisabled') this.disable(bookId, event.webhookId, metadata.recordedAt);
    else if (event.type === 'WebhookRedeliveryRequested')
      this.endpoints.get(key(bookId, event.webhookId))?.requestRedelivery(stored.logPosition, BigInt(event.logPosition));
  }

  private register(bookId: string, event: BookEventOf<'WebhookRegistered'>, logPosition: bigint, recordedAt: number): void {
    const id = key(bookId, event.webhookId);
    this.registrations.set(id, {
      bookId,
      webhookId: event.webhookId,
      url: event.url,
      events: event.events,
      secretFingerprint: secretFingerprint(event.secret),
      registeredAt: recordedAt,
      registeredAtPosition: logPosition,
      disabledAt: undefined,
    });
    const config: EndpointConfig = {
      bookId,
      webhookId: event.webhookId,
      url: event.url,
      events: new Set(event.events),
      secret: event.secret,
      registeredAt: logPosition,
    };
    const endpoint = new WebhookEndpoint(config, {
      store: this.store,
      clock: this.clock,
      ids: this.ids,
      scheduler: this.options.scheduler,
      transport: this.options.transport,
      feed: this.feed,
      random: this.options.random ?? Math.random,
      attemptTimeoutMs: this.options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
      warn: this.warn,
    });
    this.endpoints.set(id, endpoint);
    let set = this.byBook.get(bookId);
    if (set === undefined) this.byBook.set(bookId, (set = new Set()));
    set.add(endpoint);
    if (this.live) endpoint.start();
  }

  private disable(bookId: string, webhookId: string, recordedAt: number): void {
    const id = key(bookId, webhookId);
    const registration = this.registrations.get(id);
    if (registration !== undefined) this.registrations.set(id, { ...registration, disabledAt: recordedAt });
    this.endpoints.get(id)?.disable();
  }
}
