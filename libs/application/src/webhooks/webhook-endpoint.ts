import * as E from 'fp-ts/Either';
import { Webhook } from 'standardwebhooks';
import { EventStore, storeErrorMessage } from '@treasury/event-store';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import type { FeedItem } from '../feed/feed-items';
import { retryDelay } from './backoff';
import {
  DeliveryAttempted,
  DeliveryEvent,
  EndpointState,
  RedeliveryHandled,
  decodeDeliveryEvent,
  emptyEndpointState,
  evolveEndpoint,
  webhookStream,
} from './delivery.events';
import type { WebhookScheduler } from './scheduler';
import type { WebhookTransport } from './webhook-transport';

/** Feed items of one book strictly after a log position (libs/application/src/feed behind a seam). */
export interface WebhookFeed {
  itemsAfter(
    bookId: string,
    after: bigint,
    maxScan?: number,
  ): Promise<E.Either<string, { readonly items: ReadonlyArray<FeedItem>; readonly cursor: bigint; readonly atEnd: boolean }>>;
}

export interface EndpointConfig {
  readonly bookId: string;
  readonly webhookId: string;
  readonly url: string;
  readonly events: ReadonlySet<string>;
  readonly secret: string;
  /** The log position of its WebhookRegistered: items after it are delivered, none before. */
  readonly registeredAt: bigint;
}

export interface EndpointDeps {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scheduler: WebhookScheduler;
  readonly transport: WebhookTransport;
  readonly feed: WebhookFeed;
  readonly random: () => number;
  readonly attemptTimeoutMs: number;
  readonly warn: (message: string) => void;
}

/** After a store failure the loop waits this long (scheduler time) before trying again. */
const STORE_RETRY_MS = 5_000;
const LOG_PAGE = 500;

/**
 * One endpoint's delivery loop: strictly in log order, one request in flight, the next item only
 * after the previous was acknowledged (2xx). A failing item is retried on the backoff schedule; once
 * the schedule is spent the endpoint stops at it (`failing`) until an admin asks for a redelivery, so
 * nothing is ever delivered out of order or silently dropped.
 */
export class WebhookEndpoint {
  private state: EndpointState = emptyEndpointState;
  private loaded = false;
  private stopped = false;
  private disabled = false;
  private dirty = true;
  private wakeSignal = new AbortController();
  private readonly requests: Array<{ readonly requestPosition: bigint; readonly logPosition: bigint }> = [];
  /** Matching items read ahead of the cursor, and where the read-ahead stopped. */
  private queue: FeedItem[] = [];
  private scanCursor: bigint | undefined;
  private running: Promise<void> | undefined;
  private readonly signer: Webhook;

  constructor(
    readonly config: EndpointConfig,
    private readonly deps: EndpointDeps,
  ) {
    this.signer = new Webhook(config.secret);
  }

  get snapshot(): { readonly loaded: boolean; readonly state: EndpointState; readonly disabled: boolean } {
    return { loaded: this.loaded, state: this.state, disabled: this.disabled };
  }

