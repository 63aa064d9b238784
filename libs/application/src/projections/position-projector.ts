import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import type { BookProjection } from '@treasury/projections';
import { EventStore, EventSubscription } from '@treasury/event-store';
import { ProjectionSnapshots, SnapshotEntry } from '../ports/projection-snapshots';
import { ProjectionState } from './projection-state';

export interface ProjectorOptions {
  /** Save to the snapshot store once this many folded entries are unsaved (and on stop). */
  readonly saveEvery?: number;
  /** Page size when reading the log to catch up or rebuild. */
  readonly readPage?: number;
}

export interface CatchUpReport {
  readonly fromSnapshot: number;
  readonly fromStore: number;
  readonly checkpoint: bigint;
  readonly ms: number;
}

const READ_PAGE = 10_000;
const SAVE_EVERY = 5_000;

/**
 * Drives the position projections from the event log through the store port only (read-all to catch
 * up, subscribe-to-all to follow), so it behaves the same on SQLite and EventStoreDB. It persists what
 * it folded with its checkpoint, catches up on start, can rebuild from zero, and lets a query wait
 * until a given log position has been folded (read-your-writes).
 */
export class PositionProjector {
  private state = new ProjectionState();
  private subscription: EventSubscription | undefined;
  private unsaved: SnapshotEntry[] = [];
  private saving: Promise<void> = Promise.resolve();
  private waiters = new Set<{ readonly position: bigint; readonly resolve: () => void }>();
  private failure: Error | undefined;
  private readonly saveEvery: number;
  private readonly readPage: number;

  constructor(
    private readonly store: EventStore,
    private readonly snapshots: ProjectionSnapshots,
    options: ProjectorOptions = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.saveEvery = options.saveEvery ?? SAVE_EVERY;
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

  /** Loads the snapshot, reads what is newer from the store, saves, then follows the log. */
  start(): TE.TaskEither<Error, CatchUpReport> {
    const started = this.now();
    return pipe(
      this.snapshots.load(),
      TE.flatMap((snapshot) => {
        const restored = snapshot === undefined ? undefined : restore(snapshot.entries, snapshot.checkpoint);
        // A snapshot that does not fold cleanly is only a cache: drop it and read the log from zero.
        const state = restored ?? new ProjectionState();
        const fromSnapshot = state.folded;
        return pipe(
          snapshot !== undefined && restored === undefined ? this.snapshots.reset() : TE.right(undefined),
          TE.flatMap(() => this.readToEnd(state)),
          TE.map((fresh) => ({ state, fromSnapshot, fresh })),
        );
      }),
      TE.flatMap(({ state, fromSnapshot, fresh }) =>
        pipe(
          this.snapshots.append(state.checkpoint, fresh),
          TE.map(() => {
            this.follow(state);
            return { fromSnapshot, fromStore: fresh.length, checkpoint: state.checkpoint, ms: this.now() - started };
          }),
        ),
      ),
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
      TE.flatMap((entries) =>
        pipe(
          TE.tryCatch(() => this.saving, toError),
          TE.flatMap(() => this.snapshots.reset()),
          TE.flatMap(() => this.snapshots.append(state.checkpoint, entries)),
          TE.flatMap(() =>
            TE.tryCatch(async () => {
              await this.subscription?.close();
              this.unsaved = [];
              this.failure = undefined;
              this.follow(state);
              return { fromSnapshot: 0, fromStore: entries.length, checkpoint: state.checkpoint, ms: this.now() - started };
            }, toError),
          ),
        ),
      ),
    );
  }

  /** Resolves true once everything up to `position` is folded, false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.state.checkpoint >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Stops following the log and saves what is unsaved. */
  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
    this.save();
    await this.saving;
  }

  /** Reads the log after the state's checkpoint to its current end, folding each event. */
  private readToEnd(state: ProjectionState): TE.TaskEither<Error, SnapshotEntry[]> {
    return async () => {
      const entries: SnapshotEntry[] = [];
      for (;;) {
        const page = await this.store.readAll({ after: state.checkpoint, maxCount: this.readPage })();
        if (E.isLeft(page)) return E.left(new Error(`reading the event log: ${page.left._tag === 'StoreUnavailable' ? page.left.message : page.left._tag}`));
        for (const stored of page.right) {
          const applied = state.applyStored(stored);
          if (E.isLeft(applied)) return applied;
          if (applied.right !== undefined) entries.push(applied.right);
        }
        if (page.right.length < this.readPage) return E.right(entries);
      }
    };
  }

  private follow(state: ProjectionState): void {
    this.state = state;
    this.release();
    this.subscription = this.store.subscribeToAll({ after: state.checkpoint }, (stored) => {
      if (this.failure !== undefined || state !== this.state) return;
      const applied = state.applyStored(stored);
      if (E.isLeft(applied)) {
        // Folding past an event we cannot read would give wrong figures: stop, and say why in every answer.
        this.failure = applied.left;
        return;
      }
      if (applied.right !== undefined) this.unsaved.push(applied.right);
      this.release();
      if (this.unsaved.length >= this.saveEvery) this.save();
    });
  }

  private release(): void {
    for (const waiter of this.waiters) if (waiter.position <= this.state.checkpoint) waiter.resolve();
  }

  /** Saves in the background, one save at a time, in order. */
  private save(): void {
    if (this.unsaved.length === 0) return;
    const entries = this.unsaved;
    const checkpoint = this.state.checkpoint;
    this.unsaved = [];
    this.saving = this.saving.then(async () => {
      const saved = await this.snapshots.append(checkpoint, entries)();
      if (E.isLeft(saved)) {
        // Keep them for the next save, so the snapshot never has a gap; the log stays the truth.
        this.unsaved = [...entries, ...this.unsaved];
        this.onSaveFailed(saved.left);
      }
    });
  }

  /** Overridable hook for logging; the default keeps going. */
  protected onSaveFailed(_error: Error): void {}
}

const restore = (entries: ReadonlyArray<SnapshotEntry>, checkpoint: bigint): ProjectionState | undefined => {
  const state = new ProjectionState();
  for (const entry of entries) if (E.isLeft(state.applyEntry(entry))) return undefined;
  state.checkpoint = checkpoint;
  return state;
};

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
