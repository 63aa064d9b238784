import { DynamicModule, Inject, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { BookCommandService, BookEventsQuery, Clock, IdGenerator, RandomIds, SystemClock } from '@treasury/application';
import { EventStore } from '@treasury/event-store';
import { EsdbEventStore } from '@treasury/event-store-esdb';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { CommandsController } from './commands/commands.controller';
import type { AppConfig } from './config/app-config';
import { DocsController } from './docs/docs.controller';
import { EventsController } from './events/events.controller';
import { HealthController } from './health/health.controller';

/** Test seams: a fixed clock or ids. Production uses the system clock and random UUIDs. */
export interface AppOverrides {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
}

const eventStoreFor = (config: AppConfig): EventStore =>
  config.eventStore.kind === 'sqlite' ? new SqliteEventStore(config.eventStore.path) : new EsdbEventStore(config.eventStore.connectionString);

/** Closes the store when Nest shuts down, so SQLite checkpoints its WAL and ESDB drops its connection. */
class EventStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: EventStore, useFactory: () => eventStoreFor(config) },
      { provide: Clock, useValue: overrides.clock ?? new SystemClock() },
      { provide: IdGenerator, useValue: overrides.ids ?? new RandomIds() },
      { provide: BookCommandService, useFactory: (store: EventStore, clock: Clock, ids: IdGenerator) => new BookCommandService(store, clock, ids), inject: [EventStore, Clock, IdGenerator] },
      { provide: BookEventsQuery, useFactory: (store: EventStore) => new BookEventsQuery(store), inject: [EventStore] },
      EventStoreCloser,
    ];
    return {
      module: AppModule,
      controllers: [CommandsController, EventsController, HealthController, DocsController],
      providers,
    };
  }
}
