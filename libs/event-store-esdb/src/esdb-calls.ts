import type { AllStreamResolvedEvent, EventStoreDBClient, Position, ResolvedEvent } from '@eventstore/db-client';
import type { JsonObject, StoredEvent } from '@treasury/event-store';

/**
 * The client calls the adapter makes, injected so the unit tests run them against a scripted double
 * of the client's own types (no server runs in CI). Called as methods: on the real client they are
 * prototype functions (except `dispose`).
 */
export type EsdbCalls = Pick<EventStoreDBClient, 'appendToStream' | 'readAll' | 'readStream' | 'subscribeToAll' | 'dispose'>;

/** What servers before 22.6 put in a stream read's position: not a position. */
export const NO_POSITION = 2n ** 64n - 1n;

/** System streams and types (`$stats-…`, `$metadata`, `$>` links): never the application's events. */
export const isSystem = (event: { readonly stream: string; readonly type: string }): boolean =>
  event.stream.startsWith('$') || event.type.startsWith('$');

/**
 * The port's event, or undefined for what the adapter never hands out (an unresolved link, a non-JSON
 * event). The log position is the event's prepare position: events appended through gRPC are each their
 * own implicitly committed prepare, at {commit: p, prepare: p}.
 */
export const toStoredEvent = (resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | undefined => {
  const event = resolved.event;
  if (event === undefined || !event.isJson) return undefined;
  const position: Position | undefined = event.position;
  return {
    eventId: event.id,
    type: event.type,
    stream: event.streamId,
    revision: Number(event.revision),
    logPosition: position?.prepare ?? 0n,
    data: event.data as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
  };
};

/**
 * Closes a read's gRPC call. Leaving a `for await` (break, return, throw) only destroys the client's
 * Transform and leaves the call open until the client is disposed; `cancel()` rejects when the call
 * never started, which changes nothing here.
 */
export const cancelQuietly = async (read: { cancel(): Promise<void> }): Promise<void> => {
  await read.cancel().catch(() => undefined);
};

export const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
