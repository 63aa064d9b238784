import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import type { EventHandler, StoredEvent, SubscribeOptions } from '@treasury/event-store';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { BookCommandService } from '../commands/book-command.service';
import { Clock } from '../ports/clock';
import { RandomIds } from '../ports/id-generator';
import { TimerScheduler } from './scheduler';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { DeliveryOutcome, DeliveryRequest, WebhookTransport } from './webhook-transport';

class FixedClock extends Clock {
  now(): number {
    return Date.parse('2025-07-01T00:00:00Z');
  }
}

class RecordingTransport extends WebhookTransport {
  readonly posts: DeliveryRequest[] = [];
  async post(request: DeliveryRequest): Promise<DeliveryOutcome> {
    this.posts.push(request);
    return { ok: true, statusCode: 200 };
  }
}

const eventually = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('WebhookDeliveryWorker start on a long log', () => {
  let dir: string;
  let store: SqliteEventStore;
  let worker: WebhookDeliveryWorker | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-worker-'));
    store = new SqliteEventStore(join(dir, 'treasury.db'));
  });
  afterEach(async () => {
    await worker?.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is handed only the webhook records of the past, goes live at the head, then wakes on new events', async () => {
    const clock = new FixedClock();
    const commands = new BookCommandService(store, clock, new RandomIds());
    const run = async (command: string, body: unknown) => {
      const result = await commands.execute({ bookId: 'acme', command, body, actor: 'test' })();
      if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
    };
    await run('open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });
    await run('register-webhook', {
      webhookId: 'erp',
      url: 'https://erp.example/hook',
      events: ['BtcPriceObserved'],
      secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0',
    });
    await run('register-webhook', {
      webhookId: 'old',
      url: 'https://old.example/hook',
      events: ['BtcPriceObserved'],
      secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0',
    });
    for (let day = 1; day <= 5; day++) await run('record-btc-price', { effectiveAt: `2025-06-0${day}T00:00:00Z`, usdPerBtc: '90000.00' });
    await run('disable-webhook', { webhookId: 'old' });
    // Far more events than the worker needs: 30,000 of other streams after the book's.
    for (let batch = 0; batch < 6; batch++) {
      const events = Array.from({ length: 5_000 }, (_, n) => ({
        eventId: `00000000-0000-4000-8000-${String(batch * 5_000 + n).padStart(12, '0')}`,
        type: 'Noise',
        data: { n },
        metadata: {},
      }));
      const appended = await store.append(`noise-${batch}`, events, 'no-stream')();
      if (E.isLeft(appended)) throw new Error(appended.left._tag);
    }

    const head = await store.headPosition()();
    if (E.isLeft(head)) throw new Error(head.left._tag);
    // Everything the store hands to the worker's handlers, per subscription.
    const handed: Array<{ readonly live: boolean; readonly event: StoredEvent }> = [];
    const subscribe = store.subscribeToAll.bind(store);
    store.subscribeToAll = (options: SubscribeOptions, handler: EventHandler) =>
      subscribe(options, (event) => (handed.push({ live: options.eventTypes === undefined, event }), handler(event)));

    const transport = new RecordingTransport();
    worker = new WebhookDeliveryWorker(store, { book: () => undefined }, clock, new RandomIds(), {
      scheduler: new TimerScheduler(),
      transport,
    });
    await worker.start();
    await eventually(() => worker!.summary('acme', 'erp').status === 'active', 'the endpoint to go live');
    // The five past prices were delivered from the endpoint's own reading of the feed.
    await eventually(() => transport.posts.length === 5, 'the past prices');
    // Of the 30,000-odd events in the log at start, the worker was handed three (its delivery log's appends come after).
    expect(handed.filter((h) => h.event.logPosition <= head.right).map((h) => [h.live, h.event.type])).toEqual([
      [false, 'WebhookRegistered'],
      [false, 'WebhookRegistered'],
      [false, 'WebhookDisabled'],
    ]);
    expect(worker.summary('acme', 'old').status).toBe('disabled');

    // Once the endpoint has nothing left and sleeps, only the wake-up subscription can start it again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await run('record-btc-price', { effectiveAt: '2025-06-20T00:00:00Z', usdPerBtc: '95000.00' });
    await eventually(() => transport.posts.length === 6, 'the new price');
    expect(transport.posts.every((post) => post.url === 'https://erp.example/hook')).toBe(true);
    expect(handed.filter((h) => h.event.type === 'BtcPriceObserved').map((h) => h.live)).toEqual([true]);
  });
});
