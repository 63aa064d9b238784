import * as E from 'fp-ts/Either';
import { bookStream, decodeStoredEvent } from '@treasury/application';
import type { BookEvent } from '@treasury/domain';
import type { EventStore } from '@treasury/event-store';
import { storeErrorMessage } from '@treasury/event-store';
import type { BookPriceLookup } from './row-mapping';

/** What mapping a statement needs to know of the book: that it is open, its calendar, its prices, the rows imported. */
export interface BookContext {
  readonly opened: boolean;
  readonly timeZone: string;
  readonly prices: BookPriceLookup;
  /** The idempotency keys of rows imported before (metadata), to recognise keys of the earlier format. */
  readonly importedKeys: ReadonlySet<string>;
}

interface Observation {
  readonly eventId: string;
  readonly effectiveAt: number;
  readonly usdPerBtcCents: bigint;
}

/**
 * The book's price observations as it knows them now (reversed ones left out; an amended price is
 * its replacement), sorted by effective time; ties go to the later revision, as the projection reads them.
 */
export const priceIndex = (events: ReadonlyArray<{ readonly eventId: string; readonly event: BookEvent }>): BookPriceLookup => {
  const reversed = new Set<string>();
  const observed: Observation[] = [];
  for (const { eventId, event } of events) {
    if (event.type === 'EventReversed') reversed.add(event.eventId);
    if (event.type === 'BtcPriceObserved') observed.push({ eventId, effectiveAt: event.effectiveAt, usdPerBtcCents: event.usdPerBtc });
  }
  // A stable sort keeps log order (revision) among equal effective times: the last one wins.
  const live = observed.filter((o) => !reversed.has(o.eventId)).sort((a, b) => a.effectiveAt - b.effectiveAt);
  return {
    at: (instant) => {
      let low = 0;
      let high = live.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (live[mid]!.effectiveAt <= instant) low = mid + 1;
        else high = mid;
      }
      return low === 0 ? undefined : live[low - 1];
    },
  };
};

/** Reads the book's stream once. */
export const readBookContext = async (store: EventStore, bookId: string): Promise<E.Either<string, BookContext>> => {
  const read = await store.readStream(bookStream(bookId))();
  if (E.isLeft(read)) return E.left(`event store failure: ${storeErrorMessage(read.left)}`);
  const events: Array<{ readonly eventId: string; readonly event: BookEvent }> = [];
  let timeZone = 'UTC';
  let opened = false;
  const importedKeys = new Set<string>();
  for (const stored of read.right) {
    const decoded = decodeStoredEvent(stored);
    if (E.isLeft(decoded)) return E.left(decoded.left.message);
    const { event, metadata } = decoded.right;
    if (metadata.idempotencyKey?.startsWith('csv:') === true) importedKeys.add(metadata.idempotencyKey);
    if (event.type === 'BookOpened') {
      opened = true;
      timeZone = event.timeZone ?? 'UTC';
    }
    events.push({ eventId: stored.eventId, event });
  }
  return E.right({ opened, timeZone, prices: priceIndex(events), importedKeys });
};
