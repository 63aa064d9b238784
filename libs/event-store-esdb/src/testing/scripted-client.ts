import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Metadata, status } from '@grpc/grpc-js';
import {
  convertToCommandError,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendResult,
  type AppendToStreamOptions,
  type EventData,
  type EventType,
  type NotLeaderError,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type StreamingRead,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';
import type { EsdbCalls } from '../esdb-calls';

/**
 * A scripted double of the client's calls, on the client's real types, for the adapter's unit tests
 * (no EventStoreDB server runs here). Reads and subscriptions are object-mode Readables like the
 * client's; errors are the client's own classes.
 */
export class ScriptedRead<E> extends Readable implements StreamingRead<E> {
  cancelled = false;
  private readonly queue: E[];

  constructor(
    items: readonly E[],
    private readonly failWith?: Error,
  ) {
    // One item per pull (highWaterMark 1), so a failure never discards items still buffered.
    super({ objectMode: true, highWaterMark: 1 });
    this.queue = [...items];
  }

  override _read(): void {
    if (this.cancelled) return;
    const next = this.queue.shift();
    if (next !== undefined) this.push(next);
    else if (this.failWith !== undefined) this.destroy(this.failWith);
    else this.push(null);
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    this.queue.length = 0;
    this.push(null);
  }
}

export class ScriptedSubscription extends Readable implements AllStreamSubscription {
  id?: string;
  unsubscribed = false;

  constructor(readonly options: SubscribeToAllOptions | undefined) {
    super({ objectMode: true });
  }

  override _read(): void {}

  deliver(event: AllStreamResolvedEvent): void {
    this.push(event);
  }

  caughtUp(): void {
    this.emit('caughtUp');
  }

  async checkpoint(commit: bigint, prepare: bigint): Promise<void> {
    await this.options?.filter?.checkpointReached?.(this, { commit, prepare });
  }

  /** A drop: the consumer's `for await` throws. */
  fail(error: Error): void {
    this.destroy(error);
  }

  /** A graceful end by the server. */
  finish(): void {
    this.push(null);
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    if (!this.destroyed && !this.readableEnded) this.push(null);
  }
}

export class ScriptedClient implements EsdbCalls {
  readonly appends: Array<{ stream: string; events: EventData[]; options?: AppendToStreamOptions }> = [];
  readonly readAllCalls: Array<{ options?: ReadAllOptions; read: ScriptedRead<AllStreamResolvedEvent> }> = [];
  readonly readStreamCalls: Array<{ stream: string; options?: ReadStreamOptions; read: ScriptedRead<ResolvedEvent> }> = [];
  readonly subscriptions: ScriptedSubscription[] = [];
  appendScript: Array<() => Promise<AppendResult>> = [];
  readAllScript: Array<(options?: ReadAllOptions) => ScriptedRead<AllStreamResolvedEvent>> = [];
  readStreamScript: Array<() => ScriptedRead<ResolvedEvent>> = [];
  /** Called with each new subscription (to deliver events as soon as it exists). */
  onSubscribe: (subscription: ScriptedSubscription) => void = () => undefined;

  appendToStream: EsdbCalls['appendToStream'] = async (stream, events, options) => {
    const list = (Array.isArray(events) ? events : [events]) as EventData[];
    // Where the real client serialises (it then hangs instead of rejecting: the tests assert it is never called).
    for (const event of list) if (event.contentType === 'application/json') JSON.stringify(event.data);
    this.appends.push({ stream, events: list, ...(options === undefined ? {} : { options }) });
    const next = this.appendScript.shift();
    if (next === undefined) throw new Error('unscripted append');
    return next();
  };

  readAll: EsdbCalls['readAll'] = (options) => {
    const read = this.readAllScript.shift()?.(options) ?? new ScriptedRead<AllStreamResolvedEvent>([]);
    this.readAllCalls.push({ ...(options === undefined ? {} : { options }), read });
    return read;
  };

  readStream: EsdbCalls['readStream'] = <T extends EventType>(stream: string | Uint8Array, options?: ReadStreamOptions) => {
    const read = this.readStreamScript.shift()?.() ?? new ScriptedRead<ResolvedEvent>([]);
    this.readStreamCalls.push({ stream: String(stream), ...(options === undefined ? {} : { options }), read });
    return read as unknown as StreamingRead<ResolvedEvent<T>>;
  };

  subscribeToAll: EsdbCalls['subscribeToAll'] = (options) => {
    const subscription = new ScriptedSubscription(options);
    this.subscriptions.push(subscription);
    this.onSubscribe(subscription);
    return subscription;
  };

  dispose: EsdbCalls['dispose'] = async () => undefined;
}

/** An event as $all delivers it, at {commit: p, prepare: p}. */
export const allEvent = (
  stream: string,
  revision: bigint,
  logPosition: bigint,
  type = 'Moved',
  data: Record<string, unknown> = {},
): AllStreamResolvedEvent => ({
  event: {
    streamId: stream,
    id: randomUUID(),
    revision,
    type,
    data,
    metadata: {},
    isJson: true,
    created: new Date(0),
    position: { commit: logPosition, prepare: logPosition },
  },
  commitPosition: logPosition,
});

/** The client's own NotLeaderError, converted from the gRPC error the server sends. */
export const notLeader = (host: string, port: number): NotLeaderError => {
  const metadata = new Metadata();
  metadata.set('exception', 'not-leader');
  metadata.set('leader-endpoint-host', host);
  metadata.set('leader-endpoint-port', String(port));
  const serviceError = Object.assign(new Error('5 NOT_FOUND: Leader info available'), {
    code: status.NOT_FOUND,
    details: 'Leader info available',
    metadata,
  });
  return convertToCommandError(serviceError) as NotLeaderError;
};
