import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { EventStore, storeErrorMessage } from '@treasury/event-store';
import { ChartOfAccounts, DEFAULT_LOT_METHOD, Journal, JournalEvent, JournalWriter, LotMethod } from '@treasury/projections';
import { bookStream, decodeStoredEvent } from '../commands/book-stream';
import { sortedInSteps } from './effective-order';
import { EventLoopSlicer, runInSlices } from './event-loop-slices';
import { Freshness, PositionQueries, PositionQueryError, QueryTime, preparedLotBook, resolveQueryTime } from './position.query';

/** At most this many entries in one answer: a longer range is refused (narrow it). */
export const MAX_JOURNAL_ENTRIES = 50_000;
/** Events read and decoded per store read; the loop gets a turn between reads once a slice is spent. */
const READ_PAGE = 500;

const inEffectiveOrder = (a: JournalEvent, b: JournalEvent) => a.event.effectiveAt - b.event.effectiveAt || a.revision - b.revision;

export interface JournalQuery extends Freshness {
  readonly from: QueryTime;
  readonly to: QueryTime;
  readonly method?: LotMethod;
}

/** A journal found: the range, the cut and the entries (values, formatted by the API's view, apps/api/src/journal/journal.view.ts). */
export interface JournalFound {
  readonly bookId: string;
  readonly from: number;
  readonly to: number;
  readonly knownAt: number;
  readonly revision: number;
  readonly method: LotMethod;
  readonly timeZone: string;
  readonly journal: Journal;
}

/**
 * The journal of a book: the projection (at the version known at knownAt) gives the relieved costs,
 * prices, accrued interest and the account mapping; the log gives each event's payload (category,
 * counterparty, memo, reference), which the projection does not keep. Reads the book's live events
 * effective up to `to` (the period-end adjustments need the balances before `from`), in slices.
 */
export class JournalQueries {
  constructor(
    private readonly store: EventStore,
    private readonly positions: PositionQueries,
  ) {}

  journal(bookId: string, query: JournalQuery): TE.TaskEither<PositionQueryError, JournalFound> {
    const method = query.method ?? DEFAULT_LOT_METHOD;
    return pipe(
      this.positions.readyBook(bookId, query),
      TE.flatMap(({ book, knownAt, version: version, timeZone }) => async (): Promise<E.Either<PositionQueryError, JournalFound>> => {
        const from = resolveQueryTime(query.from, timeZone);
        const to = resolveQueryTime(query.to, timeZone);
        const slicer = new EventLoopSlicer();
        const events = await this.liveEvents(bookId, version, to, (revision) => book.isLive(revision, version), slicer);
        if (E.isLeft(events)) return events;
        // wallet-fifo simulates the book's queues once per version: in slices, before the writer reads its reliefs.
        const lots = await preparedLotBook(book, version, method, slicer);
        const writer = new JournalWriter({
          projection: book,
          version,
          lots,
          chart: new ChartOfAccounts(book.accountMappingAt(version)),
          timeZone,
          from,
          to,
        });
        for (const event of events.right) {
          // Each month end the event's date passes is closed in its own step (a long gap closes many).
          await runInSlices(writer.addSteps(event), slicer);
          if (writer.entryCount > MAX_JOURNAL_ENTRIES)
            return E.left({ _tag: 'TooManyResults', what: 'journal entries', max: MAX_JOURNAL_ENTRIES });
          await slicer.pause();
        }
        const journal = await runInSlices(writer.finishSteps(), slicer);
        if (journal.entries.length > MAX_JOURNAL_ENTRIES)
          return E.left({ _tag: 'TooManyResults', what: 'journal entries', max: MAX_JOURNAL_ENTRIES });
        return E.right({ bookId, from, to, knownAt, revision: version - 1, method, timeZone, journal });
      }),
    );
  }

  /** The events live at the version and effective at or before `to`, in effective order (ties: revision). */
  private async liveEvents(
    bookId: string,
    version: number,
    to: number,
    live: (revision: number) => boolean,
    slicer: EventLoopSlicer,
  ): Promise<E.Either<PositionQueryError, JournalEvent[]>> {
    const found: JournalEvent[] = [];
    for (let fromRevision = 0; fromRevision < version;) {
      await slicer.pause();
      const page = await this.store.readStream(bookStream(bookId), {
        fromRevision,
        maxCount: Math.min(READ_PAGE, version - fromRevision),
      })();
      if (E.isLeft(page)) return E.left({ _tag: 'ProjectionFailed', message: storeErrorMessage(page.left) });
      if (page.right.length === 0) break;
      for (const stored of page.right) {
        if (stored.revision >= version || !live(stored.revision)) continue;
        const decoded = decodeStoredEvent(stored);
        if (E.isLeft(decoded)) return E.left({ _tag: 'ProjectionFailed', message: decoded.left.message });
        const { event, metadata } = decoded.right;
        if (event.type === 'EventReversed' || event.effectiveAt > to) continue;
        found.push({
          eventId: stored.eventId,
          revision: stored.revision,
          event,
          ...(metadata.reference === undefined ? {} : { reference: metadata.reference }),
        });
      }
      fromRevision = page.right[page.right.length - 1]!.revision + 1;
    }
    // In revision order, mostly in effective order already: sorted in steps, not in one call.
    return E.right(await runInSlices(sortedInSteps(found, inEffectiveOrder), slicer));
  }
}
