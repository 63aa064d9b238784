import * as E from 'fp-ts/Either';
import { EventStore, EventSubscription, storeErrorMessage } from '@treasury/event-store';

/**
 * Tells feed readers (SSE streams, webhook senders) that the log has grown, so they read on from
 * their own cursor. It carries no events: a reader always reads the store from its cursor, which is
 * what makes the hand-over from catch-up to live free of gaps and repeats (there is no hand-over:
 * "live" is catch-up that found nothing new and waits for this signal).
 */
export class FeedNotifier {
  private subscription: EventSubscription | undefined;
  private latest = 0n;
  private readonly waiters = new Set<{ readonly after: bigint; readonly wake: () => void }>();

  constructor(private readonly store: EventStore) {}

  /** The last log position seen appended (0n before start). */
  get head(): bigint {
    return this.latest;
  }

  async start(): Promise<void> {
    if (this.subscription !== undefined) return;
    const head = await this.store.headPosition()();
    if (E.isLeft(head)) throw new Error(`reading the log head: ${storeErrorMessage(head.left)}`);
    this.latest = head.right;
    this.subscription = this.store.subscribeToAll({ after: head.right }, (stored) => {
      if (stored.logPosition <= this.latest) return;
      this.latest = stored.logPosition;
      for (const waiter of this.waiters) if (waiter.after < this.latest) waiter.wake();
    });
  }

  /**
   * Resolves once the log has an event after `after`, or after `timeoutMs` (the caller then reads
   * anyway: another process may have appended), or when `signal` aborts.
   */
  waitAfter(after: bigint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.latest > after || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        after,
        wake: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.wake);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      signal?.addEventListener('abort', waiter.wake);
      this.waiters.add(waiter);
    });
  }

  async stop(): Promise<void> {
    for (const waiter of [...this.waiters]) waiter.wake();
    await this.subscription?.close();
    this.subscription = undefined;
  }
}
