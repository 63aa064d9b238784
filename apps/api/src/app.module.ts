import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import * as E from 'fp-ts/Either';
import {
  AccessService,
  BookCommandService,
  BookEventsQuery,
  EventFinder,
  Clock,
  FeedNotifier,
  IdGenerator,
  PositionProjector,
  PositionQueries,
  ProjectionSnapshots,
  RandomIds,
  SystemClock,
  VerifyBookQuery,
} from '@treasury/application';
import { EventStore } from '@treasury/event-store';
import { openEventStore, openProjectionSnapshots } from '@treasury/startup';
import { AdminController } from './admin/admin.controller';
import { ProposalsController } from './approvals/proposals.controller';
import { AccessLogController } from './auth/access-log.controller';
import { ApiKeysController } from './auth/api-keys.controller';
import { AuthConfig, defaultBootstrapKeyFile } from './auth/auth-config';
import { AUTH_CONFIG, AuthGuard, OIDC_VERIFIER } from './auth/auth.guard';
import { FailedAuthentications } from './auth/failed-authentications';
import { writeBootstrapKey } from './auth/bootstrap-key';
import { OidcVerifier } from './auth/oidc-verifier';
import { AuditController } from './audit/audit.controller';
import { CommandsController } from './commands/commands.controller';
import { AppConfig, httpLimits } from './config/app-config';
import { DocsController } from './docs/docs.controller';
import { EventsController } from './events/events.controller';
import { HealthController } from './health/health.controller';
import { PositionsController } from './positions/positions.controller';
import { ReportsController } from './reports/reports.controller';
import { JournalController } from './journal/journal.controller';
import { JournalQueries } from '@treasury/application';
import { WebhookLifecycle, WebhookOverrides, webhookWorkerFactory } from './webhooks/webhook-lifecycle';
import { WebhooksController } from './webhooks/webhooks.controller';
import { FeedController } from './feed/feed.controller';
import { feedProviders } from './feed/feed.providers';
import { ConsoleController } from './web/console.controller';
import { IdentityController } from './web/identity.controller';
import { Metrics } from './metrics/metrics.service';

/** Test seams: a fixed clock or ids. Production uses the system clock and random UUIDs. */
export interface AppOverrides {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** The webhook worker's scheduler, transport, attempt timeout and jitter. */
  readonly webhooks?: WebhookOverrides;
}

const eventStoreFor = (config: AppConfig): EventStore => openEventStore(config.eventStore);

/** Authentication is on unless the configuration says otherwise. */
const authConfigOf = (config: AppConfig): AuthConfig =>
  config.auth ?? {
    mode: 'on',
    bootstrapKeyFile: defaultBootstrapKeyFile(config.eventStore.kind === 'sqlite' ? config.eventStore.path : undefined),
  };

/**
 * Start-up and shut-down in one place, because order matters: the projection catches up before the
 * API answers, and on the way out it saves its snapshot before the store closes.
 */
class EngineLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projection');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PositionProjector) private readonly projector: PositionProjector,
    @Inject(AccessService) private readonly access: AccessService,
    @Inject(AUTH_CONFIG) private readonly auth: AuthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.startAccess();
    const report = await this.projector.start()();
    if (E.isLeft(report)) throw new Error(`the position projection could not catch up: ${report.left.message}`);
    const { fromSnapshot, fromStore, checkpoint, ms } = report.right;
    this.logger.log(
      `caught up to log position ${checkpoint}: ${fromSnapshot} events from the snapshot, ${fromStore} from the store, in ${Math.round(ms)} ms`,
    );
  }

  /** Reads the access log; on a store with no key yet, creates the first admin key and writes it to a file. */
  private async startAccess(): Promise<void> {
    const logger = new Logger('Auth');
    const started = await this.access.start()();
    if (E.isLeft(started)) throw new Error(`the access log could not be read: ${started.left.message}`);
    if (this.auth.mode === 'off') {
      logger.warn('AUTH=off: every request acts as an unauthenticated local admin. For local experiments only; never expose this port.');
      return;
    }
    const created = await this.access.bootstrapAdminKey(async (token) => writeBootstrapKey(this.auth.bootstrapKeyFile, token))();
    if (E.isLeft(created))
      throw new Error(
        `the bootstrap admin key could not be created: ${'message' in created.left ? created.left.message : created.left._tag}`,
      );
    if (created.right !== undefined)
      logger.log(
        `fresh store: a bootstrap admin key (${created.right.key.keyPrefix}) was written to ${this.auth.bootstrapKeyFile} (readable by its owner only)`,
      );
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
        useFactory: () => openProjectionSnapshots(config.projectionSnapshotPath),
      },
      {
        provide: BookCommandService,
        useFactory: (store: EventStore, clock: Clock, ids: IdGenerator, metrics: Metrics) =>
          new BookCommandService(store, clock, ids, metrics.commands),
        inject: [EventStore, Clock, IdGenerator, Metrics],
      },
      {
        provide: Metrics,
        useFactory: (store: EventStore, projector: PositionProjector, notifier: FeedNotifier) =>
          new Metrics({ store, projector, notifier, snapshotPath: config.projectionSnapshotPath }),
        inject: [EventStore, PositionProjector, FeedNotifier],
      },
      {
        provide: BookEventsQuery,
        useFactory: (store: EventStore, projector: PositionProjector, commands: BookCommandService) =>
          new BookEventsQuery(store, projector, () => commands.lastAcknowledgedPosition),
        inject: [EventStore, PositionProjector, BookCommandService],
      },
      {
        provide: EventFinder,
        useFactory: (store: EventStore, projector: PositionProjector, commands: BookCommandService) =>
          new EventFinder(store, projector, () => commands.lastAcknowledgedPosition),
        inject: [EventStore, PositionProjector, BookCommandService],
      },
      {
        provide: VerifyBookQuery,
        useFactory: (store: EventStore, projector: PositionProjector) =>
          new VerifyBookQuery(store, (bookId) => projector.findingOf(bookId)),
        inject: [EventStore, PositionProjector],
      },
      {
        provide: PositionProjector,
        useFactory: (store: EventStore, snapshots: ProjectionSnapshots) =>
          new PositionProjector(store, snapshots, {
            onSaveFailed: (error) => new Logger('Projection').warn(`snapshot not saved: ${error.message}`),
            onWarning: (message) => new Logger('Projection').warn(message),
          }),
        inject: [EventStore, ProjectionSnapshots],
      },
      {
        provide: PositionQueries,
        useFactory: (projector: PositionProjector, clock: Clock, commands: BookCommandService) =>
          new PositionQueries(projector, clock, () => commands.lastAcknowledgedPosition),
        inject: [PositionProjector, Clock, BookCommandService],
      },
      {
        provide: JournalQueries,
        useFactory: (store: EventStore, positions: PositionQueries) => new JournalQueries(store, positions),
        inject: [EventStore, PositionQueries],
      },
      {
        provide: AccessService,
        useFactory: (store: EventStore, clock: Clock, ids: IdGenerator) => new AccessService(store, clock, ids),
        inject: [EventStore, Clock, IdGenerator],
      },
      { provide: AUTH_CONFIG, useValue: authConfigOf(config) },
      { provide: OIDC_VERIFIER, useValue: config.auth?.oidc === undefined ? null : new OidcVerifier(config.auth.oidc) },
      { provide: FailedAuthentications, useValue: new FailedAuthentications(httpLimits(config).authFailuresPerMinute) },
      { provide: APP_GUARD, useClass: AuthGuard },
      EngineLifecycle,
      webhookWorkerFactory(overrides.webhooks),
      WebhookLifecycle,
      ...feedProviders,
    ];
    return {
      module: AppModule,
      // The feed first: its /v1/events/stream must be routed before EventsController's /v1/events/:eventId.
      controllers: [
        FeedController,
        ApiKeysController,
        AccessLogController,
        ProposalsController,
        CommandsController,
        EventsController,
        PositionsController,
        ReportsController,
        JournalController,
        AuditController,
        AdminController,
        HealthController,
        DocsController,
        IdentityController,
        ConsoleController,
        WebhooksController,
      ],
      providers,
    };
  }
}
