import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import type { BookProjection } from '@treasury/projections';
import { EventStore, EventSubscription, SubscriptionDrop } from '@treasury/event-store';
import { LogFinding, NoProjectionSnapshots, ProjectionSnapshot, ProjectionSnapshots } from '../ports/projection-snapshots';
import { BookFailure, ProjectionState } from './projection-state';
import { chooseSnapshot, storeFailure } from './snapshot-choice';

export interface ProjectorOptions {
  /** Save a snapshot once this many events were folded since the last one (and on stop) ... */
  readonly saveEvery?: number;
  /** ... but not more often than this: a save of a million-event book blocks for most of a second. */
  readonly minSaveIntervalMs?: number;
  /** Page size when reading the log to catch up or rebuild; the event loop is yielded between pages. */
  readonly readPage?: number;
  /** Told when a snapshot could not be saved (the projection carries on; the next start reads more of the log). */
  readonly onSaveFailed?: (error: Error) => void;
  /** Told what an operator should know: a snapshot discarded and why, a book that stopped folding, events that vanished. */
  readonly onWarning?: (message: string) => void;
}

export interface CatchUpReport {
  /** Events restored from the snapshot. */
  readonly fromSnapshot: number;
  /** Events read from the store and folded. */
  readonly fromStore: number;
  readonly checkpoint: bigint;
  readonly ms: number;
}

export interface RebuildReport extends CatchUpReport {
  /** Findings of vanished events the rebuild cleared (the new projection is the fold of the log as it is now). */
  readonly clearedFindings: ReadonlyArray<LogFinding>;
}

/** Which snapshot the projection started from, or why it did not. */
export type SnapshotUse =
  | { readonly status: 'none' }
  | { readonly status: 'loaded'; readonly checkpoint: bigint; readonly events: number }
  | { readonly status: 'discarded'; readonly reason: string }
  | { readonly status: 'rebuilt' };

export interface SubscriptionDrops {
  readonly count: number;
  readonly last: SubscriptionDrop | undefined;
}

/** Small pages keep each page's decoded events short-lived (young garbage is cheap to collect) and the event loop free. */
const READ_PAGE = 1_000;
const SAVE_EVERY = 100_000;
const MIN_SAVE_INTERVAL_MS = 10 * 60_000;
/** How long catch-up or rebuild folds before it lets other work run. */
const SLICE_MS = 8;

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Drives the position projections from the event log through the store port only (read-all to catch
 * up, subscribe-to-all to follow), so it behaves the same on SQLite and EventStoreDB. Its snapshot is
 * bound to the store (identity, checkpoint event, per-book heads) and checked before use; it catches up
 * on start, can rebuild from zero, and lets a query wait until a log position has been folded.
 */
