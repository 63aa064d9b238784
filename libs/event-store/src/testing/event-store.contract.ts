import { randomUUID } from 'node:crypto';
import * as E from 'fp-ts/Either';
import type { EventStore, EventToAppend, StoredEvent } from '../event-store.port';

/**
 * The one contract every EventStore adapter passes. Each adapter's *.int.spec.ts calls this with a
 * factory for a fresh, empty store (or a unique stream prefix on a shared server).
 */
export const eventStoreContract = (adapterName: string, makeStore: () => Promise<{ store: EventStore; streamPrefix: string }>): void => {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let prefix: string;

    beforeEach(async () => {
      ({ store, streamPrefix: prefix } = await makeStore());
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
