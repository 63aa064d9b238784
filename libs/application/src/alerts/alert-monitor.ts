import * as E from 'fp-ts/Either';
import { ALERT_RAISED, AlertCause, AlertMetadata, AlertRaisedData, alertStream } from '@treasury/domain';
import { EventStore, StoredEvent, storeErrorMessage } from '@treasury/event-store';
import { ChainBreak, RaisedState, alertTransitions, currentAlertStates, subjectKey } from '@treasury/projections';
import { bookIdOfStream, bookStream } from '../commands/book-stream';
import { GENESIS_HASH } from '../audit/hash-chain';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import type { PositionProjector } from '../projections/position-projector';
import { decodeAlert } from '../feed/feed-items';
import { verifyChainInSlices } from './chain-check';
import type { FeedNotifier } from '../feed/feed-notifier';

export interface AlertMonitorOptions {
  /** How often every book is evaluated for time-driven transitions (a maturity passing, a price going stale). */
  readonly timerMs?: number;
  /** How often every book's whole hash chain is verified again (new events are checked as they arrive). */
  readonly verifyEveryMs?: number;
  /** The first full verification runs this long after start, so start-up is not slowed by it. */
  readonly firstVerifyAfterMs?: number;
  readonly onWarning?: (message: string) => void;
}

/** What this monitor last raised for a book, and the alerts stream's revision (-1: no stream yet). */
interface BookAlerts {
  revision: number;
  readonly states: Map<string, RaisedState>;
}

const PAGE = 500;
const ATTEMPTS = 5;
export const ALERT_MONITOR_ACTOR = 'system:alert-monitor';

/**
 * Raises AlertRaised events (stream `alerts-<bookId>`) when a book's alert state changes. It follows
 * the log after the projector (each book is evaluated at the version of the event just read, so the
 * cause is exact), evaluates every book on a timer for what time alone changes, checks each new event's
 * link in the hash chain and re-verifies whole chains on a slow timer. What it last raised is rebuilt
 * from the alerts streams at start, so a restart neither repeats a transition nor misses one (every
 * book is evaluated on start). Two servers on one store race on the stream's expected revision: the
 * loser re-reads what was raised and evaluates again, finding nothing left to raise.
 */
