import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, exponentialBuckets } from 'prom-client';

/** Seconds, from 1 ms to about 16 s: a command, a commit and an HTTP request all fall in this range. */
const LATENCY_BUCKETS = exponentialBuckets(0.001, 2, 15);
/** Appends per group commit: 1, 2, 4 … 512. */
const GROUP_BUCKETS = exponentialBuckets(1, 2, 10);

/**
 * Every family the API exports, in a registry of its own (never prom-client's global one: a test
 * process runs several apps). Label values always come from small fixed sets: command names, outcome
 * tags, route templates, alert kinds; per-book gauges carry the book id, which an operator chooses.
 */
export const metricFamilies = () => {
  const registry = new Registry();
  // The process's CPU, memory, event-loop delay and GC: what a request held the loop for shows here.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    commands: new Counter({
      name: 'treasury_commands_total',
      help: 'Commands answered, by command (batch for a batch, unknown for a name that is not a command) and outcome (appended, replayed, or the refusal: RuleViolated, InvalidCommand, …)',
      labelNames: ['command', 'outcome'] as const,
      registers,
    }),
    commandSeconds: new Histogram({
      name: 'treasury_command_duration_seconds',
      help: 'From the command reaching the service to its answer, lock wait and commit included',
      labelNames: ['command'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    groupCommitAppends: new Histogram({
      name: 'treasury_store_group_commit_appends',
      help: 'Appends per SQLite group commit (one transaction, one fsync)',
      buckets: GROUP_BUCKETS,
      registers,
    }),
    commitSeconds: new Histogram({
      name: 'treasury_store_group_commit_duration_seconds',
      help: 'Time to commit one SQLite group commit, fsync included',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    fsyncs: new Counter({
      name: 'treasury_store_fsyncs_total',
      help: 'SQLite commits that wrote events: one fsync of the WAL each (synchronous=FULL); checkpoints not counted',
      registers,
    }),
    http: new Histogram({
      name: 'treasury_http_request_duration_seconds',
      help: 'HTTP requests by method, route template (unmatched for none) and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    alerts: new Counter({
      name: 'treasury_alerts_raised_total',
      help: 'AlertRaised events appended to the log since this process started, by kind and the state entered',
      labelNames: ['kind', 'to'] as const,
      registers,
    }),
    webhookAttempts: new Counter({
      name: 'treasury_webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts recorded in the log since this process started, by outcome (acknowledged, failed)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    webhookGaveUp: new Counter({
      name: 'treasury_webhook_deliveries_given_up_total',
      help: 'Failed webhook attempts after which the endpoint stopped retrying (waits for an admin)',
      registers,
    }),
    gauges: {
      checkpoint: gauge(registry, 'treasury_projection_checkpoint', 'Log position the position projection has folded up to'),
      head: gauge(registry, 'treasury_log_head', "Log position of the log's last event"),
      lagEvents: gauge(registry, 'treasury_projection_lag_events', 'Log positions between the head and the projection (events, on SQLite)'),
      lagSeconds: gauge(
        registry,
        'treasury_projection_lag_seconds',
        'How long the oldest event not yet folded has been in the log, as seen by this process (0 when caught up)',
      ),
      rebuilding: gauge(registry, 'treasury_projection_rebuilding', '1 while a rebuild of the projection runs'),
      rebuildSeconds: gauge(registry, 'treasury_projection_rebuild_elapsed_seconds', 'How long the running rebuild has run (0 when none)'),
      rebuildEvents: gauge(registry, 'treasury_projection_rebuild_events', 'Events the running rebuild has folded so far (0 when none)'),
      rebuildLogPosition: gauge(
        registry,
        'treasury_projection_rebuild_log_position',
        'The log position the running rebuild has reached (0 when none)',
      ),
      started: gauge(registry, 'treasury_projection_started', '1 once the start-up catch-up finished and the projection follows the log'),
      failedBooks: gauge(registry, 'treasury_projection_failed_books', 'Books whose fold stopped on an event (their queries answer 503)'),
      snapshotAge: gauge(
        registry,
        'treasury_projection_snapshot_age_seconds',
        'Age of the projection snapshot file (absent with no snapshot file)',
      ),
      bookEvents: new Gauge({
        name: 'treasury_book_events',
        help: "Events in each book's stream, as the projection has folded them",
        labelNames: ['book'] as const,
        registers,
      }),
    },
  };
};

const gauge = (registry: Registry, name: string, help: string) => new Gauge({ name, help, registers: [registry] });

export type MetricFamilies = ReturnType<typeof metricFamilies>;
