import * as E from 'fp-ts/Either';
import { ACCESS_CHAIN, ACCESS_STREAM, BrokenLink, GENESIS_HASH, bookIdOfStream, checkLink } from '@treasury/application';
import { EventStore, storeErrorMessage } from '@treasury/event-store';

/** One hash chain (a book, or the access log) as found in a store. */
export interface ChainHead {
  /** The book id, or `$access` for the access log. */
  readonly chain: string;
  readonly events: number;
  /** Hash of the chain's last event (64 zeros for none): the value `GET …/verify` answers as lastHash. */
  readonly lastHash: string;
  /** The first link that does not hold; the chain is not checked past it. */
  readonly broken: BrokenLink | null;
}

export interface StoreScan {
  /** Every event in the log, chained or not (webhook deliveries, alerts). */
  readonly events: number;
  /** The log's last event: the backup's head. */
  readonly head: { readonly logPosition: bigint; readonly eventId: string; readonly stream: string } | null;
  /** Sorted by chain name, the access log first. */
  readonly chains: ReadonlyArray<ChainHead>;
}

const PAGE = 1_000;

interface Running {
  events: number;
  lastHash: string;
  broken: BrokenLink | null;
}

/** The chain a stream belongs to, if it is hash-chained (book streams and the access log are). */
const chainOf = (stream: string): string | undefined => (stream === ACCESS_STREAM ? ACCESS_CHAIN : bookIdOfStream(stream));

/**
 * Reads the whole log once, in order, and checks every hash chain in it with the same checkLink as
 * `GET /v1/books/{id}/verify` and `GET /v1/access/verify` (events as stored, not decoded). One pass
 * for all chains, since the store port cannot list streams; a stream's events come in revision order.
 */
export const scanStore = async (store: EventStore): Promise<E.Either<string, StoreScan>> => {
  const chains = new Map<string, Running>();
  let events = 0;
  let head: StoreScan['head'] = null;
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE })();
    if (E.isLeft(page)) return E.left(storeErrorMessage(page.left));
    for (const stored of page.right) {
      events += 1;
      head = { logPosition: stored.logPosition, eventId: stored.eventId, stream: stored.stream };
      after = stored.logPosition;
      const chain = chainOf(stored.stream);
      if (chain === undefined) continue;
      let running = chains.get(chain);
      if (running === undefined) chains.set(chain, (running = { events: 0, lastHash: GENESIS_HASH, broken: null }));
      if (running.broken !== null) continue;
      const broken = checkLink(chain, stored, running.events, running.lastHash);
      if (broken !== undefined) {
        running.broken = broken;
        continue;
      }
      running.lastHash = (stored.metadata as { hash: string }).hash;
      running.events += 1;
    }
    if (page.right.length < PAGE) break;
  }
  const sorted = [...chains.entries()]
    .map(([chain, running]): ChainHead => ({ chain, events: running.events, lastHash: running.lastHash, broken: running.broken }))
    .sort((a, b) => (a.chain === b.chain ? 0 : a.chain === ACCESS_CHAIN ? -1 : b.chain === ACCESS_CHAIN ? 1 : a.chain < b.chain ? -1 : 1));
  return E.right({ events, head, chains: sorted });
};

/** What an operator reads (and notes down): the head, the count, each chain's last hash or first broken link. */
export const describeScan = (scan: StoreScan): string[] => {
  const lines = [
    `events: ${scan.events}`,
    scan.head === null
      ? 'log head: none (the log is empty)'
      : `log head: logPosition ${scan.head.logPosition} (event ${scan.head.eventId} in ${scan.head.stream})`,
  ];
  for (const chain of scan.chains) {
    const name = chain.chain === ACCESS_CHAIN ? 'access log' : `book ${chain.chain}`;
    lines.push(
      chain.broken === null
        ? `${name}: ${chain.events} events, chain head hash ${chain.lastHash}`
        : `${name}: BROKEN at revision ${chain.broken.revision} (event ${chain.broken.eventId}, ${chain.broken.reason}) after ${chain.events} intact events`,
    );
  }
  return lines;
};

export const brokenChains = (scan: StoreScan): ReadonlyArray<ChainHead> => scan.chains.filter((chain) => chain.broken !== null);
