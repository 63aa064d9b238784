import { Controller, Get, Query } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import { PositionProjector, describeFinding } from '@treasury/application';
import { EventStore, storeErrorMessage } from '@treasury/event-store';
import { ProblemException, problem } from '../http/problem';
import { decodeQuery } from '../http/query.params';
import { HealthQuery, ReadyQuery } from './health.params';

/**
 * `/health` is 200 whenever the event store answers, and says in its body how the projection is:
 * caught up or not (lag), the snapshot it started from (or why it was discarded), failed books and
 * events that vanished from the log, and the store subscription's drops — `status: "degraded"` when
 * the projection has not started, a book failed or events vanished.
 * A failed book does not make it non-200: the other books answer. `/ready` is for a load balancer:
 * 200 once the projection has caught up and follows the log, 503 while it cannot serve at all.
 */
@Controller()
export class HealthController {
  constructor(
    private readonly store: EventStore,
    private readonly projector: PositionProjector,
  ) {}

  @Get('health')
  async health(@Query() query: Record<string, unknown>) {
    decodeQuery(HealthQuery, query);
    const head = await this.storeHead();
    const projector = this.projector;
    const checkpoint = projector.checkpoint;
    const failedBooks = projector.failures().map((f) => ({
      bookId: f.bookId,
      eventId: f.eventId,
      revision: f.revision,
      logPosition: f.logPosition.toString(),
      message: f.message,
    }));
    const vanishedEvents = projector.findings().map((f) => ({
      bookId: f.bookId,
      reason: f.reason,
      expected: f.expected,
      found: f.found,
      detail: describeFinding(f),
    }));
    const snapshot = projector.snapshot;
    const degraded = !projector.started || failedBooks.length > 0 || vanishedEvents.length > 0;
    return {
      status: degraded ? ('degraded' as const) : ('ok' as const),
      eventStore: this.store.constructor.name,
      projection: {
        started: projector.started,
        caughtUp: projector.started && checkpoint >= head,
        checkpoint: checkpoint.toString(),
        head: head.toString(),
        // In log positions: events on SQLite, EventStoreDB's prepare positions (bytes) on EventStoreDB.
        lag: (head > checkpoint ? head - checkpoint : 0n).toString(),
        rebuilding: projector.isRebuilding,
        snapshot: snapshot.status === 'loaded' ? { ...snapshot, checkpoint: snapshot.checkpoint.toString() } : snapshot,
        snapshotNotSaved: projector.snapshotSkipped ?? null,
        failedBooks,
        vanishedEvents,
        subscription: this.subscriptionView(),
      },
    };
  }

  @Get('ready')
  async ready(@Query() query: Record<string, unknown>) {
    decodeQuery(ReadyQuery, query);
    const head = await this.storeHead();
    if (!this.projector.started)
      throw new ProblemException(problem(503, 'not-ready', 'Not ready', 'The projection has not caught up with the log yet.'));
    const checkpoint = this.projector.checkpoint;
    return { status: 'ready' as const, checkpoint: checkpoint.toString(), lag: (head > checkpoint ? head - checkpoint : 0n).toString() };
  }

  /**
   * How often the store's $all subscription dropped and was resumed (EventStoreDB on a leader election
   * or a restart; SQLite never drops). Not "degraded" by itself: a resumed subscription loses nothing,
   * and one that stays down shows as a growing lag.
   */
  private subscriptionView() {
    const { count, last } = this.projector.subscriptionDrops;
    return {
      drops: count,
      lastDrop:
        last === undefined
          ? null
          : {
              message: last.message,
              resumeAfter: last.resumeAfter === undefined ? null : last.resumeAfter.toString(),
              consecutive: last.consecutive,
              retryInMs: last.retryInMs,
            },
    };
  }

  /** Up means the event store answers a read, not merely that the process is alive. */
  private async storeHead(): Promise<bigint> {
    const head = await this.store.headPosition()();
    if (E.isLeft(head))
      throw new ProblemException(problem(503, 'store-unavailable', 'Event store unavailable', storeErrorMessage(head.left)));
    return head.right;
  }
}
