import {
  START,
  eventTypeFilter,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Position,
} from '@eventstore/db-client';
import { eventTypeMatches, type EventHandler, type EventSubscription, type SubscribeOptions } from '@treasury/event-store';
import { isSystem, max, toStoredEvent, type EsdbCalls } from './esdb-calls';

export interface ResubscribeTimings {
  /** The first wait after a drop; doubled at each drop in a row ... */
  readonly firstRetryMs: number;
  /** ... up to this. Each wait is jittered to 50-100 % of it, so instances do not reconnect in step. */
  readonly maxRetryMs: number;
}

export interface SubscriptionDeps {
  readonly client: EsdbCalls;
  /** The head of the log, read at each (re)subscription when checkpoints are asked for; throws when unreadable. */
  readonly head: () => Promise<bigint>;
  readonly timings: ResubscribeTimings;
  readonly random: () => number;
}

/** In-order notes in a subscription's stream: a server checkpoint (as a port position), or its caught-up message. */
type Marker = { readonly marker: 'checkpoint'; readonly logPosition: bigint } | { readonly marker: 'caught-up' };
const isMarker = (item: AllStreamResolvedEvent | Marker): item is Marker => 'marker' in item;

/** Pushes a marker into the subscription's own stream (so it stays in order with the events), unless it has ended. */
const note = (subscription: AllStreamSubscription, marker: Marker): void => {
  if (!subscription.destroyed && !subscription.readableEnded) subscription.push(marker);
};

/**
 * A $all subscription that survives drops: it remembers the last delivered event's position and, on
 * an error or an end it did not ask for (a leader election, a restart, a graceful server shutdown),
 * reports the drop and subscribes again after that event, waiting longer at each drop in a row. It
 * never rethrows (a rejection here would end the process). A handler that throws counts as a drop: its
 * event is delivered again after the wait.
 *
 * Resumes only from a delivered *event's* position: a resume from a server checkpoint would ask the
 * server to start at a position that is no event boundary.
 */
export const subscribeWithResume = (deps: SubscriptionDeps, options: SubscribeOptions, handler: EventHandler): EventSubscription => {
  const { onCheckpoint, onDrop, eventTypes } = options;
  let after = options.after;
  let closed = false;
  let current: AllStreamSubscription | undefined;
  let reported: bigint | undefined;
  let wake = (): void => undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const report = async (logPosition: bigint): Promise<void> => {
    if (onCheckpoint === undefined || (reported !== undefined && logPosition <= reported)) return;
    reported = logPosition;
    await onCheckpoint(logPosition);
  };

  /** One subscription, until it ends or fails; returns why it stopped (undefined: closed by us). */
  const once = async (): Promise<{ readonly message: string; readonly progressed: boolean }> => {
    let progressed = false;
    try {
      // Every event up to this head was sent before the server says it caught up.
      const head = onCheckpoint === undefined ? 0n : await deps.head();
      if (closed) return { message: 'closed', progressed };
      const checkpointReached = (subscription: AllStreamSubscription, position: Position) =>
        note(subscription, { marker: 'checkpoint', logPosition: position.prepare - 1n });
      const withCheckpoints = onCheckpoint === undefined ? {} : { checkpointReached };
      const live = deps.client.subscribeToAll({
        fromPosition: after === undefined ? START : { commit: after, prepare: after },
        filter:
          eventTypes === undefined
            ? excludeSystemEvents(withCheckpoints)
            : eventTypeFilter({ prefixes: [...eventTypes.prefixes], ...withCheckpoints }),
      });
      current = live;
      if (onCheckpoint !== undefined) live.on('caughtUp', () => note(live, { marker: 'caught-up' }));
      try {
        for await (const item of live as AsyncIterable<AllStreamResolvedEvent | Marker>) {
          if (closed) break;
          progressed = true;
          if (isMarker(item)) {
            const last = after ?? 0n;
            await report(item.marker === 'caught-up' ? max(head, last) : max(item.logPosition, last));
            continue;
          }
          const stored = toStoredEvent(item);
          if (stored === undefined || isSystem(stored) || !eventTypeMatches(eventTypes, stored.type)) continue;
          if (after !== undefined && stored.logPosition <= after) continue;
          await handler(stored);
          after = stored.logPosition;
        }
      } finally {
        // Leaving the loop does not end the gRPC call; unsubscribe does.
        await live.unsubscribe().catch(() => undefined);
      }
      return { message: 'the server ended the subscription', progressed };
    } catch (error) {
      return { message: error instanceof Error ? error.message : String(error), progressed };
    }
  };

  const run = async (): Promise<void> => {
    for (let consecutive = 0; !closed;) {
      const stopped = await once();
      if (closed) return;
      consecutive = stopped.progressed ? 1 : consecutive + 1;
      const ceiling = Math.min(deps.timings.maxRetryMs, deps.timings.firstRetryMs * 2 ** (consecutive - 1));
      const retryInMs = Math.round(ceiling * (0.5 + deps.random() / 2));
      try {
        onDrop?.({ message: stopped.message, resumeAfter: after, consecutive, retryInMs });
      } catch {
        // A reporter's failure must not stop the resubscription.
      }
      await sleep(retryInMs);
    }
  };
  const done = run();

  return {
    close: async () => {
      closed = true;
      wake();
      await current?.unsubscribe().catch(() => undefined);
      await done;
    },
  };
};
