import { Inject, Logger, OnApplicationBootstrap, OnModuleDestroy, Provider } from '@nestjs/common';
import { AlertMonitor, AlertsQuery, BookCommandService, Clock, FeedNotifier, IdGenerator, PositionProjector } from '@treasury/application';
import { EventStore } from '@treasury/event-store';
import { FeedStreams } from './feed-streams';

/**
 * Starts the feed's notifier and the alert monitor with the engine, and on the way out ends every open
 * stream and stops the monitor before the store closes (module destroy runs before the shutdown hook
 * that closes it).
 */
class FeedLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(FeedNotifier) private readonly notifier: FeedNotifier,
    @Inject(AlertMonitor) private readonly monitor: AlertMonitor,
    @Inject(FeedStreams) private readonly streams: FeedStreams,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.notifier.start();
    await this.monitor.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.streams.closeAll();
    await this.monitor.stop();
    await this.notifier.stop();
  }
}

export const feedProviders: Provider[] = [
  { provide: FeedNotifier, useFactory: (store: EventStore) => new FeedNotifier(store), inject: [EventStore] },
  {
    provide: FeedStreams,
    useFactory: (store: EventStore, projector: PositionProjector, notifier: FeedNotifier) => new FeedStreams(store, projector, notifier),
    inject: [EventStore, PositionProjector, FeedNotifier],
  },
  {
    provide: AlertsQuery,
    useFactory: (store: EventStore, projector: PositionProjector, commands: BookCommandService) =>
      new AlertsQuery(store, projector, () => commands.lastAcknowledgedPosition),
    inject: [EventStore, PositionProjector, BookCommandService],
  },
  {
    provide: AlertMonitor,
    useFactory: (store: EventStore, projector: PositionProjector, notifier: FeedNotifier, clock: Clock, ids: IdGenerator) =>
      new AlertMonitor(store, projector, notifier, clock, ids, { onWarning: (message) => new Logger('Alerts').warn(message) }),
    inject: [EventStore, PositionProjector, FeedNotifier, Clock, IdGenerator],
  },
  FeedLifecycle,
];
