import { UnavailableError, type AllStreamResolvedEvent } from '@eventstore/db-client';
import * as E from 'fp-ts/Either';
import { EsdbEventStore } from './esdb-event-store';
import { ScriptedClient, ScriptedRead, allEvent } from './testing/scripted-client';

/** $all as a server would hold it: application events and the server's own $-events. */
const app = (logPosition: bigint) => allEvent('book-a', logPosition, logPosition, 'Moved');
const system = (logPosition: bigint) => allEvent('$stats-127.0.0.1:2113', logPosition, logPosition, '$statsCollected');
const LOG: AllStreamResolvedEvent[] = [app(10n), system(20n), app(30n), app(40n), system(50n), system(60n), app(70n), app(80n), app(90n)];

/** Serves readAll like the server: forwards from an inclusive position (or backwards from one, or the end), at most maxCount. */
const serveLog = (client: ScriptedClient, log: readonly AllStreamResolvedEvent[]) => {
  const serve = (options?: Parameters<ScriptedClient['readAll']>[0]) => {
    const from = options?.fromPosition;
    const count = Number(options?.maxCount ?? Number.MAX_SAFE_INTEGER);
    const position = (e: AllStreamResolvedEvent) => e.event!.position!.prepare;
    const selected =
      options?.direction === 'backwards'
        ? [...log].reverse().filter((e) => typeof from !== 'object' || position(e) <= from.prepare)
        : log.filter((e) => typeof from !== 'object' || position(e) >= from.prepare);
    client.readAllScript.push(serve);
    return new ScriptedRead(selected.slice(0, count));
  };
  client.readAllScript = [serve];
};
const positions = (events: ReadonlyArray<{ logPosition: bigint }>) => events.map((e) => e.logPosition);

describe('EsdbEventStore reads of $all', () => {
  it('reads in pages of the server-side maxCount, from the last raw event of each page, skipping system events', async () => {
    const client = new ScriptedClient();
    serveLog(client, LOG);
    const store = new EsdbEventStore(client, { readPage: 3 });
    const all = await store.readAll()();
    expect(E.isRight(all) && positions(all.right)).toEqual([10n, 30n, 40n, 70n, 80n, 90n]);
    const calls = client.readAllCalls;
    expect(calls.map((c) => c.options?.maxCount)).toEqual([3, 3, 3, 3, 3]);
    // Each page starts at the previous page's last raw event (a system one included): inclusive, dropped again.
    expect(calls.map((c) => c.options?.fromPosition)).toEqual([
      'start',
      { commit: 30n, prepare: 30n },
      { commit: 50n, prepare: 50n },
      { commit: 70n, prepare: 70n },
      { commit: 90n, prepare: 90n },
    ]);
    expect(client.readAllCalls.every((c) => c.read.cancelled)).toBe(true);
  });

  it('reads strictly after a position, inside a page or across a page of system events only, and stops at maxCount', async () => {
    const client = new ScriptedClient();
    serveLog(client, LOG);
    const store = new EsdbEventStore(client, { readPage: 3 });
    const after = await store.readAll({ after: 40n })();
    expect(E.isRight(after) && positions(after.right)).toEqual([70n, 80n, 90n]);
    expect(client.readAllCalls[0]!.options?.fromPosition).toEqual({ commit: 40n, prepare: 40n });

    let before = client.readAllCalls.length;
    const two = await store.readAll({ after: 10n, maxCount: 2 })();
    expect(E.isRight(two) && positions(two.right)).toEqual([30n, 40n]);
    // The server is asked for no more than is still wanted, plus the inclusive first event.
    expect(client.readAllCalls.slice(before).map((c) => c.options?.maxCount)).toEqual([3, 2]);

    before = client.readAllCalls.length;
    const first = await store.readAll({ maxCount: 1 })();
    expect(E.isRight(first) && positions(first.right)).toEqual([10n]);
    // Early exit with the system event at 20 still unread: the call was cancelled all the same.
    const early = client.readAllCalls.slice(before);
    expect(early.map((c) => c.options?.maxCount)).toEqual([2]);
    expect(early[0]!.read.cancelled).toBe(true);
    expect(client.readAllCalls.every((c) => c.read.cancelled)).toBe(true);
  });

  it("cancels a page's call when the read fails, and reports the store unavailable", async () => {
    const client = new ScriptedClient();
    client.readAllScript = [() => new ScriptedRead([app(10n)], new UnavailableError())];
    const store = new EsdbEventStore(client, { readPage: 3 });
    expect(await store.readAll()()).toEqual(E.left(expect.objectContaining({ _tag: 'StoreUnavailable' })));
    expect(client.readAllCalls[0]!.read.cancelled).toBe(true);
  });

  it('reads the event at an exact position (not a system event there), and cancels the call it leaves early', async () => {
    const client = new ScriptedClient();
    serveLog(client, LOG);
    const store = new EsdbEventStore(client);
    expect(await store.readAt(30n)()).toEqual(E.right(expect.objectContaining({ logPosition: 30n, stream: 'book-a' })));
    expect(await store.readAt(20n)()).toEqual(E.right(undefined));
    expect(await store.readAt(35n)()).toEqual(E.right(undefined));
    expect(client.readAllCalls.every((c) => c.read.cancelled)).toBe(true);
  });

  it('finds the last application event past the system events at the end, paging backwards, and cancels each call', async () => {
    const client = new ScriptedClient();
    serveLog(client, [...LOG, system(100n), system(110n), system(120n)]);
    const store = new EsdbEventStore(client, { readPage: 2 });
    expect(await store.headPosition()()).toEqual(E.right(90n));
    expect(client.readAllCalls.map((c) => c.options?.direction)).toEqual(['backwards', 'backwards', 'backwards']);
    expect(client.readAllCalls.every((c) => c.read.cancelled)).toBe(true);

    const empty = new ScriptedClient();
    serveLog(empty, [system(5n), system(6n), system(7n)]);
    expect(await new EsdbEventStore(empty, { readPage: 2 }).headPosition()()).toEqual(E.right(0n));
  });
});
