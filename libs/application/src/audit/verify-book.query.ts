import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { EventStore, StoredEvent, storeErrorMessage } from '@treasury/event-store';
import { bookStream } from '../commands/book-stream';
import { GENESIS_HASH, eventHash } from './hash-chain';

export type VerifyError = { readonly _tag: 'BookNotFound' } | { readonly _tag: 'StoreFailure'; readonly message: string };

export interface BrokenLink {
  readonly eventId: string;
  readonly revision: number;
  readonly reason: 'previous-hash-mismatch' | 'hash-mismatch' | 'missing-hash' | 'revision-gap';
  readonly expected: string;
  readonly found: string | null;
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Events whose hash held, from the first; on failure, the ones before the broken link. */
  readonly checked: number;
  readonly firstBroken: BrokenLink | null;
  /** Hash of the last event checked: what an auditor notes down to compare with later. */
  readonly lastHash: string;
}

const PAGE = 1_000;

/** Checks one stored event against the chain so far; returns what is wrong with it, if anything. */
export const checkLink = (bookId: string, stored: StoredEvent, expectedRevision: number, previousHash: string): BrokenLink | undefined => {
  const base = { eventId: stored.eventId, revision: stored.revision };
  if (stored.revision !== expectedRevision) return { ...base, reason: 'revision-gap', expected: String(expectedRevision), found: String(stored.revision) };
  const { hash, previousHash: storedPrevious } = stored.metadata as { hash?: unknown; previousHash?: unknown };
  if (typeof hash !== 'string' || typeof storedPrevious !== 'string') return { ...base, reason: 'missing-hash', expected: previousHash, found: null };
  if (storedPrevious !== previousHash) return { ...base, reason: 'previous-hash-mismatch', expected: previousHash, found: storedPrevious };
  const recomputed = eventHash({ bookId, revision: stored.revision, eventId: stored.eventId, type: stored.type, data: stored.data, metadata: stored.metadata });
  if (recomputed !== hash) return { ...base, reason: 'hash-mismatch', expected: recomputed, found: hash };
  return undefined;
};

/**
 * Re-reads a book's whole log as stored (raw JSON, no decoding, so even an event edited into
 * something our codecs would refuse is checked) and recomputes the hash chain from the first event.
 */
export class VerifyBookQuery {
  constructor(private readonly store: EventStore) {}

  verify(bookId: string): TE.TaskEither<VerifyError, VerifyReport> {
    return async () => {
      let previousHash = GENESIS_HASH;
      let checked = 0;
      for (;;) {
        const page = await this.store.readStream(bookStream(bookId), { fromRevision: checked, maxCount: PAGE })();
        if (E.isLeft(page)) return E.left({ _tag: 'StoreFailure', message: storeErrorMessage(page.left) });
        if (checked === 0 && page.right.length === 0) return E.left({ _tag: 'BookNotFound' });
        for (const stored of page.right) {
          const broken = checkLink(bookId, stored, checked, previousHash);
          if (broken !== undefined) return E.right({ ok: false, checked, firstBroken: broken, lastHash: previousHash });
          previousHash = (stored.metadata as { hash: string }).hash;
          checked += 1;
        }
        if (page.right.length < PAGE) return E.right({ ok: true, checked, firstBroken: null, lastHash: previousHash });
      }
    };
  }
}
