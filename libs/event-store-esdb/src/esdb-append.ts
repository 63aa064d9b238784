import {
  ANY,
  BACKWARDS,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type EventData,
} from '@eventstore/db-client';
import * as E from 'fp-ts/Either';
import {
  wrongExpectedRevision,
  type AppendResult,
  type EventStoreError,
  type EventToAppend,
  type ExpectedRevision,
} from '@treasury/event-store';
import { NO_POSITION, cancelQuietly, toStoredEvent, type EsdbCalls } from './esdb-calls';
import { BackstopTimeout, isTransient, toStoreError, unserialisable } from './esdb-errors';

export interface AppendTimings {
  /**
   * How long one call to the client may take before the adapter gives up on it (reported as "outcome
   * unknown"): the client's own deadline (10 s by default) plus a margin, so that no client bug can hold
   * a book's lock for ever.
   */
  readonly backstopMs: number;
}

/**
 * Appends with the guarantees the port promises, on top of what the client does:
 * - data and metadata serialise before the client is called (see unserialisable);
 * - the position is the append result's (the last event's prepare position, equal to its $all
 *   position); only when the server sends none (an idempotent replay it could not index) is the last
 *   event read back, and a pre-22.6 server's 2^64−1 is refused;
 * - a transient failure is retried once with the same EventData objects (ids) and the same expected
 *   revision, which the server answers idempotently when the first attempt was in fact written. Not
 *   with 'any': then the server's duplicate check is only a best-effort cache, so a retry could write
 *   the events twice;
 * - every call races a backstop timer.
 */
export const appendEvents = async (
  client: EsdbCalls,
  stream: string,
  events: ReadonlyArray<EventToAppend>,
  expected: ExpectedRevision,
  timings: AppendTimings,
): Promise<E.Either<EventStoreError, AppendResult>> => {
  const refused = unserialisable(events);
  if (refused !== undefined) return E.left(refused);
  if (events.length === 0) return E.left({ _tag: 'StoreUnavailable', message: `an append to ${stream} with no events` });
  const expectedRevision: AppendExpectedRevision = expected === 'any' ? ANY : expected === 'no-stream' ? NO_STREAM : BigInt(expected);
  // Built once: the retry sends these very objects, so the server sees the same event ids.
  const data: EventData[] = events.map((event) =>
    jsonEvent({ id: event.eventId, type: event.type, data: { ...event.data }, metadata: { ...event.metadata } }),
  );
  const attempt = () => withBackstop(client.appendToStream(stream, data, { expectedRevision }), timings.backstopMs);
  let result: EsdbAppendResult;
  try {
    try {
      result = await attempt();
    } catch (first) {
      if (expected === 'any' || !isTransient(first)) throw first;
      result = await attempt();
    }
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) return E.left(wrongExpectedRevision(stream, expected, error.actualVersion));
    return E.left(toStoreError(error, { stream, append: true }));
  }
  const revision = Number(result.nextExpectedRevision);
  if (result.position !== undefined) return E.right({ revision, logPosition: result.position.prepare });
  const readBack = await positionOfLast(client, stream, result.nextExpectedRevision, events[events.length - 1]!.eventId);
  return E.isLeft(readBack) ? readBack : E.right({ revision, logPosition: readBack.right });
};

/** The fallback when an append result carries no position: the last event, read back from the leader. */
const positionOfLast = async (
  client: EsdbCalls,
  stream: string,
  revision: bigint,
  eventId: string,
): Promise<E.Either<EventStoreError, bigint>> => {
  const unknown = (why: string): E.Either<EventStoreError, bigint> =>
    E.left({
      _tag: 'OutcomeUnknown',
      message: `the append to ${stream} was written at revision ${revision}, but its log position is unknown: ${why}`,
    });
  const read = client.readStream(stream, { direction: BACKWARDS, fromRevision: revision, maxCount: 1, requiresLeader: true });
  try {
    for await (const resolved of read) {
      const stored = toStoredEvent(resolved);
      if (stored === undefined || stored.eventId !== eventId) return unknown(`another event is at revision ${revision}`);
      if (stored.logPosition === NO_POSITION || stored.logPosition === 0n)
        return unknown('the server gives no position on stream reads (EventStoreDB before 22.6 is not supported)');
      return E.right(stored.logPosition);
    }
    return unknown(`no event at revision ${revision}`);
  } catch (error) {
    return error instanceof StreamNotFoundError ? unknown('the stream reads as missing') : unknown(String(error));
  } finally {
    await cancelQuietly(read);
  }
};

/** The call's own result, or a BackstopTimeout after `ms`; the abandoned call's later rejection is swallowed. */
export const withBackstop = <A>(call: Promise<A>, ms: number): Promise<A> => {
  let timer: NodeJS.Timeout | undefined;
  const backstop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BackstopTimeout(ms)), ms);
  });
  call.catch(() => undefined);
  return Promise.race([call, backstop]).finally(() => clearTimeout(timer));
};
