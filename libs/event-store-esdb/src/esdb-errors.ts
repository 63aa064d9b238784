import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  TimeoutError,
  UnavailableError,
  UnknownError,
} from '@eventstore/db-client';
import type { EventStoreError, EventToAppend } from '@treasury/event-store';

/** Our own backstop fired: the client never settled the call (see withBackstop). */
export class BackstopTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer from EventStoreDB within ${ms} ms`);
  }
}

/**
 * Worth one more try with the same event ids and expected revision: the server refused before writing
 * (not leader, busy, not ready), the connection broke, or the answer did not come in time (then the
 * server recognises the ids and answers the first append's result). Every CommandError is named
 * "Error": the classes are told apart with instanceof.
 */
export const isTransient = (error: unknown): boolean =>
  error instanceof NotLeaderError ||
  error instanceof UnavailableError ||
  error instanceof CancelledError ||
  error instanceof TimeoutError ||
  error instanceof DeadlineExceededError ||
  // A batch append's NotReady/TooBusy arrive as UnknownError with these words (the details are packed as Empty).
  (error instanceof UnknownError && /not ready|busy/i.test(error.message));

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The port's error for a failed call; `append` says the outcome of a timed-out call is unknown, a read just failed. */
export const toStoreError = (error: unknown, context: { readonly stream?: string; readonly append: boolean }): EventStoreError => {
  const where = context.stream === undefined ? '' : ` (stream ${context.stream})`;
  if (error instanceof NotLeaderError) {
    const leader = error.leader === undefined ? 'unknown' : `${error.leader.address}:${error.leader.port}`;
    return { _tag: 'NotLeader', message: `the EventStoreDB node is not the leader (leader: ${leader})${where}` };
  }
  if (error instanceof MaxAppendSizeExceededError)
    return {
      _tag: 'AppendTooLarge',
      maxAppendSize: error.maxAppendSize,
      message: `the events are larger than EventStoreDB accepts in one append (${error.maxAppendSize} bytes); nothing was written${where}`,
    };
  if (error instanceof StreamDeletedError) {
    const stream = error.streamName ?? context.stream ?? 'unknown';
    return { _tag: 'StreamDeleted', stream, message: `the stream ${stream} was deleted in EventStoreDB; nothing can be appended to it` };
  }
  if (error instanceof AccessDeniedError)
    return {
      _tag: 'AccessDenied',
      message: `EventStoreDB refused this process's credentials${where}: check the user and password in EVENTSTORE_CONNECTION_STRING and the stream ACLs`,
    };
  const timedOut = error instanceof DeadlineExceededError || error instanceof TimeoutError || error instanceof BackstopTimeout;
  if (timedOut && context.append)
    return {
      _tag: 'OutcomeUnknown',
      message: `the outcome of the append is unknown${where}: ${messageOf(error)}; it may or may not have been written (retrying with the same Idempotency-Key is safe)`,
    };
  return { _tag: 'StoreUnavailable', message: `EventStoreDB: ${messageOf(error)}${where}` };
};

/**
 * Serialises each event's data and metadata the way the client will, before calling it: the client
 * stringifies inside a promise executor, so a bigint or a cycle there never settles the append (the
 * book's lock would be held for ever) and raises an unhandled rejection that ends the process.
 */
export const unserialisable = (events: ReadonlyArray<EventToAppend>): EventStoreError | undefined => {
  for (const [index, event] of events.entries())
    for (const part of ['data', 'metadata'] as const) {
      try {
        JSON.stringify(event[part]);
      } catch (error) {
        const path = `events[${index}].${part}${pathOf(event[part], new Set()) ?? ''}`;
        return {
          _tag: 'SerialisationFailed',
          path,
          message: `event ${index} (${event.type}) cannot be written as JSON at ${path}: ${messageOf(error)}; nothing was written`,
        };
      }
    }
  return undefined;
};

/** Where in a value JSON.stringify fails (a bigint or a cycle), as `.a.b[2]`; undefined when the value itself is the culprit. */
const pathOf = (value: unknown, seen: Set<object>): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  seen.add(value);
  for (const [key, child] of Object.entries(value)) {
    const step = Array.isArray(value) ? `[${key}]` : `.${key}`;
    if (typeof child === 'bigint' || (typeof child === 'object' && child !== null && seen.has(child))) return step;
    const below = pathOf(child, seen);
    if (below !== undefined) return step + below;
  }
  seen.delete(value);
  return undefined;
};
