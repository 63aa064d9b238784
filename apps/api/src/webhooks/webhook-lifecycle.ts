import { BeforeApplicationShutdown, Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import {
  Clock,
  FetchTransport,
  IdGenerator,
  PositionProjector,
  TimerScheduler,
  WebhookDeliveryWorker,
  WebhookWorkerOptions,
} from '@treasury/application';
import { EventStore } from '@treasury/event-store';

/** Test seams: a scheduler the test moves, a shorter per-attempt timeout, a fixed jitter. */
export type WebhookOverrides = Partial<WebhookWorkerOptions>;

export const webhookWorkerFactory = (overrides: WebhookOverrides = {}) => ({
  provide: WebhookDeliveryWorker,
  useFactory: (store: EventStore, projector: PositionProjector, clock: Clock, ids: IdGenerator) => {
    const logger = new Logger('Webhooks');
    // Messages name the book, webhook and error, never the secret or the payload.
    return new WebhookDeliveryWorker(store, projector, clock, ids, {
      scheduler: new TimerScheduler(),
      transport: new FetchTransport(),
      warn: (message) => logger.warn(message),
      ...overrides,
    });
  },
  inject: [EventStore, PositionProjector, Clock, IdGenerator],
});

/**
 * Starts the delivery worker with the API (it follows the log in the background; the API does not
 * wait for it) and stops it before the store closes: beforeApplicationShutdown runs before every
 * onApplicationShutdown, where the engine closes the store.
 */
export class WebhookLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(WebhookDeliveryWorker) private readonly worker: WebhookDeliveryWorker) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}