  start(): void {
    this.running ??= this.loop().catch((error: unknown) =>
      this.deps.warn(`webhook ${this.name}: delivery loop stopped: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** The log grew (or something else changed): look again. */
  wake(): void {
    this.dirty = true;
    this.wakeSignal.abort();
  }

  requestRedelivery(requestPosition: bigint, logPosition: bigint): void {
    this.requests.push({ requestPosition, logPosition });
    this.wake();
  }

  disable(): void {
    this.disabled = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  private get name(): string {
    return `${this.config.bookId}/${this.config.webhookId}`;
  }

  private get active(): boolean {
    return !this.stopped && !this.disabled;
  }

  /** Sleeps until `ms` passed (scheduler time) or wake() is called. */
  private async sleep(ms: number): Promise<void> {
    if (this.wakeSignal.signal.aborted) this.wakeSignal = new AbortController();
    if (this.dirty || !this.active) return;
    await this.deps.scheduler.wait(ms, this.wakeSignal.signal);
  }

  private async loop(): Promise<void> {
    while (this.active && !(await this.load())) await this.sleep(STORE_RETRY_MS);
    this.scanCursor = this.state.acknowledgedThrough ?? this.config.registeredAt;
    while (this.active) {
      const request = this.requests.shift();
      if (request !== undefined) {
        if (request.requestPosition > this.state.lastRequest) await this.redeliver(request.requestPosition, request.logPosition);
        continue;
      }
      const pending = this.state.pending;
      if (pending !== undefined) {
        this.dirty = false;
        // Failing (given up): nothing until an admin's redelivery wakes the loop.
        if (pending.nextAttemptAt === undefined) await this.sleep(Number.MAX_SAFE_INTEGER);
        else if (pending.nextAttemptAt > this.deps.clock.now()) await this.sleep(pending.nextAttemptAt - this.deps.clock.now());
        else await this.attemptAt(pending.logPosition, pending.attempts + 1);
        continue;
      }
      const next = await this.nextItem();
      if (next === 'wait') await this.sleep(Number.MAX_SAFE_INTEGER);
      else if (next === 'store-failure') await this.sleep(STORE_RETRY_MS);
      else await this.attempt(next, 1, false);
    }
  }

  /** Folds the endpoint's delivery log; false when the store could not be read. */
  private async load(): Promise<boolean> {
    let state = emptyEndpointState;
    for (;;) {
      const page = await this.deps.store.readStream(webhookStream(this.config.bookId, this.config.webhookId), {
        fromRevision: state.revision + 1,
        maxCount: LOG_PAGE,
      })();
      if (E.isLeft(page)) {
        this.deps.warn(`webhook ${this.name}: reading its delivery log: ${storeErrorMessage(page.left)}`);
        return false;
      }
      for (const stored of page.right) {
        const decoded = decodeDeliveryEvent(stored);
        if (E.isLeft(decoded)) throw new Error(decoded.left);
        state = evolveEndpoint(state, decoded.right, stored.revision);
      }
      if (page.right.length < LOG_PAGE) break;
    }
    this.state = state;
    this.loaded = true;
    return true;
  }

  /** The next subscribed item after the cursor, reading ahead a page at a time. */
  private async nextItem(): Promise<FeedItem | 'wait' | 'store-failure'> {
    for (;;) {
      const queued = this.queue.shift();
      if (queued !== undefined) return queued;
      this.dirty = false;
      const page = await this.deps.feed.itemsAfter(this.config.bookId, this.scanCursor!);
      if (E.isLeft(page)) {
        this.deps.warn(`webhook ${this.name}: reading the feed: ${page.left}`);
        return 'store-failure';
      }
      this.queue = page.right.items.filter((item) => this.config.events.has(item.type));
      this.scanCursor = page.right.cursor;
      if (this.queue.length === 0 && page.right.atEnd) return this.dirty ? this.nextItem() : 'wait';
      if (!this.active) return 'wait';
    }
  }

  private async itemAt(logPosition: bigint): Promise<E.Either<string, FeedItem | undefined>> {
    const page = await this.deps.feed.itemsAfter(this.config.bookId, logPosition - 1n, 1);
    return E.map((found: { readonly items: ReadonlyArray<FeedItem> }) => found.items.find((item) => item.logPosition === logPosition))(
      page,
    );
  }

  private async attemptAt(logPosition: bigint, attempt: number): Promise<void> {
    const item = await this.itemAt(logPosition);
    if (E.isLeft(item)) return this.sleep(STORE_RETRY_MS);
    if (item.right === undefined) {
      this.deps.warn(`webhook ${this.name}: the item at log position ${logPosition} is no longer in the log`);
      return this.sleep(Number.MAX_SAFE_INTEGER);
    }
    return this.attempt(item.right, attempt, false);
  }

  /** One signed POST, then its outcome appended to the delivery log (the send comes first: at least once). */
  private async attempt(item: FeedItem, attempt: number, redelivery: boolean): Promise<void> {
    const messageId = `msg_${item.eventId}`;
    const payload = JSON.stringify({ type: item.type, timestamp: item.view['recordedAt'], data: item.view });
    const attemptedAt = this.deps.clock.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'treasury-engine-webhooks',
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(attemptedAt / 1000)),
      'webhook-signature': this.signer.sign(messageId, new Date(attemptedAt), payload),
    };
    const outcome = await this.deps.transport.post({ url: this.config.url, headers, body: payload, timeoutMs: this.deps.attemptTimeoutMs });
    const delay = outcome.ok || redelivery ? undefined : retryDelay(attempt, this.deps.random);
    const record: DeliveryAttempted = {
      type: 'WebhookDeliveryAttempted',
      logPosition: item.logPosition.toString(),
      eventId: item.eventId,
      messageId,
      attempt,
      attemptedAt,
      redelivery,
      outcome: outcome.ok ? 'acknowledged' : 'failed',
      ...(outcome.statusCode === undefined ? {} : { statusCode: outcome.statusCode }),
      ...(outcome.ok ? {} : { error: outcome.error }),
      ...(outcome.ok || redelivery ? {} : delay === undefined ? { gaveUp: true } : { nextAttemptAt: this.deps.clock.now() + delay }),
    };
    if (!(await this.record(record)) && !outcome.ok && !redelivery) await this.sleep(STORE_RETRY_MS);
  }

  /** An admin's redelivery request, handled once (the delivery log says which). */
  private async redeliver(requestPosition: bigint, logPosition: bigint): Promise<void> {
    const acknowledged = this.state.acknowledgedThrough;
    let action: RedeliveryHandled['action'];
    let item: FeedItem | undefined;
    if (this.state.pending?.logPosition === logPosition) action = 'retry-now';
    else if (acknowledged !== undefined && logPosition > this.config.registeredAt && logPosition <= acknowledged) {
      const found = await this.itemAt(logPosition);
      if (E.isLeft(found)) return this.sleep(STORE_RETRY_MS);
      item = found.right !== undefined && this.config.events.has(found.right.type) ? found.right : undefined;
      action = item === undefined ? 'not-delivered' : 'resend';
    } else action = logPosition > (acknowledged ?? this.config.registeredAt) ? 'not-yet-reached' : 'not-delivered';
    const handled: RedeliveryHandled = {
      type: 'WebhookRedeliveryHandled',
      requestPosition: requestPosition.toString(),
      logPosition: logPosition.toString(),
      action,
      handledAt: this.deps.clock.now(),
    };
    if (!(await this.record(handled))) {
      this.requests.unshift({ requestPosition, logPosition });
      return this.sleep(STORE_RETRY_MS);
    }
    if (item !== undefined) await this.attempt(item, 1, true);
  }

  /** Appends to the delivery log at the expected revision; on a conflict (another writer) re-reads the log. */
  private async record(event: DeliveryEvent): Promise<boolean> {
    const appended = await this.deps.store.append(
      webhookStream(this.config.bookId, this.config.webhookId),
      [{ eventId: this.deps.ids.newId(), type: event.type, data: event, metadata: {} }],
      this.state.revision < 0 ? 'no-stream' : this.state.revision,
    )();
    if (E.isLeft(appended)) {
      this.deps.warn(`webhook ${this.name}: recording a delivery: ${storeErrorMessage(appended.left)}`);
      if (appended.left._tag === 'WrongExpectedRevision') {
        this.queue = [];
        await this.load();
        this.scanCursor = this.state.acknowledgedThrough ?? this.config.registeredAt;
      }
      return false;
    }
    this.state = evolveEndpoint(this.state, event, appended.right.revision);
    if (event.type === 'WebhookDeliveryAttempted' && !event.redelivery && event.outcome === 'acknowledged')
      this.scanCursor = this.scanCursor! > BigInt(event.logPosition) ? this.scanCursor : BigInt(event.logPosition);
    return true;
  }
}
