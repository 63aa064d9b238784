import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/Either';
import type { EventStore, EventToAppend, StoredEvent, SubscriptionDrop } from '../event-store.port';

/** What an adapter's int spec hands the contract for each test. */
export interface ContractStore {
  readonly store: EventStore;
  readonly streamPrefix: string;
  /** Breaks the store's live $all subscription(s) the way a server drop would (adapters that can drop). */
  readonly simulateDrop?: () => void;
  /** Makes the store write one of its own system events about this stream (stores that have them). */
  readonly writeSystemEvent?: (stream: string) => Promise<void>;
}

/** What the adapter can do beyond the port, so the contract runs the cases that need it. */
export interface ContractCapabilities {
  /** The factory's simulateDrop works: its subscriptions can drop and resubscribe. */
  readonly simulatesDrops?: boolean;
}

/**
 * The one contract every EventStore adapter passes. Each adapter's *.int.spec.ts calls this with a
 * factory for a fresh, empty store (or a unique stream prefix on a shared server).
 */
export const eventStoreContract = (
  adapterName: string,
  makeStore: () => Promise<ContractStore>,
  capabilities: ContractCapabilities = {},
): void => {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let prefix: string;
    let contractStore: ContractStore;

    beforeEach(async () => {
      contractStore = await makeStore();
      ({ store, streamPrefix: prefix } = contractStore);
    });
    afterEach(async () => {
      await store.close();
    });

    const event = (type: string, n: number): EventToAppend => ({
      eventId: randomUUID(),
      type,
      data: { n, amount: '1.00000000', nested: { list: [1, 'two'] } },
      metadata: { actor: 'contract-test', n },
    });
    const ok = async <A>(task: () => Promise<E.Either<unknown, A>>): Promise<A> => {
      const result = await task();
      if (E.isLeft(result)) throw new Error(`expected success, got ${JSON.stringify(result.left)}`);
      return result.right;
    };
    const fail = async (task: () => Promise<E.Either<unknown, unknown>>): Promise<unknown> => {
      const result = await task();
      if (E.isRight(result)) throw new Error('expected a failure');
      return result.left;
    };

    it('appends to a new stream and reads it back in order with revisions and content intact', async () => {
      const stream = `${prefix}-a`;
      const events = [event('Opened', 0), event('Moved', 1), event('Moved', 2)];
      const result = await ok(store.append(stream, events, 'no-stream'));
      expect(result.revision).toBe(2);

      const read = await ok(store.readStream(stream));
      expect(read.map((e) => [e.eventId, e.type, e.revision, e.stream])).toEqual(events.map((e, i) => [e.eventId, e.type, i, stream]));
      expect(read[1]!.data).toEqual(events[1]!.data);
      expect(read[1]!.metadata).toEqual(events[1]!.metadata);
      expect(read[2]!.logPosition).toBe(result.logPosition);
    });

    it('refuses an append at the wrong expected revision and writes none of its events', async () => {
      const stream = `${prefix}-b`;
      await ok(store.append(stream, [event('Opened', 0)], 'no-stream'));
      const error = await fail(store.append(stream, [event('Moved', 1), event('Moved', 2)], 5));
      expect(error).toMatchObject({ _tag: 'WrongExpectedRevision', stream });
      expect(await fail(store.append(stream, [event('Opened', 9)], 'no-stream'))).toMatchObject({ _tag: 'WrongExpectedRevision' });
      expect(await fail(store.append(`${prefix}-never`, [event('X', 0)], 0))).toMatchObject({ _tag: 'WrongExpectedRevision' });
      expect((await ok(store.readStream(stream))).map((e) => e.revision)).toEqual([0]);
    });

    it('writes none of an append that fails part-way through its events', async () => {
      const stream = `${prefix}-torn`;
      await ok(store.append(stream, [event('Opened', 0)], 'no-stream'));
      // The third event cannot be serialised: the two before it must not be left behind.
      const unserialisable: EventToAppend = { ...event('Moved', 3), data: { amount: 1n } as unknown as EventToAppend['data'] };
      await fail(store.append(stream, [event('Moved', 1), event('Moved', 2), unserialisable], 0));
      expect((await ok(store.readStream(stream))).map((e) => e.revision)).toEqual([0]);
      expect((await ok(store.append(stream, [event('Moved', 4)], 0))).revision).toBe(1);
    });

    it('appends at the right expected revision, and with "any"', async () => {
      const stream = `${prefix}-c`;
      await ok(store.append(stream, [event('Opened', 0)], 'no-stream'));
      expect((await ok(store.append(stream, [event('Moved', 1)], 0))).revision).toBe(1);
      expect((await ok(store.append(stream, [event('Moved', 2)], 'any'))).revision).toBe(2);
    });

    it('lets exactly one of two concurrent appends at the same expected revision win', async () => {
      const stream = `${prefix}-d`;
      await ok(store.append(stream, [event('Opened', 0)], 'no-stream'));
      const results = await Promise.all([store.append(stream, [event('A', 1)], 0)(), store.append(stream, [event('B', 1)], 0)()]);
      expect(results.filter(E.isRight)).toHaveLength(1);
      expect((await ok(store.readStream(stream))).length).toBe(2);
    });

    it('reads a stream backwards, from a revision, and limited in count', async () => {
      const stream = `${prefix}-e`;
      await ok(
        store.append(
          stream,
          [0, 1, 2, 3, 4].map((n) => event('N', n)),
          'no-stream',
        ),
      );
      const revisions = (events: ReadonlyArray<StoredEvent>) => events.map((e) => e.revision);
      expect(revisions(await ok(store.readStream(stream, { direction: 'backwards', maxCount: 2 })))).toEqual([4, 3]);
      expect(revisions(await ok(store.readStream(stream, { direction: 'backwards', fromRevision: 2 })))).toEqual([2, 1, 0]);
      expect(revisions(await ok(store.readStream(stream, { fromRevision: 3 })))).toEqual([3, 4]);
      expect(revisions(await ok(store.readStream(stream, { fromRevision: 1, maxCount: 2 })))).toEqual([1, 2]);
      expect(await ok(store.readStream(`${prefix}-missing`))).toEqual([]);
    });

    it('reads all streams in one strictly increasing global order, after an exclusive position', async () => {
      const first = await ok(store.append(`${prefix}-f1`, [event('X', 0), event('X', 1)], 'no-stream'));
      await ok(store.append(`${prefix}-f2`, [event('Y', 0)], 'no-stream'));
      await ok(store.append(`${prefix}-f1`, [event('X', 2)], 1));

      const mine = (events: ReadonlyArray<StoredEvent>) => events.filter((e) => e.stream.startsWith(prefix));
      const all = mine(await ok(store.readAll()));
      expect(all.map((e) => `${e.stream.slice(prefix.length)}:${e.revision}`)).toEqual(['-f1:0', '-f1:1', '-f2:0', '-f1:2']);
      for (let i = 1; i < all.length; i++) expect(all[i]!.logPosition > all[i - 1]!.logPosition).toBe(true);

      const after = mine(await ok(store.readAll({ after: first.logPosition })));
      expect(after.map((e) => e.type)).toEqual(['Y', 'X']);
      expect((await ok(store.readAll({ after: first.logPosition, maxCount: 1 }))).length).toBe(1);
    });

    it('has one identity, the same on every call', async () => {
      const first = await ok(store.identity());
      expect(first).toMatch(/^\S{8,}$/);
      expect(await ok(store.identity())).toBe(first);
    });

    it('reads the event at an exact position, and nothing where there is none', async () => {
      const stream = `${prefix}-h`;
      const events = [event('A', 0), event('B', 1)];
      const appended = await ok(store.append(stream, events, 'no-stream'));
      const last = await ok(store.readAt(appended.logPosition));
      expect(last).toMatchObject({
        eventId: events[1]!.eventId,
        stream,
        revision: 1,
        logPosition: appended.logPosition,
        data: events[1]!.data,
        metadata: events[1]!.metadata,
      });
      const [firstStored] = await ok(store.readStream(stream, { maxCount: 1 }));
      expect((await ok(store.readAt(firstStored!.logPosition)))?.eventId).toBe(events[0]!.eventId);
      expect(await ok(store.readAt((await ok(store.headPosition())) + 1_000_000n))).toBeUndefined();
    });

    it('knows the position of the last event in the log', async () => {
      const appended = await ok(store.append(`${prefix}-i`, [event('A', 0)], 'no-stream'));
      // A shared server may have more events after ours, never fewer.
      expect((await ok(store.headPosition())) >= appended.logPosition).toBe(true);
    });

    it('subscribes from a checkpoint: catches up, then delivers new events in order', async () => {
      const stream = `${prefix}-g`;
      const checkpoint = await ok(store.append(stream, [event('Old', 0)], 'no-stream'));
      await ok(store.append(stream, [event('CatchUp', 1)], 0));

      const seen: string[] = [];
      const done = new Promise<void>((resolve) => {
        const subscription = store.subscribeToAll({ after: checkpoint.logPosition }, async (e) => {
          if (!e.stream.startsWith(prefix)) return;
          seen.push(e.type);
          if (seen.length === 3) {
            await subscription.close();
            resolve();
          }
        });
      });
      await ok(store.append(stream, [event('Live', 2), event('Live', 3)], 1));
      await done;
      expect(seen).toEqual(['CatchUp', 'Live', 'Live']);
    });

    const mine = (events: ReadonlyArray<StoredEvent>) => events.filter((e) => e.stream.startsWith(prefix));
    const isSystem = (e: StoredEvent) => e.stream.startsWith('$') || e.type.startsWith('$');

    it('reads $all across many pages (more than any adapter reads at once): each event once, in order, however sliced', async () => {
      const before = await ok(store.headPosition());
      const expected: string[] = [];
      for (let batch = 0; batch < 24; batch++) {
        const stream = `${prefix}-p${batch % 3}`;
        const events = Array.from({ length: 50 }, (_, i) => event(`P${batch * 50 + i}`, i));
        await ok(store.append(stream, events, batch < 3 ? 'no-stream' : Math.floor(batch / 3) * 50 - 1));
        expected.push(...events.map((e) => e.eventId));
      }
      const whole = mine(await ok(store.readAll({ after: before })));
      expect(whole.map((e) => e.eventId)).toEqual(expected);
      for (let i = 1; i < whole.length; i++) expect(whole[i]!.logPosition > whole[i - 1]!.logPosition).toBe(true);
      expect(await ok(store.readAll({ after: before, maxCount: 1_000 }))).toHaveLength(1_000);

      const sliced: StoredEvent[] = [];
      for (let after = before, reads = 0; reads < 100; reads++) {
        const page = await ok(store.readAll({ after, maxCount: 97 }));
        sliced.push(...mine(page));
        if (page.length < 97) break;
        after = page[page.length - 1]!.logPosition;
      }
      expect(sliced.map((e) => e.eventId)).toEqual(expected);
    });

    it('reads and subscribes after a position inside a multi-event append', async () => {
      const stream = `${prefix}-inside`;
      const events = [event('A', 0), event('B', 1), event('C', 2)];
      await ok(store.append(stream, events, 'no-stream'));
      const stored = await ok(store.readStream(stream));
      const [a, b, c] = stored.map((e) => e.logPosition);
      expect(mine(await ok(store.readAll({ after: b! }))).map((e) => e.type)).toEqual(['C']);
      expect((await ok(store.readAll({ after: a!, maxCount: 1 }))).map((e) => e.eventId)).toEqual([events[1]!.eventId]);
      expect((await ok(store.readAt(c!)))?.eventId).toBe(events[2]!.eventId);

      const seen: string[] = [];
      const subscription = store.subscribeToAll({ after: b! }, (e) => void (e.stream === stream && seen.push(e.type)));
      await until(() => seen.length === 1, 'the event after the position');
      await subscription.close();
      expect(seen).toEqual(['C']);
    });

    it('gives an append the log position at which readAll finds its last event', async () => {
      const before = await ok(store.headPosition());
      const events = [event('X', 0), event('Y', 1), event('Z', 2)];
      const appended = await ok(store.append(`${prefix}-pos`, events, 'no-stream'));
      const read = mine(await ok(store.readAll({ after: before })));
      expect(read.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      expect(read[2]!.logPosition).toBe(appended.logPosition);
      expect(await ok(store.headPosition())).toBeGreaterThanOrEqual(appended.logPosition);
    });

    it("never hands out the store's own system events (a store without them passes trivially)", async () => {
      const stream = `${prefix}-sys`;
      const before = await ok(store.headPosition());
      await ok(store.append(stream, [event('Before', 0)], 'no-stream'));
      await contractStore.writeSystemEvent?.(stream);
      await ok(store.append(stream, [event('After', 1)], 0));

      const read = await ok(store.readAll({ after: before }));
      expect(read.filter(isSystem)).toEqual([]);
      expect(mine(read).map((e) => e.type)).toEqual(['Before', 'After']);

      const seen: StoredEvent[] = [];
      const subscription = store.subscribeToAll({ after: before }, (e) => void seen.push(e));
      await until(() => seen.some((e) => e.type === 'After' && e.stream === stream), 'the second event');
      await subscription.close();
      expect(seen.filter(isSystem)).toEqual([]);
      expect(mine(seen).map((e) => e.type)).toEqual(['Before', 'After']);
    });

    const dropCase = capabilities.simulatesDrops === true ? it : it.skip;
    dropCase(
      `survives a subscription drop: reports it, resubscribes after the last delivered event, loses and repeats nothing${
        capabilities.simulatesDrops === true ? '' : ` (skipped: the ${adapterName} adapter has no connection to drop)`
      }`,
      async () => {
        const stream = `${prefix}-drop`;
        const before = await ok(store.headPosition());
        const first = await ok(store.append(stream, [event('One', 0)], 'no-stream'));
        const seen: string[] = [];
        const drops: SubscriptionDrop[] = [];
        const subscription = store.subscribeToAll(
          { after: before, onDrop: (drop) => void drops.push(drop) },
          (e) => void (e.stream === stream && seen.push(e.type)),
        );
        await until(() => seen.length === 1, 'the first event');
        contractStore.simulateDrop!();
        await until(() => drops.length > 0, 'the drop to be reported');
        await ok(store.append(stream, [event('Two', 1), event('Three', 2)], 0));
        await until(() => seen.length === 3, 'the events after the drop');
        await subscription.close();
        expect(seen).toEqual(['One', 'Two', 'Three']);
        expect(drops[0]!.resumeAfter! >= first.logPosition).toBe(true);
      },
    );

    // Filtered subscriptions. Types carry a tag of their own, so on a shared server no other test's events match.
    const tagged = () => `T${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const until = async (condition: () => boolean, what: string): Promise<void> => {
      for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      if (!condition()) throw new Error(`timed out waiting for ${what}`);
    };
    /** A filtered subscription that records what it is handed, and at each checkpoint how many events it had by then. */
    const follow = (options: { after?: bigint; prefixes: readonly [string, ...string[]] }) => {
      const seen: StoredEvent[] = [];
      const checkpoints: Array<{ logPosition: bigint; seen: number }> = [];
      const subscription = store.subscribeToAll(
        {
          ...(options.after === undefined ? {} : { after: options.after }),
          eventTypes: { prefixes: options.prefixes },
          onCheckpoint: (logPosition) => void checkpoints.push({ logPosition, seen: seen.length }),
        },
        (e) => void seen.push(e),
      );
      return { seen, checkpoints, subscription };
    };
    /** Each checkpoint p came after every matching event at or before p, and none grew smaller. */
    const expectHonestCheckpoints = (run: ReturnType<typeof follow>) => {
      for (let i = 0; i < run.checkpoints.length; i++) {
        const { logPosition, seen } = run.checkpoints[i]!;
        expect({ position: logPosition, seen }).toEqual({
          position: logPosition,
          seen: run.seen.filter((e) => e.logPosition <= logPosition).length,
        });
        if (i > 0) expect(logPosition >= run.checkpoints[i - 1]!.logPosition).toBe(true);
      }
    };

    it('delivers only the event types asked for, in log order, from the start or after a position, then live', async () => {
      const tag = tagged();
      await ok(store.append(`${prefix}-t1`, [event(`${tag}Other`, 0), event(`${tag}Hook.A`, 1), event(`${tag}Other`, 2)], 'no-stream'));
      await ok(store.append(`${prefix}-t2`, [event(`${tag}Hook.B`, 3), event(`${tag}Hoo`, 4), event(`${tag}Ping`, 5)], 'no-stream'));
      const prefixes = [`${tag}Hook`, `${tag}Ping`] as const;

      const all = follow({ prefixes });
      await until(() => all.seen.length === 3, 'the three past matches');
      expect(all.seen.map((e) => e.type)).toEqual([`${tag}Hook.A`, `${tag}Hook.B`, `${tag}Ping`]);
      expect(all.seen[0]!.data).toEqual({ n: 1, amount: '1.00000000', nested: { list: [1, 'two'] } });

      const later = follow({ after: all.seen[0]!.logPosition, prefixes });
      await until(() => later.seen.length === 2, 'the matches after the first');
      expect(later.seen.map((e) => e.type)).toEqual([`${tag}Hook.B`, `${tag}Ping`]);

      await ok(store.append(`${prefix}-t1`, [event(`${tag}Other`, 6), event(`${tag}Hook.C`, 7)], 2));
      await until(() => all.seen.length === 4 && later.seen.length === 3, 'the live match');
      expect(all.seen.map((e) => e.type)).toEqual([`${tag}Hook.A`, `${tag}Hook.B`, `${tag}Ping`, `${tag}Hook.C`]);
      for (let i = 1; i < all.seen.length; i++) expect(all.seen[i]!.logPosition > all.seen[i - 1]!.logPosition).toBe(true);
      expect(later.seen.map((e) => e.eventId)).toEqual(all.seen.slice(1).map((e) => e.eventId));
      await Promise.all([all.subscription.close(), later.subscription.close()]);
      expectHonestCheckpoints(all);
      expectHonestCheckpoints(later);
    });

    it('says how far it has looked when nothing matches: up to the head at start, then beyond as the log grows', async () => {
      const tag = tagged();
      await ok(store.append(`${prefix}-n`, [event(`${tag}Other`, 0), event(`${tag}Other`, 1)], 'no-stream'));
      const head = await ok(store.headPosition());
      const run = follow({ prefixes: [`${tag}Nothing`] });
      await until(() => run.checkpoints.some((c) => c.logPosition >= head), 'a checkpoint at the head');
      expect(run.seen).toEqual([]);

      const appended = await ok(store.append(`${prefix}-n`, [event(`${tag}Other`, 2), event(`${tag}Nothing.Now`, 3)], 1));
      await until(() => run.seen.length === 1, 'the live match');
      expect(run.seen[0]!.logPosition).toBe(appended.logPosition);
      await run.subscription.close();
      expectHonestCheckpoints(run);
    });

    it('takes a prefix literally: no character in it is a wildcard', async () => {
      const tag = tagged();
      const types = [`${tag}a_b`, `${tag}aXb`, `${tag}a%c`, `${tag}aYc`, `${tag}a.d`, `${tag}a*d`];
      await ok(
        store.append(
          `${prefix}-w`,
          types.map((type, n) => event(type, n)),
          'no-stream',
        ),
      );
      const run = follow({ prefixes: [`${tag}a_`, `${tag}a%`, `${tag}a.`] });
      const head = await ok(store.headPosition());
      await until(() => run.checkpoints.some((c) => c.logPosition >= head), 'a checkpoint at the head');
      expect(run.seen.map((e) => e.type)).toEqual([`${tag}a_b`, `${tag}a%c`, `${tag}a.d`]);
      await run.subscription.close();
    });
  });
};
