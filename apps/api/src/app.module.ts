import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import {
  BookCommandService,
  BookEventsQuery,
  EventFinder,
  Clock,
  IdGenerator,
  NoProjectionSnapshots,
  PositionProjector,
  PositionQueries,
  ProjectionSnapshots,
  RandomIds,
  SystemClock,
  VerifyBookQuery,
} from '@treasury/application';
import { EventStore } from '@treasury/event-store';
import { EsdbEventStore } from '@treasury/event-store-esdb';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots } from '@treasury/projection-snapshots-file';
import { AdminController } from './admin/admin.controller';
import { AuditController } from './audit/audit.controller';
import { CommandsController } from './commands/commands.controller';
import type { AppConfig } from './config/app-config';
import { DocsController } from './docs/docs.controller';
import { EventsController } from './events/events.controller';
import { HealthController } from './health/health.controller';
import { PositionsController } from './positions/positions.controller';
import { ReportsController } from './reports/reports.controller';

/** Test seams: a fixed clock or ids. Production uses the system clock and random UUIDs. */
export interface AppOverrides {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
}

const eventStoreFor = (config: AppConfig): EventStore =>
  config.eventStore.kind === 'sqlite' ? new SqliteEventStore(config.eventStore.path) : new EsdbEventStore(config.eventStore.connectionString);

/**
 * Start-up and shut-down in one place, because order matters: the projection catches up before the
 * API answers, and on the way out it saves its snapshot before the store closes.
 */
class EngineLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projection');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PositionProjector) private readonly projector: PositionProjector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const report = await this.projector.start()();
    if (E.isLeft(report)) throw new Error(`the position projection could not catch up: ${report.left.message}`);
    const { fromSnapshot, fromStore, checkpoint, ms } = report.right;
    this.logger.log(`caught up to position ${checkpoint}: ${fromSnapshot} events from the snapshot, ${fromStore} from the store, in ${Math.round(ms)} ms`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
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
      {
        provide: ProjectionSnapshots,
        useFactory: () => (config.projectionSnapshotPath === undefined ? new NoProjectionSnapshots() : new FileProjectionSnapshots(config.projectionSnapshotPath)),
      },
      { provide: BookCommandService, useFactory: (store: EventStore, clock: Clock, ids: IdGenerator) => new BookCommandService(store, clock, ids), inject: [EventStore, Clock, IdGenerator] },
      {
        provide: BookEventsQuery,
        useFactory: (store: EventStore, projector: PositionProjector, commands: BookCommandService) => new BookEventsQuery(store, projector, () => commands.lastAcknowledgedPosition),
        inject: [EventStore, PositionProjector, BookCommandService],
      },
      {
        provide: EventFinder,
        useFactory: (store: EventStore, projector: PositionProjector, commands: BookCommandService) => new EventFinder(store, projector, () => commands.lastAcknowledgedPosition),
        inject: [EventStore, PositionProjector, BookCommandService],
      },
      { provide: VerifyBookQuery, useFactory: (store: EventStore) => new VerifyBookQuery(store), inject: [EventStore] },
      {
        provide: PositionProjector,
        useFactory: (store: EventStore, snapshots: ProjectionSnapshots) =>
          new PositionProjector(store, snapshots, { onSaveFailed: (error) => new Logger('Projection').warn(`snapshot not saved: ${error.message}`) }),
        inject: [EventStore, ProjectionSnapshots],
      },
      {
        provide: PositionQueries,
        useFactory: (projector: PositionProjector, clock: Clock, commands: BookCommandService) =>
          new PositionQueries(projector, clock, () => commands.lastAcknowledgedPosition),
        inject: [PositionProjector, Clock, BookCommandService],
      },
      EngineLifecycle,
    ];
    return {
      module: AppModule,
      controllers: [CommandsController, EventsController, PositionsController, ReportsController, AuditController, AdminController, HealthController, DocsController],
      providers,
    };
  }
}
