import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import type { BookProjection } from '@treasury/projections';
import { EventStore, EventSubscription, storeErrorMessage } from '@treasury/event-store';
import { ProjectionSnapshot, ProjectionSnapshots } from '../ports/projection-snapshots';
import { ProjectionState } from './projection-state';

export interface ProjectorOptions {
  /** Save a snapshot once this many events were folded since the last one (and on stop) ... */
  readonly saveEvery?: number;
  /** ... but not more often than this: a save of a million-event book blocks for most of a second. */
  readonly minSaveIntervalMs?: number;
  /** Page size when reading the log to catch up or rebuild. */
  readonly readPage?: number;
  /** Told when a snapshot could not be saved (the projection carries on; the next start reads more of the log). */
  readonly onSaveFailed?: (error: Error) => void;
}

export interface CatchUpReport {
  /** Events restored from the snapshot. */
  readonly fromSnapshot: number;
  /** Events read from the store and folded. */
  readonly fromStore: number;
  readonly checkpoint: bigint;
  readonly ms: number;
}

/** Small pages keep each page's decoded events short-lived (young garbage is cheap to collect). */
const READ_PAGE = 1_000;
const SAVE_EVERY = 100_000;
const MIN_SAVE_INTERVAL_MS = 10 * 60_000;

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Drives the position projections from the event log through the store port only (read-all to catch
 * up, subscribe-to-all to follow), so it behaves the same on SQLite and EventStoreDB. It snapshots
 * its state with the checkpoint, catches up on start, can rebuild from zero, and lets a query wait
 * until a given log position has been folded (read-your-writes).
 */
export class PositionProjector {
  private state = new ProjectionState();
  private subscription: EventSubscription | undefined;
  private foldedSinceSave = 0;
  private saving: Promise<void> = Promise.resolve();
  private waiters = new Set<{ readonly position: bigint; readonly settle: (reached: boolean) => void }>();
  private failure: Error | undefined;
  private readonly saveEvery: number;
  private readonly minSaveIntervalMs: number;
  private readonly readPage: number;
  private lastSaveAt = Number.NEGATIVE_INFINITY;

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

  /** Why the projection stopped folding, if it did (an event it cannot decode): queries report it. */
  get failed(): Error | undefined {
    return this.failure;
  }

  book(bookId: string): BookProjection | undefined {
    return this.state.books.get(bookId);
  }

  books(): IterableIterator<[string, BookProjection]> {
    return this.state.books.entries();
  }

  /** Loads the snapshot, reads what is newer from the store, saves if anything was, then follows the log. */
  start(): TE.TaskEither<Error, CatchUpReport> {
    const started = this.now();
    return pipe(
      this.snapshots.load(),
      // An unreadable snapshot is only a cache miss: the log is the truth.
      TE.orElse(() => TE.right<Error, ProjectionSnapshot | undefined>(undefined)),
      TE.flatMap((snapshot) => {
        const restored = snapshot === undefined ? undefined : ProjectionState.fromSnapshot(snapshot);
        const state = restored !== undefined && E.isRight(restored) ? restored.right : new ProjectionState();
        const fromSnapshot = state.eventCount;
        return pipe(
          this.readToEnd(state),
          TE.flatMap((fromStore) => pipe(fromStore > 0 ? this.snapshots.save(state.toSnapshot()) : TE.right(undefined), TE.map(() => fromStore))),
          TE.map((fromStore) => {
            this.follow(state);
            return { fromSnapshot, fromStore, checkpoint: state.checkpoint, ms: this.now() - started };
          }),
        );
      }),
    );
  }

  /**
   * Folds the whole log again from zero into a new state, swaps it in when caught up and replaces the
   * snapshot. Queries keep answering from the old state meanwhile.
   */
  rebuild(): TE.TaskEither<Error, CatchUpReport> {
    const started = this.now();
    const state = new ProjectionState();
    return pipe(
      this.readToEnd(state),
      TE.flatMap((fromStore) =>
        TE.tryCatch(async () => {
          await this.subscription?.close();
          this.failure = undefined;
          this.follow(state);
          return { fromSnapshot: 0, fromStore, checkpoint: state.checkpoint, ms: this.now() - started };
        }, toError),
      ),
      TE.tap(() => TE.tryCatch(() => this.saveNow(), toError)),
    );
  }

  /**
   * Resolves true once everything up to `position` is folded; false after `timeoutMs`, or at once if
   * the projection has stopped on an event it cannot fold (it would never get there).
   */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.state.checkpoint >= position) return Promise.resolve(true);
    if (this.failure !== undefined) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        position,
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

  /** Stops following the log and saves a snapshot if anything was folded since the last one. */
  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
    if (this.foldedSinceSave > 0) await this.saveNow();
    await this.saving;
  }

  /** Reads the log after the state's checkpoint to its current end, folding each event; returns how many. */
  private readToEnd(state: ProjectionState): TE.TaskEither<Error, number> {
    return async () => {
      const before = state.folded;
      for (;;) {
        const page = await this.store.readAll({ after: state.checkpoint, maxCount: this.readPage })();
        if (E.isLeft(page)) return E.left(new Error(`reading the event log: ${storeErrorMessage(page.left)}`));
        for (const stored of page.right) {
          const applied = state.applyStored(stored);
          if (E.isLeft(applied)) return applied;
        }
        if (page.right.length < this.readPage) return E.right(state.folded - before);
      }
    };
  }

  private follow(state: ProjectionState): void {
    this.state = state;
    this.foldedSinceSave = 0;
    this.release();
    this.subscription = this.store.subscribeToAll({ after: state.checkpoint }, (stored) => {
      if (this.failure !== undefined || state !== this.state) return;
      const before = state.folded;
      const applied = state.applyStored(stored);
      if (E.isLeft(applied)) {
        // Folding past an event we cannot read would give wrong figures: stop, and say why in every answer.
        this.failure = applied.left;
        for (const waiter of this.waiters) waiter.settle(false);
        return;
      }
      this.foldedSinceSave += state.folded - before;
      this.release();
      if (this.foldedSinceSave >= this.saveEvery && this.now() - this.lastSaveAt >= this.minSaveIntervalMs) void this.saveNow();
    });
  }

  private release(): void {
    for (const waiter of this.waiters) if (waiter.position <= this.state.checkpoint) waiter.settle(true);
  }

  /** Saves the current state, one save at a time. A failed save only means a longer catch-up next start. */
  private saveNow(): Promise<void> {
    this.foldedSinceSave = 0;
    this.lastSaveAt = this.now();
    const snapshot = this.state.toSnapshot();
    this.saving = this.saving.then(async () => {
      const saved = await this.snapshots.save(snapshot)();
      if (E.isLeft(saved)) this.options.onSaveFailed?.(saved.left);
    });
    return this.saving;
  }
}
