import {
  AccessDeniedError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type AppendResult,
  type ResolvedEvent,
} from '@eventstore/db-client';
import * as E from 'fp-ts/Either';
import type { EventToAppend } from '@treasury/event-store';
import { EsdbEventStore } from './esdb-event-store';
import { ScriptedClient, ScriptedRead, allEvent, notLeader } from './testing/scripted-client';

const event = (n: number, data: Record<string, unknown> = { n }): EventToAppend => ({
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  type: 'Moved',
  data,
  metadata: { actor: 'test' },
});
const written = (revision: bigint, logPosition?: bigint): (() => Promise<AppendResult>) => {
  const result: AppendResult = {
    success: true,
    nextExpectedRevision: revision,
    ...(logPosition === undefined ? {} : { position: { commit: logPosition, prepare: logPosition } }),
  };
  return async () => result;
};
const failing = (error: Error) => async (): Promise<AppendResult> => {
  throw error;
};

const setUp = () => {
  const client = new ScriptedClient();
  return { client, store: new EsdbEventStore(client, { appendBackstopMs: 15_000 }) };
};

describe('EsdbEventStore.append', () => {
  it('refuses an event whose data or metadata is not JSON without calling the client, naming the value', async () => {
    const { client, store } = setUp();
    const withBigint = event(2, { amount: { sats: 1n } });
    const bigint = await store.append('book-a', [event(1), withBigint], 0)();
    expect(bigint).toEqual(E.left(expect.objectContaining({ _tag: 'SerialisationFailed', path: 'events[1].data.amount.sats' })));

    const cyclic: Record<string, unknown> = { list: [] };
    (cyclic['list'] as unknown[]).push(cyclic);
    const cycle = await store.append('book-a', [{ ...event(3), metadata: { parent: cyclic } }], 0)();
    expect(cycle).toEqual(E.left(expect.objectContaining({ _tag: 'SerialisationFailed', path: 'events[0].metadata.parent.list[0]' })));
    expect(client.appends).toHaveLength(0);
  });

  it("takes the position from the append result (the last event's prepare position) and reads nothing back", async () => {
    const { client, store } = setUp();
    client.appendScript = [written(4n, 9_000n)];
    const events = [event(1), event(2)];
    expect(await store.append('book-a', events, 2)()).toEqual(E.right({ revision: 4, logPosition: 9_000n }));
    expect(client.readStreamCalls).toHaveLength(0);
    expect(client.appends[0]!.options?.expectedRevision).toBe(2n);
    expect(client.appends[0]!.events.map((e) => [e.id, e.type, e.data])).toEqual(events.map((e) => [e.eventId, e.type, e.data]));
  });

  it('reads the last event back from the leader only when the result has no position, and refuses 2^64-1', async () => {
    const { client, store } = setUp();
    const events = [event(1), event(2)];
    const back =
      (logPosition: bigint, id = events[1]!.eventId) =>
      () => {
        const stored = allEvent('book-a', 1n, logPosition);
        return new ScriptedRead<ResolvedEvent>([{ event: { ...stored.event!, id } }]);
      };
    client.appendScript = [written(1n), written(1n), written(1n)];
    client.readStreamScript = [back(700n), back(2n ** 64n - 1n), back(800n, 'someone-else')];

    expect(await store.append('book-a', events, 'no-stream')()).toEqual(E.right({ revision: 1, logPosition: 700n }));
    expect(client.readStreamCalls[0]).toMatchObject({
      stream: 'book-a',
      options: { direction: 'backwards', fromRevision: 1n, maxCount: 1, requiresLeader: true },
    });
    expect(client.readStreamCalls[0]!.read.cancelled).toBe(true);

    const old = await store.append('book-a', events, 'no-stream')();
    expect(old).toEqual(E.left(expect.objectContaining({ _tag: 'OutcomeUnknown', message: expect.stringContaining('before 22.6') })));
    const other = await store.append('book-a', events, 'no-stream')();
    expect(other).toEqual(E.left(expect.objectContaining({ _tag: 'OutcomeUnknown', message: expect.stringContaining('another event') })));
  });

  it.each([
    ['not leader', () => notLeader('esdb2', 2113)],
    ['unavailable', () => new UnavailableError()],
    ['deadline exceeded', () => new DeadlineExceededError()],
    ['server busy', () => new UnknownError(undefined, 'Server Is Busy')],
  ])('retries once after %s, with the same EventData objects and the same expected revision', async (_, error) => {
    const { client, store } = setUp();
    client.appendScript = [failing(error()), written(5n, 1_234n)];
    expect(await store.append('book-a', [event(1), event(2)], 3)()).toEqual(E.right({ revision: 5, logPosition: 1_234n }));
    expect(client.appends).toHaveLength(2);
    const [first, second] = client.appends;
    expect(second!.events).toHaveLength(2);
    second!.events.forEach((sent, i) => expect(sent).toBe(first!.events[i]));
    expect(second!.options?.expectedRevision).toBe(3n);
  });

  it('reports a second transient failure as its own kind: not leader, or outcome unknown for a deadline', async () => {
    const { client, store } = setUp();
    client.appendScript = [failing(notLeader('esdb2', 2113)), failing(notLeader('esdb3', 2113))];
    const leader = await store.append('book-a', [event(1)], 0)();
    expect(leader).toEqual(E.left(expect.objectContaining({ _tag: 'NotLeader', message: expect.stringContaining('esdb3:2113') })));

    client.appendScript = [failing(new DeadlineExceededError()), failing(new DeadlineExceededError())];
    const deadline = await store.append('book-a', [event(1)], 0)();
    expect(deadline).toEqual(E.left(expect.objectContaining({ _tag: 'OutcomeUnknown', message: expect.stringContaining('outcome') })));
    expect(E.isLeft(deadline) && deadline.left._tag === 'OutcomeUnknown' && deadline.left.message).toMatch(
      /may or may not have been written/,
    );
    expect(client.appends).toHaveLength(4);
  });

  it("does not retry with expected revision 'any' (the server's duplicate check is then best effort only)", async () => {
    const { client, store } = setUp();
    client.appendScript = [failing(new UnavailableError()), written(0n, 1n)];
    expect(await store.append('book-a', [event(1)], 'any')()).toEqual(E.left(expect.objectContaining({ _tag: 'StoreUnavailable' })));
    expect(client.appends).toHaveLength(1);
  });

  it.each([
    [
      'maximum append size',
      () => MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576),
      { _tag: 'AppendTooLarge', maxAppendSize: 1_048_576 },
    ],
    ['stream deleted', () => StreamDeletedError.fromStreamName('book-a'), { _tag: 'StreamDeleted', stream: 'book-a' }],
    ['access denied', () => new AccessDeniedError(), { _tag: 'AccessDenied' }],
    [
      'wrong expected version',
      () => new WrongExpectedVersionError(undefined, { streamName: 'book-a', expected: 3n, current: 5n }),
      { _tag: 'WrongExpectedRevision', stream: 'book-a', expected: '3', actual: '5' },
    ],
  ])('maps %s to its own error, without a retry', async (_, error, expected) => {
    const { client, store } = setUp();
    client.appendScript = [failing(error()), written(9n, 9n)];
    expect(await store.append('book-a', [event(1)], 3)()).toEqual(E.left(expect.objectContaining(expected)));
    expect(client.appends).toHaveLength(1);
  });

  describe('with fake timers', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('releases an append the client never settles after the backstop, as outcome unknown, and does not retry it', async () => {
      const { client, store } = setUp();
      client.appendScript = [() => new Promise<AppendResult>(() => undefined), written(1n, 1n)];
      const pending = store.append('book-a', [event(1)], 0)();
      await jest.advanceTimersByTimeAsync(14_999);
      let settled = false;
      void pending.then(() => (settled = true));
      await Promise.resolve();
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(await pending).toEqual(
        E.left(expect.objectContaining({ _tag: 'OutcomeUnknown', message: expect.stringContaining('15000 ms') })),
      );
      expect(client.appends).toHaveLength(1);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