export class AlertMonitor {
  private readonly raised = new Map<string, BookAlerts>();
  private readonly chain = new Map<string, ChainBreak | null>();
  /** The last event of each book seen by this monitor: its revision and hash, for the next link's check. */
  private readonly links = new Map<string, { revision: number; hash: string | null }>();
  /** The version (event count) of each book this monitor has evaluated up to. */
  private readonly versions = new Map<string, number>();
  private cursor = 0n;
  private running = false;
  private queue: Promise<void> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly projector: PositionProjector,
    private readonly notifier: FeedNotifier,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly options: AlertMonitorOptions = {},
  ) {}

  /** The last log position this monitor has evaluated the books up to. */
  get checkpoint(): bigint {
    return this.cursor;
  }

  /** Rebuilds what was raised, evaluates every book once, then follows the log and starts the timers. */
  async start(): Promise<void> {
    const head = await this.store.headPosition()();
    if (E.isLeft(head)) throw new Error(`alerts: reading the log head: ${storeErrorMessage(head.left)}`);
    await this.projector.waitFor(head.right, 30_000);
    for (const [bookId] of [...this.projector.books()]) {
      const last = await this.store.readStream(bookStream(bookId), { direction: 'backwards', maxCount: 1 })();
      if (E.isLeft(last) || last.right[0] === undefined) continue;
      const stored = last.right[0];
      this.links.set(bookId, { revision: stored.revision, hash: hashOf(stored) });
      // What changed while no monitor ran cannot be pinned on one event: it is dated at this start.
      await this.serial(() => this.evaluate(bookId, stored.revision + 1, { timer: this.clock.now() }));
    }
    this.cursor = head.right;
    this.running = true;
    this.loop = this.follow();
    const timerMs = this.options.timerMs ?? 60_000;
    this.timers.push(setInterval(() => void this.tick(), timerMs));
    const verifyEvery = this.options.verifyEveryMs ?? 15 * 60_000;
    this.timers.push(setTimeout(() => void this.verifyAll(), this.options.firstVerifyAfterMs ?? 5_000));
    this.timers.push(setInterval(() => void this.verifyAll(), verifyEvery));
    for (const timer of this.timers) timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    await this.loop;
    await this.queue.catch(() => undefined);
  }

  /** Evaluates every book now, for what time alone changes (the timer calls it; tests call it after moving the clock). */
  tick(): Promise<void> {
    return this.serial(async () => {
      const at = this.clock.now();
      for (const [bookId, version] of this.versions) await this.evaluate(bookId, version, { timer: at });
    });
  }

  /** Verifies every book's whole chain, then evaluates each book whose chain state this changes. */
  async verifyAll(): Promise<void> {
    for (const bookId of [...this.versions.keys()]) {
      if (!this.running) return;
      const verified = await verifyChainInSlices(this.store, bookId, this.projector.findingOf(bookId));
      if (E.isLeft(verified)) {
        this.warn(`alerts: verifying ${bookId}: ${verified.left}`);
        continue;
      }
      const found = verified.right;
      await this.serial(async () => {
        const before = this.chain.get(bookId) ?? null;
        this.chain.set(bookId, found);
        if ((before === null) !== (found === null))
          await this.evaluate(bookId, this.versions.get(bookId) ?? 0, { timer: this.clock.now() });
      });
    }
  }

  /** Reads the log after the cursor page by page; each book on a page is evaluated at the version of its last event there. */
  private async follow(): Promise<void> {
    while (this.running) {
      const page = await this.store.readAll({ after: this.cursor, maxCount: PAGE })();
      if (E.isLeft(page)) {
        this.warn(`alerts: reading the log: ${storeErrorMessage(page.left)}`);
        await this.notifier.waitAfter(this.cursor, 1_000, this.abort.signal);
        continue;
      }
      const touched = new Map<string, StoredEvent>();
      for (const stored of page.right) {
        const bookId = bookIdOfStream(stored.stream);
        if (bookId === undefined) continue;
        this.checkLink(bookId, stored);
        touched.set(bookId, stored);
      }
      const last = page.right[page.right.length - 1];
      if (last !== undefined) {
        await this.projector.waitFor(last.logPosition, 30_000);
        await this.serial(async () => {
          for (const [bookId, stored] of touched)
            await this.evaluate(bookId, stored.revision + 1, { eventId: stored.eventId, logPosition: stored.logPosition.toString() });
        });
        this.cursor = last.logPosition;
      }
      if (page.right.length < PAGE) await this.notifier.waitAfter(this.cursor, 1_000, this.abort.signal);
    }
  }

  /**
   * A new event's link in the chain, against the last one this monitor saw of its book: its revision
   * follows, it carries a hash, and its previousHash is that event's hash. A string comparison, not a
   * SHA-256 per event (imports run at 20,000 events a second); recomputing every hash is verifyAll's job.
   */
  private checkLink(bookId: string, stored: StoredEvent): void {
    const previous = this.links.get(bookId);
    const hash = hashOf(stored);
    const expected =
      previous === undefined
        ? stored.revision === 0
          ? GENESIS_HASH
          : undefined
        : previous.revision === stored.revision - 1
          ? previous.hash
          : undefined;
    if (expected !== undefined && expected !== null && (this.chain.get(bookId) ?? null) === null) {
      const found = typeof stored.metadata['previousHash'] === 'string' ? stored.metadata['previousHash'] : null;
      const base = { eventId: stored.eventId, revision: stored.revision };
      if (hash === null || found === null) this.chain.set(bookId, { ...base, reason: 'missing-hash', expected, found: null });
      else if (found !== expected) this.chain.set(bookId, { ...base, reason: 'previous-hash-mismatch', expected, found });
    }
    if (previous === undefined || stored.revision > previous.revision) this.links.set(bookId, { revision: stored.revision, hash });
  }

  /** Compares a book's alert states at version (asOf now) with what was last raised, and appends the transitions. */
  private async evaluate(bookId: string, version: number, cause: AlertCause): Promise<void> {
    if (version > (this.versions.get(bookId) ?? 0)) this.versions.set(bookId, version);
    const book = this.projector.book(bookId);
    if (book === undefined || this.projector.failureOf(bookId) !== undefined || book.calendar() === undefined) return;
    const detectedAt = this.clock.now();
    const states = currentAlertStates(book, detectedAt, Math.min(version, book.revision + 1), this.chain.get(bookId) ?? null);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const known = await this.raisedOf(bookId);
      if (known === undefined) return;
      const transitions = alertTransitions(known.states, states);
      if (transitions.length === 0) return;
      const metadata = AlertMetadata.encode({ recordedAt: detectedAt, actor: ALERT_MONITOR_ACTOR });
      const events = transitions.map((transition) => ({
        eventId: this.ids.newId(),
        type: ALERT_RAISED,
        data: AlertRaisedData.encode({
          kind: transition.kind,
          subject: transition.subject,
          from: transition.from,
          to: transition.state,
          figures: transition.figures,
          causedBy: cause,
          detectedAt,
        }),
        metadata,
      }));
      const appended = await this.store.append(alertStream(bookId), events, known.revision < 0 ? 'no-stream' : known.revision)();
      if (E.isRight(appended)) {
        known.revision = appended.right.revision;
        for (const t of transitions) known.states.set(subjectKey(t.kind, t.subject), { kind: t.kind, subject: t.subject, state: t.state });
        return;
      }
      if (appended.left._tag !== 'WrongExpectedRevision') {
        this.warn(`alerts: appending to ${alertStream(bookId)}: ${storeErrorMessage(appended.left)}`);
        return;
      }
      // Another server raised first: forget what we knew, re-read what was raised, and compare again.
      this.raised.delete(bookId);
    }
    this.warn(`alerts: ${alertStream(bookId)} kept changing under this server; evaluation skipped`);
  }

  /** What was last raised for a book, rebuilt from its alerts stream (cached once read). */
  private async raisedOf(bookId: string): Promise<BookAlerts | undefined> {
    const cached = this.raised.get(bookId);
    if (cached !== undefined) return cached;
    const alerts: BookAlerts = { revision: -1, states: new Map() };
    for (;;) {
      const page = await this.store.readStream(alertStream(bookId), { fromRevision: alerts.revision + 1, maxCount: 1_000 })();
      if (E.isLeft(page)) {
        this.warn(`alerts: reading ${alertStream(bookId)}: ${storeErrorMessage(page.left)}`);
        return undefined;
      }
      for (const stored of page.right) {
        alerts.revision = stored.revision;
        const decoded = decodeAlert(stored);
        if (E.isLeft(decoded)) continue;
        const { kind, subject, to } = decoded.right.data;
        alerts.states.set(subjectKey(kind, subject), { kind, subject, state: to });
      }
      if (page.right.length < 1_000) break;
    }
    this.raised.set(bookId, alerts);
    return alerts;
  }

  /** One evaluation at a time: the follow loop, the timer and verification never interleave appends. */
  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.queue
      .then(work)
      .catch((error: unknown) => this.warn(`alerts: ${error instanceof Error ? error.message : String(error)}`));
    this.queue = next;
    return next;
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }
}

const hashOf = (stored: StoredEvent): string | null => (typeof stored.metadata['hash'] === 'string' ? stored.metadata['hash'] : null);