export class PositionProjector {
  private state = new ProjectionState('');
  private subscription: EventSubscription | undefined;
  private foldedSinceSave = 0;
  private saving: Promise<void> = Promise.resolve();
  private waiters = new Set<{ readonly logPosition: bigint; readonly settle: (reached: boolean) => void }>();
  private readonly saveEvery: number;
  private readonly minSaveIntervalMs: number;
  private readonly readPage: number;
  private lastSaveAt = Number.NEGATIVE_INFINITY;
  private rebuilding: Promise<E.Either<Error, RebuildReport>> | undefined;
  private snapshotUse: SnapshotUse = { status: 'none' };
  private caughtUpOnce = false;
  private lastSaveSkipped: string | undefined;
  private drops: SubscriptionDrops = { count: 0, last: undefined };
  /** The state a running rebuild folds into (for its progress), until it is swapped in. */
  private rebuildState: ProjectionState | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly snapshots: ProjectionSnapshots,
    private readonly options: ProjectorOptions = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.saveEvery = options.saveEvery ?? SAVE_EVERY;
    this.minSaveIntervalMs = options.minSaveIntervalMs ?? MIN_SAVE_INTERVAL_MS;
    this.readPage = options.readPage ?? READ_PAGE;
  }

  get checkpoint(): bigint {
    return this.state.checkpoint;
  }

  /** True once the start-up catch-up has finished and the projection follows the log. */
  get started(): boolean {
    return this.caughtUpOnce;
  }

  /** Events folded so far by the running rebuild; undefined when none runs. */
  get rebuildProgress(): { readonly events: number; readonly checkpoint: bigint } | undefined {
    const state = this.rebuildState;
    return state === undefined ? undefined : { events: state.eventCount, checkpoint: state.checkpoint };
  }

  get isRebuilding(): boolean {
    return this.rebuilding !== undefined;
  }

  get snapshot(): SnapshotUse {
    return this.snapshotUse;
  }

  /** Why the last snapshot save was skipped, if it was (a failed book). */
  get snapshotSkipped(): string | undefined {
    return this.lastSaveSkipped;
  }

  /** How often the store's subscription dropped (and was resumed by the store) since start; SQLite never drops. */
  get subscriptionDrops(): SubscriptionDrops {
    return this.drops;
  }

  /** Why a book stopped folding, if it did: its queries report it; other books keep answering. */
  failureOf(bookId: string): BookFailure | undefined {
    return this.state.failures.get(bookId);
  }

  failures(): ReadonlyArray<BookFailure> {
    return [...this.state.failures.values()];
  }

  /** Events the log lost under the projection, for a book (verify reports it). */
  findingOf(bookId: string): LogFinding | undefined {
    return this.state.findings.get(bookId);
  }

  findings(): ReadonlyArray<LogFinding> {
    return [...this.state.findings.values()];
  }

  book(bookId: string): BookProjection | undefined {
    return this.state.books.get(bookId);
  }

  books(): IterableIterator<[string, BookProjection]> {
    return this.state.books.entries();
  }

  /**
   * Loads the snapshot and checks it against the store (identity, the event at its checkpoint, each
   * book's last folded event); reads what is newer (or the whole log, if the snapshot is not usable),
   * saves, then follows the log. A snapshot that does not match is discarded with a warning.
   */
  start(): TE.TaskEither<Error, CatchUpReport> {
    return async () => {
      const started = this.now();
      const identity = await this.store.identity()();
      if (E.isLeft(identity)) return E.left(storeFailure('reading the store identity', identity.left));
      const storeId = identity.right;
      const loaded = await this.snapshots.load()();
      const chosen = await chooseSnapshot(this.store, storeId, E.isLeft(loaded) ? { damaged: loaded.left } : { snapshot: loaded.right });
      if (E.isLeft(chosen)) return chosen;
      const { state, use, findings } = chosen.right;
      for (const finding of findings) if (!state.findings.has(finding.bookId)) state.findings.set(finding.bookId, finding);
      this.snapshotUse = use;
      if (use.status === 'discarded') this.warn(`projection snapshot discarded (${use.reason}); folding the log from the start`);
      for (const finding of state.findings.values()) this.warn(describeFinding(finding));
      const fromSnapshot = state.eventCount;
      const fromStore = await this.readToEnd(state);
      if (E.isLeft(fromStore)) return fromStore;
      this.follow(state);
      this.caughtUpOnce = true;
      if (fromStore.right > 0 || use.status !== 'loaded') await this.saveNow();
      return E.right({ fromSnapshot, fromStore: fromStore.right, checkpoint: state.checkpoint, ms: this.now() - started });
    };
  }

  /**
   * Folds the whole log again from zero into a new state, swaps it in when caught up and replaces the
   * snapshot; findings of vanished events are cleared (the new state is the log as it is now). Queries
   * keep answering from the old state meanwhile. Concurrent calls share one rebuild.
   */
  rebuild(): TE.TaskEither<Error, RebuildReport> {
    return () => {
      this.rebuilding ??= this.runRebuild().finally(() => {
        this.rebuilding = undefined;
      });
      return this.rebuilding;
    };
  }

  private async runRebuild(): Promise<E.Either<Error, RebuildReport>> {
    const started = this.now();
    const identity = await this.store.identity()();
    if (E.isLeft(identity)) return E.left(storeFailure('reading the store identity', identity.left));
    const state = new ProjectionState(identity.right);
    this.rebuildState = state;
    const fromStore = await this.readToEnd(state).finally(() => (this.rebuildState = undefined));
    if (E.isLeft(fromStore)) return fromStore;
    const clearedFindings = this.findings();
    try {
      await this.subscription?.close();
    } catch (error) {
      return E.left(toError(error));
    }
    this.follow(state);
    this.caughtUpOnce = true;
    this.snapshotUse = { status: 'rebuilt' };
    for (const finding of clearedFindings) this.warn(`rebuild cleared: ${describeFinding(finding)}`);
    await this.saveNow();
    return E.right({
      fromSnapshot: 0,
      fromStore: fromStore.right,
      checkpoint: state.checkpoint,
      ms: this.now() - started,
      clearedFindings,
    });
  }

  /**
   * Resolves true once everything up to `position` is folded; false after `timeoutMs`. A failed book
   * does not hold the checkpoint back: the other books keep folding past its events.
   */
  waitFor(logPosition: bigint, timeoutMs: number): Promise<boolean> {
    if (this.state.checkpoint >= logPosition) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        logPosition,
        settle: (reached: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The position of the log's last event, or undefined when the store cannot say right now. */
  async logHead(): Promise<bigint | undefined> {
    const head = await this.store.headPosition()();
    return E.isRight(head) ? head.right : undefined;
  }

  /** Stops following the log and saves a snapshot if anything was folded since the last one. */
  async stop(): Promise<void> {
    await this.rebuilding;
    await this.subscription?.close();
    this.subscription = undefined;
    if (this.foldedSinceSave > 0) await this.saveNow();
    await this.saving;
  }

  /** Reads the log after the state's checkpoint to its current end in pages, folding each event and yielding between pages; returns how many. */
  private async readToEnd(state: ProjectionState): Promise<E.Either<Error, number>> {
    const before = state.folded;
    for (;;) {
      const page = await this.store.readAll({ after: state.checkpoint, maxCount: this.readPage })();
      if (E.isLeft(page)) return E.left(storeFailure('reading the event log', page.left));
      let sliceStarted = performance.now();
      for (const [index, stored] of page.right.entries()) {
        this.reportFailure(state.applyStored(stored));
        // A slice is at most ~SLICE_MS of folding, whatever the page size: other requests are answered between slices.
        if ((index & 63) === 63 && performance.now() - sliceStarted > SLICE_MS) {
          await yieldToEventLoop();
          sliceStarted = performance.now();
        }
      }
      if (page.right.length < this.readPage) return E.right(state.folded - before);
      await yieldToEventLoop();
    }
  }

  private reportFailure(failure: BookFailure | undefined): void {
    if (failure !== undefined)
      this.warn(
        `book ${failure.bookId} stopped folding at event ${failure.eventId} (revision ${failure.revision}, position ${failure.logPosition}): ${failure.message}; its queries answer 503 until this is fixed and the projection rebuilt`,
      );
  }

  private follow(state: ProjectionState): void {
    this.state = state;
    this.foldedSinceSave = 0;
    this.release();
    const onDrop = (drop: SubscriptionDrop) => {
      this.drops = { count: this.drops.count + 1, last: drop };
      this.warn(
        `the log subscription dropped (${drop.message}); resubscribing after ${drop.resumeAfter ?? 'the start'} in ${drop.retryInMs} ms`,
      );
    };
    this.subscription = this.store.subscribeToAll({ after: state.checkpoint, onDrop }, (stored) => {
      if (state !== this.state) return;
      const before = state.folded;
      this.reportFailure(state.applyStored(stored));
      this.foldedSinceSave += state.folded - before;
      this.release();
      if (this.foldedSinceSave >= this.saveEvery && this.now() - this.lastSaveAt >= this.minSaveIntervalMs) void this.saveNow();
    });
  }

  private release(): void {
    for (const waiter of this.waiters) if (waiter.logPosition <= this.state.checkpoint) waiter.settle(true);
  }

  /**
   * Saves the current state, one save at a time. Never while a book is failed (a failed state is never
   * saved: the next start must meet the failing event again). A failed save is reported and only means
   * a longer catch-up next start.
   */
  private saveNow(): Promise<void> {
    this.foldedSinceSave = 0;
    this.lastSaveAt = this.now();
    const failed = this.failures();
    if (failed.length > 0) {
      this.lastSaveSkipped = `book ${failed.map((f) => f.bookId).join(', ')} failed; a failed state is never saved`;
      this.warn(`projection snapshot not saved: ${this.lastSaveSkipped}`);
      return this.saving;
    }
    this.lastSaveSkipped = undefined;
    // Building a snapshot of a million-event book blocks for about half a second: not for one that would be thrown away.
    if (this.snapshots instanceof NoProjectionSnapshots) return this.saving;
    let snapshot: ProjectionSnapshot;
    try {
      snapshot = this.state.toSnapshot();
    } catch (error) {
      this.options.onSaveFailed?.(toError(error));
      return this.saving;
    }
    this.saving = this.saving.then(async () => {
      const saved = await this.snapshots
        .save(snapshot)()
        .catch((error: unknown) => E.left(toError(error)));
      if (E.isLeft(saved)) this.options.onSaveFailed?.(saved.left);
    });
    return this.saving;
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }
}

export const describeFinding = (finding: LogFinding): string =>
  finding.reason === 'events-vanished'
    ? `book ${finding.bookId}: events vanished from the log: the projection had folded up to revision ${finding.expected.revision} (event ${finding.expected.eventId}, hash ${finding.expected.hash}), the stream now ends at ${finding.found.revision ?? 'nothing'}`
    : `book ${finding.bookId}: the event at revision ${finding.expected.revision} was ${finding.expected.eventId} (hash ${finding.expected.hash}) and is now ${finding.found.eventId} (hash ${finding.found.hash})`;
