import { stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import type { CommandObserver, FeedNotifier, PositionProjector } from '@treasury/application';
import type { EventStore, EventSubscription } from '@treasury/event-store';
import { COUNTED_TYPES, countLogEvent } from './log-counters';
import { MetricFamilies, metricFamilies } from './metric-families';
import { MetricsServerConfig, isLoopback } from './metrics-config';
import { addressOf, closeServer, startMetricsServer } from './metrics-server';
import { ProjectionLag } from './projection-lag';

/** What an SQLite store offers to watch its group commits (duck-typed: nothing above the port names the adapter). */
interface GroupCommits {
  onGroupCommit: ((commit: { readonly appends: number; readonly written: number; readonly seconds: number }) => void) | undefined;
}

const watchesGroupCommits = (store: EventStore): store is EventStore & GroupCommits => 'onGroupCommit' in store;

/** How often the head the log has reached is noted, for the lag in seconds (no I/O: the feed notifier's head). */
const SAMPLE_MS = 500;

export interface MetricsSources {
  readonly store: EventStore;
  readonly projector: PositionProjector;
  readonly notifier: FeedNotifier;
  /** The projection snapshot file, if the projection keeps one. */
  readonly snapshotPath: string | undefined;
}

/**
 * The API's metrics: the families (metric-families.ts), fed by the command service's observer, the
 * SQLite store's group-commit hook, the HTTP middleware and a filtered subscription to the log; the
 * projection's gauges are read when scraped. Served on a port of its own (metrics-server.ts).
 */
export class Metrics implements OnApplicationBootstrap, OnModuleDestroy {
  readonly families: MetricFamilies = metricFamilies();
  private readonly lag = new ProjectionLag();
  private rebuildStartedAt: number | undefined;
  private subscription: EventSubscription | undefined;
  private sampler: NodeJS.Timeout | undefined;
  private server: Server | undefined;

  /** Told by BookCommandService how each command ended. */
  readonly commands: CommandObserver = {
    onCommand: ({ command, outcome, seconds }) => {
      this.families.commands.inc({ command, outcome });
      this.families.commandSeconds.observe({ command }, seconds);
    },
  };

  constructor(private readonly sources: MetricsSources) {
    const { store } = sources;
    if (watchesGroupCommits(store))
      store.onGroupCommit = ({ appends, written, seconds }) => {
        this.families.groupCommitAppends.observe(appends);
        this.families.commitSeconds.observe(seconds);
        if (written > 0) this.families.fsyncs.inc();
      };
  }

  get contentType(): string {
    return this.families.registry.contentType;
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.families.http.observe({ method, route, status: String(status) }, seconds);
  }

  /** Counts alerts and webhook attempts appended from now on (counters start at zero with the process, as Prometheus expects). */
  async onApplicationBootstrap(): Promise<void> {
    const { store } = this.sources;
    const head = await store.headPosition()();
    if (E.isLeft(head)) throw new Error('metrics: the log head could not be read');
    this.subscription = store.subscribeToAll({ after: head.right, eventTypes: { prefixes: [...COUNTED_TYPES] } }, (event) =>
      countLogEvent(this.families, event),
    );
    this.sampler = setInterval(() => this.sample(), SAMPLE_MS);
    this.sampler.unref();
  }

  /** Before the store closes (module destroy runs before the shutdown hook that closes it). */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sampler);
    await this.subscription?.close();
    this.subscription = undefined;
    if (this.server !== undefined) await closeServer(this.server);
    this.server = undefined;
    const { store } = this.sources;
    if (watchesGroupCommits(store)) store.onGroupCommit = undefined;
  }

  /** Starts the scrape endpoint; it closes with the app. */
  async serve(config: MetricsServerConfig): Promise<AddressInfo> {
    if (this.server !== undefined) return addressOf(this.server);
    this.server = await startMetricsServer(this, config);
    if (!isLoopback(config.host))
      new Logger('Metrics').warn(`/metrics listens on ${config.host}: anyone who can reach that port reads it (it needs no key)`);
    return addressOf(this.server);
  }

  /** The exposition text, with the projection's gauges read now. */
  async text(): Promise<string> {
    await this.refresh();
    return this.families.registry.metrics();
  }

  private sample(): void {
    this.lag.sawHead(this.sources.notifier.head, performance.now());
    const rebuilding = this.sources.projector.isRebuilding;
    if (!rebuilding) this.rebuildStartedAt = undefined;
    else this.rebuildStartedAt ??= performance.now();
  }

  private async refresh(): Promise<void> {
    const { store, projector, snapshotPath } = this.sources;
    const { gauges } = this.families;
    const head = await store.headPosition()();
    const now = performance.now();
    if (E.isRight(head)) this.lag.sawHead(head.right, now);
    this.sample();
    const checkpoint = projector.checkpoint;
    gauges.checkpoint.set(Number(checkpoint));
    if (E.isRight(head)) {
      gauges.head.set(Number(head.right));
      gauges.lagEvents.set(head.right > checkpoint ? Number(head.right - checkpoint) : 0);
    }
    gauges.lagSeconds.set(this.lag.seconds(checkpoint, now));
    gauges.rebuilding.set(projector.isRebuilding ? 1 : 0);
    gauges.rebuildSeconds.set(this.rebuildStartedAt === undefined ? 0 : (now - this.rebuildStartedAt) / 1000);
    const progress = projector.rebuildProgress;
    gauges.rebuildEvents.set(progress?.events ?? 0);
    gauges.rebuildLogPosition.set(Number(progress?.checkpoint ?? 0n));
    gauges.started.set(projector.started ? 1 : 0);
    gauges.failedBooks.set(projector.failures().length);
    gauges.bookEvents.reset();
    for (const [bookId, book] of projector.books()) gauges.bookEvents.set({ book: bookId }, book.revision + 1);
    gauges.snapshotAge.set(await snapshotAgeSeconds(snapshotPath));
  }
}

/** NaN when there is no snapshot file (none configured, or none saved yet). */
const snapshotAgeSeconds = async (path: string | undefined): Promise<number> => {
  if (path === undefined) return NaN;
  try {
    const { mtimeMs } = await stat(path);
    return Math.max(0, Date.now() - mtimeMs) / 1000;
  } catch {
    return NaN;
  }
};
