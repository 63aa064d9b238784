import { UnavailableError } from '@eventstore/db-client';
import type { StoredEvent, SubscriptionDrop } from '@treasury/event-store';
import { EsdbEventStore } from './esdb-event-store';
import { ScriptedClient, allEvent, type ScriptedSubscription } from './testing/scripted-client';

const until = async (condition: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
};

const setUp = (options: { firstMs?: number; after?: bigint; handler?: (e: StoredEvent) => void } = {}) => {
  const client = new ScriptedClient();
  const store = new EsdbEventStore(client, { resubscribeFirstMs: options.firstMs ?? 1, resubscribeMaxMs: 8, random: () => 1 });
  const seen: bigint[] = [];
  const drops: SubscriptionDrop[] = [];
  const subscription = store.subscribeToAll(
    { ...(options.after === undefined ? {} : { after: options.after }), onDrop: (drop) => void drops.push(drop) },
    (e) => {
      options.handler?.(e);
      seen.push(e.logPosition);
    },
  );
  const sub = (i: number): ScriptedSubscription => client.subscriptions[i]!;
  return { client, subscription, seen, drops, sub };
};

describe('EsdbEventStore.subscribeToAll', () => {
  let unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeEach(() => {
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it('after a drop, reports it and resubscribes from the last delivered event, delivering nothing twice', async () => {
    const { subscription, seen, drops, sub, client } = setUp({ after: 5n });
    await until(() => client.subscriptions.length === 1, 'the subscription');
    expect(sub(0).options?.fromPosition).toEqual({ commit: 5n, prepare: 5n });
    sub(0).deliver(allEvent('book-a', 0n, 10n));
    sub(0).deliver(allEvent('book-a', 1n, 20n));
    await until(() => seen.length === 2, 'two events');
    sub(0).fail(new UnavailableError());

    await until(() => client.subscriptions.length === 2, 'the resubscription');
    expect(drops).toEqual([{ message: expect.any(String), resumeAfter: 20n, consecutive: 1, retryInMs: 1 }]);
    expect(sub(1).options?.fromPosition).toEqual({ commit: 20n, prepare: 20n });
    sub(1).deliver(allEvent('book-a', 1n, 20n)); // a server that repeats the boundary event
    sub(1).deliver(allEvent('book-a', 2n, 30n));
    await until(() => seen.length === 3, 'the third event');
    expect(seen).toEqual([10n, 20n, 30n]);
    await subscription.close();
  });

  it('treats a graceful end by the server as a drop', async () => {
    const { subscription, seen, drops, sub, client } = setUp();
    await until(() => client.subscriptions.length === 1, 'the subscription');
    expect(sub(0).options?.fromPosition).toBe('start');
    sub(0).deliver(allEvent('book-a', 0n, 10n));
    await until(() => seen.length === 1, 'an event');
    sub(0).finish();
    await until(() => client.subscriptions.length === 2, 'the resubscription');
    expect(drops).toEqual([expect.objectContaining({ message: 'the server ended the subscription', resumeAfter: 10n })]);
    expect(sub(1).options?.fromPosition).toEqual({ commit: 10n, prepare: 10n });
    await subscription.close();
  });

  it('waits longer at each drop in a row (jittered, up to the maximum), and again from the first after progress', async () => {
    const { subscription, seen, drops, sub, client } = setUp();
    for (let i = 0; i < 5; i++) {
      await until(() => client.subscriptions.length === i + 1, `subscription ${i}`);
      sub(i).fail(new UnavailableError());
    }
    await until(() => client.subscriptions.length === 6, 'subscription 5');
    expect(drops.map((d) => [d.consecutive, d.retryInMs])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
      [4, 8],
      [5, 8],
    ]);
    sub(5).deliver(allEvent('book-a', 0n, 10n));
    await until(() => seen.length === 1, 'an event');
    sub(5).fail(new UnavailableError());
    await until(() => drops.length === 6, 'the sixth drop');
    expect(drops[5]).toMatchObject({ consecutive: 1, retryInMs: 1, resumeAfter: 10n });
    await subscription.close();
  });

  it('treats a throwing handler as a drop and delivers its event again', async () => {
    let failOnce = true;
    const { subscription, seen, drops, sub, client } = setUp({
      handler: () => {
        if (failOnce) {
          failOnce = false;
          throw new Error('handler failed');
        }
      },
    });
    await until(() => client.subscriptions.length === 1, 'the subscription');
    sub(0).deliver(allEvent('book-a', 0n, 10n));
    await until(() => client.subscriptions.length === 2, 'the resubscription');
    expect(drops[0]).toMatchObject({ message: 'handler failed', resumeAfter: undefined });
    expect(sub(1).options?.fromPosition).toBe('start');
    sub(1).deliver(allEvent('book-a', 0n, 10n));
    await until(() => seen.length === 1, 'the event again');
    await subscription.close();
  });

  it('skips system events, and asks the server to exclude them', async () => {
    const { subscription, seen, sub, client } = setUp();
    await until(() => client.subscriptions.length === 1, 'the subscription');
    expect(sub(0).options?.filter).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
    sub(0).deliver(allEvent('$stats-node', 0n, 10n, '$statsCollected'));
    sub(0).deliver(allEvent('$$book-a', 0n, 20n, '$metadata'));
    sub(0).deliver(allEvent('book-a', 0n, 30n));
    await until(() => seen.length === 1, 'the application event');
    expect(seen).toEqual([30n]);
    await subscription.close();
  });

  it('stops for good on close(): unsubscribes, and no resubscription follows, even from a backoff wait', async () => {
    const first = setUp();
    await until(() => first.client.subscriptions.length === 1, 'the subscription');
    await first.subscription.close();
    expect(first.sub(0).unsubscribed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(first.client.subscriptions).toHaveLength(1);
    expect(first.drops).toEqual([]);

    const waiting = setUp({ firstMs: 60_000 });
    await until(() => waiting.client.subscriptions.length === 1, 'the subscription');
    waiting.sub(0).fail(new UnavailableError());
    await until(() => waiting.drops.length === 1, 'the drop');
    const started = Date.now();
    await waiting.subscription.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(waiting.client.subscriptions).toHaveLength(1);
  });
});
