import * as E from 'fp-ts/Either';
import type { ChainBreak } from '@treasury/projections';
import { EventStore, storeErrorMessage } from '@treasury/event-store';
import { GENESIS_HASH } from '../audit/hash-chain';
import { checkLink } from '../audit/verify-book.query';
import { bookStream } from '../commands/book-stream';
import type { LogFinding } from '../ports/projection-snapshots';
import { EventLoopSlicer } from '../queries/event-loop-slices';

const PAGE = 200;

/**
 * The whole hash chain of a book recomputed as GET /verify does (checkLink, events as stored), but in
 * event-loop slices of a few milliseconds: it runs in the background on a timer, and must not delay
 * the requests answered meanwhile. A finding of vanished events counts as broken too.
 */
export const verifyChainInSlices = async (
  store: EventStore,
  bookId: string,
  finding: LogFinding | undefined,
): Promise<E.Either<string, ChainBreak | null>> => {
  const slicer = new EventLoopSlicer();
  let previousHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const page = await store.readStream(bookStream(bookId), { fromRevision: checked, maxCount: PAGE })();
    if (E.isLeft(page)) return E.left(storeErrorMessage(page.left));
    for (const stored of page.right) {
      const broken = checkLink(bookId, stored, checked, previousHash);
      if (broken !== undefined) return E.right(broken);
      previousHash = (stored.metadata as { hash: string }).hash;
      checked += 1;
      await slicer.pause();
    }
    if (page.right.length < PAGE) break;
  }
  if (finding === undefined) return E.right(null);
  return E.right({
    reason: finding.reason,
    eventId: finding.expected.eventId,
    revision: finding.expected.revision,
    expected: finding.expected.hash ?? '',
    found: finding.found.hash,
  });
};
