import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import {
  AppendResult,
  EventHandler,
  EventStore,
  EventStoreError,
  EventSubscription,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  storeUnavailable,
  wrongExpectedRevision,
} from '@treasury/event-store';
import { openDatabase, retryWhileBusy } from './open-database';
import { typeFilterSql } from './type-filter.sql';

/**
 * A row as read: statements return arrays (better-sqlite3's raw mode), not objects; a million rows
 * read twice as fast that way. EVENT_COLUMNS is the order.
 */
type EventRow = [
  position: number | bigint,
  stream: string,
  revision: number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
];
const EVENT_COLUMNS = 'position, stream, revision, event_id, type, data, metadata';

/**
 * One group commit: how many appends it carried and how many were written. A commit that wrote
 * something is one fsync of the WAL (synchronous=FULL); checkpoints' fsyncs are not counted.
 */
export interface GroupCommit {
  readonly appends: number;
  readonly written: number;
  readonly seconds: number;
}

interface PendingAppend {
  readonly stream: string;
  readonly events: ReadonlyArray<EventToAppend>;
  readonly expected: ExpectedRevision;
  readonly resolve: (result: E.Either<EventStoreError, AppendResult>) => void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position  INTEGER PRIMARY KEY AUTOINCREMENT,
    stream    TEXT    NOT NULL,
    revision  INTEGER NOT NULL,
    event_id  TEXT    NOT NULL UNIQUE,
    type      TEXT    NOT NULL,
    data      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL,
    UNIQUE (stream, revision)
  );
  CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
