import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { ALERT_RAISED, AlertMetadata, AlertRaisedData, bookIdOfAlertStream, formatInstant } from '@treasury/domain';
import { EventStore, StoredEvent, storeErrorMessage } from '@treasury/event-store';
import { BookStoredEvent, bookIdOfStream, decodeStoredEvent } from '../commands/book-stream';
import { amendedByOf, amendsOf, readDecoded } from '../queries/amendment-links';
import { eventView } from '../queries/book-events.query';

/**
 * The live feed's items, shared by the SSE streams and webhook deliveries: every book event and every
 * AlertRaised, in log order, each named by its log position (the resume cursor). The access log
 * (`treasury-access`) is never in the feed.
 */
export type FeedItemKind = 'book-event' | 'alert';

export interface FeedItem {
  readonly kind: FeedItemKind;
  readonly bookId: string;
  /** The global log position: strictly increasing, the cursor to resume after. */
  readonly logPosition: bigint;
  readonly eventId: string;
  /** The event type (`AlertRaised` for an alert): the SSE `event:` field. */
  readonly type: string;
  /** JSON-ready: a book event is GET /events' item view plus bookId and logPosition; an alert its own view. */
  readonly view: Readonly<Record<string, unknown>>;
}

/** Which items a reader may see: by book and kind (grants differ per book and per kind). */
export type FeedInclude = (bookId: string, kind: FeedItemKind) => boolean;

/** What links a book event's view shows as known now (who reversed it): the position projector satisfies it. */
export interface FeedLinks {
  book(
    bookId: string,
  ):
    | { reversalOf(revision: number): { readonly revision: number; readonly eventId: string; readonly recordedAt: number } | undefined }
    | undefined;
}

export interface FeedPage {
  readonly items: ReadonlyArray<FeedItem>;
  /** The last log position scanned (>= the last item's): pass it back as `after` to read on. */
  readonly cursor: bigint;
  /** True when the scan reached the current end of the log. */
  readonly atEnd: boolean;
  /** Events skipped because they do not decode (a foreign writer or a hand edit): named, never silently. */
  readonly undecodable: ReadonlyArray<{ readonly eventId: string; readonly logPosition: bigint; readonly message: string }>;
}

export type FeedError = { readonly _tag: 'StoreFailure'; readonly message: string };

export interface FeedReadOptions {
  /** Events read from the store per call (each is decoded only when its book and kind are included). */
  readonly maxScan?: number;
}

export const FEED_SCAN = 500;

/** The view of an AlertRaised as the feed and GET /v1/books/{bookId}/alerts show it. */
export const alertView = (bookId: string, stored: StoredEvent, data: AlertRaisedData, metadata: AlertMetadata) => ({
  eventId: stored.eventId,
  type: ALERT_RAISED,
  bookId,
  sequence: stored.revision,
  logPosition: stored.logPosition.toString(),
  recordedAt: formatInstant(metadata.recordedAt),
  ...AlertRaisedData.encode(data),
});
export type AlertView = ReturnType<typeof alertView>;

export const decodeAlert = (
  stored: StoredEvent,
): E.Either<string, { readonly data: AlertRaisedData; readonly metadata: AlertMetadata }> => {
  if (stored.type !== ALERT_RAISED)
    return E.left(`event ${stored.eventId} in ${stored.stream} is a ${stored.type}, not an ${ALERT_RAISED}`);
  const data = AlertRaisedData.decode(stored.data);
  const metadata = AlertMetadata.decode(stored.metadata);
  if (E.isLeft(data) || E.isLeft(metadata)) return E.left(`alert ${stored.eventId} in ${stored.stream} does not decode`);
  return E.right({ data: data.right, metadata: metadata.right });
};

/** Which book and kind a stored event feeds, if any. */
export const feedKindOf = (stored: StoredEvent): { readonly bookId: string; readonly kind: FeedItemKind } | undefined => {
  const bookId = bookIdOfStream(stored.stream);
  if (bookId !== undefined) return { bookId, kind: 'book-event' };
  const alertBook = bookIdOfAlertStream(stored.stream);
  return alertBook === undefined ? undefined : { bookId: alertBook, kind: 'alert' };
};

/**
 * The feed items strictly after `after`, in log order: one read of at most `maxScan` events, those the
 * reader may not see left out. Resuming with the returned cursor gives neither a gap nor a repeat,
 * across reconnects and restarts alike: the log is the source, and positions only grow.
 */
export const feedItemsAfter =
  (
    store: EventStore,
    links: FeedLinks,
    after: bigint,
    include: FeedInclude,
    options: FeedReadOptions = {},
  ): TE.TaskEither<FeedError, FeedPage> =>
  async () => {
    const maxScan = options.maxScan ?? FEED_SCAN;
    const read = await store.readAll({ after, maxCount: maxScan })();
    if (E.isLeft(read)) return E.left({ _tag: 'StoreFailure', message: storeErrorMessage(read.left) });
    const items: FeedItem[] = [];
    const undecodable: Array<FeedPage['undecodable'][number]> = [];
    // The previous event of each book seen on this page: a replacement's `amends` needs it.
    const previous = new Map<string, BookStoredEvent>();
    for (const stored of read.right) {
      const fed = feedKindOf(stored);
      if (fed === undefined || !include(fed.bookId, fed.kind)) continue;
      const item = fed.kind === 'alert' ? alertItem(fed.bookId, stored) : await bookEventItem(store, links, fed.bookId, stored, previous);
      if (E.isLeft(item)) undecodable.push({ eventId: stored.eventId, logPosition: stored.logPosition, message: item.left });
      else items.push(item.right);
    }
    const last = read.right[read.right.length - 1];
    return E.right({ items, cursor: last === undefined ? after : last.logPosition, atEnd: read.right.length < maxScan, undecodable });
  };

const alertItem = (bookId: string, stored: StoredEvent): E.Either<string, FeedItem> => {
  const decoded = decodeAlert(stored);
  if (E.isLeft(decoded)) return decoded;
  return E.right({
    kind: 'alert',
    bookId,
    logPosition: stored.logPosition,
    eventId: stored.eventId,
    type: ALERT_RAISED,
    view: alertView(bookId, stored, decoded.right.data, decoded.right.metadata),
  });
};

const bookEventItem = async (
  store: EventStore,
  links: FeedLinks,
  bookId: string,
  stored: StoredEvent,
  previous: Map<string, BookStoredEvent>,
): Promise<E.Either<string, FeedItem>> => {
  const decoded = decodeStoredEvent(stored);
  if (E.isLeft(decoded)) return E.left(decoded.left.message);
  let prior = previous.get(bookId);
  if (stored.revision > 0 && (prior === undefined || prior.stored.revision !== stored.revision - 1)) {
    const read = await readDecoded(store, bookId, stored.revision - 1, 1);
    prior = E.isRight(read) ? read.right[0] : undefined;
  }
  previous.set(bookId, decoded.right);
  const reversedBy = links.book(bookId)?.reversalOf(stored.revision) ?? null;
  const amendedBy = await amendedByOf(store, bookId, reversedBy?.revision);
  if (E.isLeft(amendedBy)) return amendedBy;
  const view = eventView({ ...decoded.right, reversedBy, amends: amendsOf(prior, decoded.right), amendedBy: amendedBy.right });
  return E.right({
    kind: 'book-event',
    bookId,
    logPosition: stored.logPosition,
    eventId: stored.eventId,
    type: stored.type,
    view: { ...view, bookId },
  });
};
