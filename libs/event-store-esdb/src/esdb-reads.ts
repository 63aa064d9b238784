import { BACKWARDS, END, FORWARDS, START, type Position, type ReadPosition } from '@eventstore/db-client';
import type { StoredEvent } from '@treasury/event-store';
import { cancelQuietly, isSystem, toStoredEvent, type EsdbCalls } from './esdb-calls';

/** The exact position of the event at port position p (commit == prepare for gRPC-written events). */
const at = (logPosition: bigint): Position => ({ commit: logPosition, prepare: logPosition });

/**
 * Up to `limit` application events strictly after `after`, in pages of at most `page` raw events
 * (the server's `maxCount`, so it never streams the rest of $all), each page's call cancelled when
 * left, early exits included. System events are skipped here: 6.2.1's readAll sends no filter.
 * A forwards read from a position is inclusive, so each page's first event (the last one of the page
 * before, or `after` itself) is dropped by the `<= after` guard; pages advance on raw events, so a page
 * of nothing but system events still makes progress.
 */
export const readAllPaged = async (client: EsdbCalls, after: bigint | undefined, limit: number, page: number): Promise<StoredEvent[]> => {
  const out: StoredEvent[] = [];
  let from: ReadPosition = after === undefined ? START : at(after);
  let last = after;
  for (;;) {
    // One more than still wanted, for the inclusive first event; at least 2, so a full page always moves on.
    const maxCount = Math.max(2, Math.min(page, limit - out.length + 1));
    const read = client.readAll({ direction: FORWARDS, fromPosition: from, maxCount, resolveLinkTos: false });
    let raw = 0;
    let lastRaw: Position | undefined;
    try {
      for await (const resolved of read) {
        raw++;
        lastRaw = resolved.event?.position ?? lastRaw;
        const stored = toStoredEvent(resolved);
        if (stored === undefined || isSystem(stored) || (last !== undefined && stored.logPosition <= last)) continue;
        out.push(stored);
        last = stored.logPosition;
        if (out.length >= limit) return out;
      }
    } finally {
      await cancelQuietly(read);
    }
    if (raw < maxCount || lastRaw === undefined) return out;
    from = lastRaw;
    if (last === undefined || lastRaw.prepare > last) last = lastRaw.prepare;
  }
};

/** The application event at exactly this position, or undefined (a system event or nothing there). */
export const readAtPosition = async (client: EsdbCalls, logPosition: bigint): Promise<StoredEvent | undefined> => {
  const read = client.readAll({ direction: FORWARDS, fromPosition: at(logPosition), resolveLinkTos: false, maxCount: 2 });
  try {
    for await (const resolved of read) {
      const stored = toStoredEvent(resolved);
      if (stored === undefined || stored.logPosition < logPosition) continue;
      return stored.logPosition === logPosition && !isSystem(stored) ? stored : undefined;
    }
    return undefined;
  } finally {
    await cancelQuietly(read);
  }
};

/**
 * The position of the last application event; 0n when there is none. Reads backwards in pages, past
 * the server's own `$`-events (statistics, epochs) that usually sit at the end of the log.
 */
export const readHeadPosition = async (client: EsdbCalls, page: number): Promise<bigint> => {
  let from: ReadPosition = END;
  let below: bigint | undefined;
  for (;;) {
    const read = client.readAll({ direction: BACKWARDS, fromPosition: from, resolveLinkTos: false, maxCount: page });
    let raw = 0;
    let lastRaw: Position | undefined;
    try {
      for await (const resolved of read) {
        raw++;
        lastRaw = resolved.event?.position ?? lastRaw;
        const stored = toStoredEvent(resolved);
        // Whether a backwards read from a position includes it or not, an event at or above `below` was seen.
        if (stored === undefined || isSystem(stored) || (below !== undefined && stored.logPosition >= below)) continue;
        return stored.logPosition;
      }
    } finally {
      await cancelQuietly(read);
    }
    if (raw < page || lastRaw === undefined) return 0n;
    from = lastRaw;
    below = lastRaw.prepare;
  }
};
