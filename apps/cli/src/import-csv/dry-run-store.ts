import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import {
  AppendResult,
  EventStore,
  EventStoreError,
  EventSubscription,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  wrongExpectedRevision,
} from '@treasury/event-store';

/**
 * An event store that reads through to the real one and keeps appends in memory: the import decides
 * its batches through the same service path as a real run (idempotency, If-Match, every rule, four
 * eyes) and nothing reaches the real store. Each later batch is decided on top of the earlier ones.
 */
export class DryRunStore extends EventStore {
  override readonly pipelinesAppends = false;
  private readonly appended = new Map<string, StoredEvent[]>();
  private nextPosition: bigint | undefined;

  constructor(private readonly real: EventStore) {
    super();
  }

  /** How many events the import would have appended so far. */
  get appendedCount(): number {
    return [...this.appended.values()].reduce((sum, events) => sum + events.length, 0);
  }

  append(stream: string, events: ReadonlyArray<EventToAppend>, expected: ExpectedRevision): TE.TaskEither<EventStoreError, AppendResult> {
    return async () => {
      const last = await this.real.readStream(stream, { direction: 'backwards', maxCount: 1 })();
      if (E.isLeft(last)) return last;
      if (this.nextPosition === undefined) {
        const head = await this.real.headPosition()();
        if (E.isLeft(head)) return head;
        this.nextPosition = head.right + 1n;
      }
      const mine = this.appended.get(stream) ?? [];
      const current = (last.right[0]?.revision ?? -1) + mine.length;
      if (expected !== 'any' && (expected === 'no-stream' ? current !== -1 : expected !== current))
        return E.left(wrongExpectedRevision(stream, expected, current));
      const stored = events.map((event, i): StoredEvent => ({
        ...event,
        stream,
        revision: current + 1 + i,
        logPosition: this.nextPosition! + BigInt(i),
      }));
      this.nextPosition! += BigInt(events.length);
      this.appended.set(stream, [...mine, ...stored]);
      const end = stored[stored.length - 1]!;
      return E.right({ revision: end.revision, logPosition: end.logPosition });
    };
  }

  readStream(stream: string, options: ReadStreamOptions = {}): TE.TaskEither<EventStoreError, ReadonlyArray<StoredEvent>> {
    return async () => {
      const real = await this.real.readStream(stream)();
      if (E.isLeft(real)) return real;
      let all = [...real.right, ...(this.appended.get(stream) ?? [])];
      if (options.direction === 'backwards') {
        all = all.reverse();
        if (options.fromRevision !== undefined) all = all.filter((e) => e.revision <= options.fromRevision!);
      } else if (options.fromRevision !== undefined) all = all.filter((e) => e.revision >= options.fromRevision!);
      return E.right(options.maxCount === undefined ? all : all.slice(0, options.maxCount));
    };
  }

  readAll(options?: ReadAllOptions): TE.TaskEither<EventStoreError, ReadonlyArray<StoredEvent>> {
    return this.real.readAll(options);
  }

  identity(): TE.TaskEither<EventStoreError, string> {
    return this.real.identity();
  }

  readAt(logPosition: bigint): TE.TaskEither<EventStoreError, StoredEvent | undefined> {
    return this.real.readAt(logPosition);
  }

  headPosition(): TE.TaskEither<EventStoreError, bigint> {
    return this.real.headPosition();
  }

  subscribeToAll(options: { readonly after?: bigint }, handler: (event: StoredEvent) => void | Promise<void>): EventSubscription {
    return this.real.subscribeToAll(options, handler);
  }

  /** The real store is the caller's to close. */
  async close(): Promise<void> {}
}