`;

/** How often a subscription looks for events appended by another process on the same file. */
const POLL_MS = 200;
const PAGE = 1000;
/**
 * Positions a subscription looks through per query: a filtered one reads the types of this many rows
 * (no JSON) to find its few events, and yields to the event loop between windows, so catching up on a
 * million-event log never holds it for long.
 */
const WINDOW = 20_000;

/**
 * The embedded event store: one SQLite file in WAL mode with synchronous=FULL, so an acknowledged
 * append has reached the disk before the promise resolves. Appends arriving together share one
 * transaction (group commit), each in its own savepoint.
 */
export class SqliteEventStore extends EventStore {
  /**
   * Appends are committed in issue order, a batch at a time, and a batch is taken, committed and
   * settled in one synchronous step: every append issued before a result settles is in that result's
   * batch, where a failed append fails the later ones to its stream.
   */
  override readonly pipelinesAppends = true;
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly statements;
  private readonly storeId: string;

  constructor(readonly path: string) {
    super();
    this.db = openDatabase(path);
    // The store's identity is written once, by whichever connection creates the store first.
    this.storeId = retryWhileBusy(() =>
      this.db
        .transaction(() => {
          this.db.exec(SCHEMA);
          this.db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('store-id', ?)").run(randomUUID());
          return this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'store-id'").get()!.value;
        })
        .immediate(),
    );
    this.statements = {
      lastRevision: this.db.prepare<[string], { revision: number }>(
        'SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      insert: this.db.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
      forwards: this.rows<[string, number, number]>('WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?'),
      backwards: this.rows<[string, number, number]>('WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?'),
      all: this.rows<[bigint, number]>('WHERE position > ? ORDER BY position ASC LIMIT ?'),
      window: this.rows<[bigint, bigint, number]>('WHERE position > ? AND position <= ? ORDER BY position ASC LIMIT ?'),
      at: this.rows<[bigint]>('WHERE position = ?'),
      head: this.db.prepare<[], { position: number | bigint | null }>('SELECT MAX(position) AS position FROM events'),
    };
    this.appended.setMaxListeners(0);
  }

  private pending: PendingAppend[] = [];

  /** A statement over the events table returning rows as arrays in EVENT_COLUMNS order. */
  private rows<P extends unknown[]>(where: string): Database.Statement<P, EventRow> {
    return this.db.prepare<P, EventRow>(`SELECT ${EVENT_COLUMNS} FROM events ${where}`).raw(true);
  }

  private readonly appendTransaction = (stream: string, events: ReadonlyArray<EventToAppend>, expected: ExpectedRevision) =>
    this.db.transaction((): E.Either<EventStoreError, AppendResult> => {
      const current = this.statements.lastRevision.get(stream)?.revision ?? -1;
      const matches = expected === 'any' || (expected === 'no-stream' ? current === -1 : expected === current);
      if (!matches) return E.left(wrongExpectedRevision(stream, expected, current === -1 ? 'no-stream' : current));
      let revision = current;
      let logPosition = 0n;
      for (const event of events) {
        revision += 1;
        const info = this.statements.insert.run(
          stream,
          revision,
          event.eventId,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
        );
        logPosition = BigInt(info.lastInsertRowid);
      }
      return E.right({ revision, logPosition });
    })();

  /**
   * Group commit: appends requested in the same turn of the event loop are committed together in one
   * transaction, so one fsync covers them all. Each append still runs in its own savepoint with its own
   * expected-revision check, succeeds or fails alone, and is acknowledged only after the commit.
   */
  append(stream: string, events: ReadonlyArray<EventToAppend>, expected: ExpectedRevision): TE.TaskEither<EventStoreError, AppendResult> {
    return () =>
      new Promise((resolve) => {
        this.pending.push({ stream, events, expected, resolve });
        if (this.pending.length === 1) setImmediate(() => this.commitPending());
      });
  }

  /** Told of each group commit (the API's metrics); set by whoever watches the store, else nothing is measured. */
  onGroupCommit: ((commit: GroupCommit) => void) | undefined = undefined;

  private commitPending(): void {
    const batch = this.pending;
    this.pending = [];
    const started = performance.now();
    let results: Array<E.Either<EventStoreError, AppendResult>>;
    try {
      results = this.commitTransaction(batch);
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of the batch was written.
      results = batch.map(() => E.left(storeUnavailable(error)));
    }
    this.onGroupCommit?.({
      appends: batch.length,
      written: results.filter(E.isRight).length,
      seconds: (performance.now() - started) / 1000,
    });
    batch.forEach((append, index) => append.resolve(results[index]!));
    if (results.some(E.isRight)) this.appended.emit('appended');
  }

  /**
   * One IMMEDIATE transaction: it takes the write lock before reading the streams' last revisions, so
   * a second process on the same file makes it wait (busy_timeout) rather than fail with "database is
   * locked" when a read transaction would have to be upgraded to a write.
   */
  private commitTransaction(batch: ReadonlyArray<PendingAppend>): Array<E.Either<EventStoreError, AppendResult>> {
    // Streams with a failed append in this batch: later appends to them were issued before the failure
    // was known, possibly decided on top of it, so they fail too (see pipelinesAppends).
    const failed = new Set<string>();
    return this.db
      .transaction(() =>
        batch.map((append): E.Either<EventStoreError, AppendResult> => {
          if (failed.has(append.stream))
            return E.left(
              wrongExpectedRevision(append.stream, append.expected, 'an earlier append to this stream in the same commit failed'),
            );
          let result: E.Either<EventStoreError, AppendResult>;
          try {
            // A nested transaction is a savepoint: a failing append rolls back alone.
            result = this.appendTransaction(append.stream, append.events, append.expected);
          } catch (error) {
            result = E.left(storeUnavailable(error));
          }
          if (E.isLeft(result)) failed.add(append.stream);
          return result;
        }),
      )
      .immediate();
  }

  readStream(stream: string, options: ReadStreamOptions = {}): TE.TaskEither<EventStoreError, ReadonlyArray<StoredEvent>> {
    return TE.fromIOEither(() =>
      E.tryCatch(() => {
        const limit = options.maxCount ?? -1;
        const rows =
          options.direction === 'backwards'
            ? this.statements.backwards.all(stream, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
            : this.statements.forwards.all(stream, options.fromRevision ?? 0, limit);
        return rows.map(toStoredEvent);
      }, storeUnavailable),
    );
  }

  readAll(options: ReadAllOptions = {}): TE.TaskEither<EventStoreError, ReadonlyArray<StoredEvent>> {
    return TE.fromIOEither(() =>
      E.tryCatch(() => this.statements.all.all(options.after ?? 0n, options.maxCount ?? -1).map(toStoredEvent), storeUnavailable),
    );
  }

  identity(): TE.TaskEither<EventStoreError, string> {
    return TE.right(this.storeId);
  }

  readAt(logPosition: bigint): TE.TaskEither<EventStoreError, StoredEvent | undefined> {
    return TE.fromIOEither(() =>
      E.tryCatch(() => {
        const row = this.statements.at.get(logPosition);
        return row === undefined ? undefined : toStoredEvent(row);
      }, storeUnavailable),
    );
  }

  headPosition(): TE.TaskEither<EventStoreError, bigint> {
    return TE.fromIOEither(() => E.tryCatch(() => BigInt(this.statements.head.get()?.position ?? 0), storeUnavailable));
  }

  /** One query over the positions (after, until]: every event there, or the filter's types only. */
  private windowQuery(options: SubscribeOptions): (after: bigint, until: bigint, limit: number) => EventRow[] {
    if (options.eventTypes === undefined) return (after, until, limit) => this.statements.window.all(after, until, limit);
    const filter = typeFilterSql(options.eventTypes);
    const statement = this.rows<unknown[]>(`WHERE position > ? AND position <= ? AND ${filter.sql} ORDER BY position ASC LIMIT ?`);
    return (after, until, limit) => statement.all(after, until, ...filter.params, limit);
  }

  subscribeToAll(options: SubscribeOptions, handler: EventHandler): EventSubscription {
    const query = this.windowQuery(options);
    let checkpoint = options.after ?? 0n;
    let reported: bigint | undefined;
    let closed = false;
    let pumping = false;
    let again = false;
    const report = async (): Promise<void> => {
      if (options.onCheckpoint === undefined || (reported !== undefined && checkpoint <= reported)) return;
      reported = checkpoint;
      await options.onCheckpoint(checkpoint);
    };
    // Pull-based: a signal (own append or poll tick) only says "look again", so nothing is missed or doubled.
    const pump = async (): Promise<void> => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          for (;;) {
            // A store closed under a live subscription (a shutdown in progress) has nothing more to deliver.
            if (closed || !this.db.open) return;
            // Bounded by the head read first: a row at or below it is committed, so the window has no gap later.
            const head = BigInt(this.statements.head.get()?.position ?? 0);
            if (head <= checkpoint) break;
            const until = head - checkpoint > BigInt(WINDOW) ? checkpoint + BigInt(WINDOW) : head;
            const page = query(checkpoint, until, PAGE).map(toStoredEvent);
            for (const event of page) {
              if (closed) return;
              await handler(event);
              checkpoint = event.logPosition;
            }
            // A short page is the whole window: its filtered-out rows are looked at too.
            if (page.length < PAGE) checkpoint = until;
            await report();
            if (checkpoint < head) await new Promise((resolve) => setImmediate(resolve));
          }
          // Caught up: said once even when nothing was there to look at.
          await report();
        } while (again && !closed);
      } finally {
        pumping = false;
      }
    };
    const signal = () => void pump();
    this.appended.on('appended', signal);
    const timer = setInterval(signal, POLL_MS);
    timer.unref();
    setImmediate(signal);
    return {
      close: async () => {
        closed = true;
        clearInterval(timer);
        this.appended.off('appended', signal);
      },
    };
  }

  /**
   * An online copy of the store into `path` (SQLite's backup API) while other connections keep writing.
   * All pages are copied in one step, under one read transaction: the copy is the log as of one commit.
   * (In smaller steps, every commit by another process would restart the copy, perhaps forever.)
   */
  async backupTo(path: string): Promise<void> {
    await this.db.backup(path, { progress: () => 0x7fffffff });
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
    if (this.db.open) this.db.close();
  }
}

const toStoredEvent = ([position, stream, revision, eventId, type, data, metadata]: EventRow): StoredEvent => ({
  logPosition: BigInt(position),
  stream,
  revision,
  eventId,
  type,
  data: JSON.parse(data) as StoredEvent['data'],
  metadata: JSON.parse(metadata) as StoredEvent['metadata'],
});
