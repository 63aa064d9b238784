import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { EventStore, StoredEvent, storeErrorMessage } from '@treasury/event-store';
import { bookStream } from '../commands/book-stream';
import type { LogFinding } from '../ports/projection-snapshots';
import { GENESIS_HASH, eventHash } from './hash-chain';

export type VerifyError = { readonly _tag: 'BookNotFound' } | { readonly _tag: 'StoreFailure'; readonly message: string };

export interface BrokenLink {
  readonly eventId: string;
  readonly revision: number;
  /** events-vanished / events-rewritten: the log no longer holds what the projection had folded (see LogFinding). */
  readonly reason: 'previous-hash-mismatch' | 'hash-mismatch' | 'missing-hash' | 'revision-gap' | 'events-vanished' | 'events-rewritten';
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
  /** When events the projection had folded are gone from the log: what was expected and what is there. */
  readonly vanished?: LogFinding;
}

const PAGE = 1_000;

/** Checks one stored event against the chain so far; returns what is wrong with it, if anything. */
export const checkLink = (bookId: string, stored: StoredEvent, expectedRevision: number, previousHash: string): BrokenLink | undefined => {
  const base = { eventId: stored.eventId, revision: stored.revision };
  if (stored.revision !== expectedRevision)
    return { ...base, reason: 'revision-gap', expected: String(expectedRevision), found: String(stored.revision) };
  const { hash, previousHash: storedPrevious } = stored.metadata as { hash?: unknown; previousHash?: unknown };
  if (typeof hash !== 'string' || typeof storedPrevious !== 'string')
    return { ...base, reason: 'missing-hash', expected: previousHash, found: null };
  if (storedPrevious !== previousHash) return { ...base, reason: 'previous-hash-mismatch', expected: previousHash, found: storedPrevious };
  const recomputed = eventHash({
    bookId,
    revision: stored.revision,
    eventId: stored.eventId,
    type: stored.type,
    data: stored.data,
    metadata: stored.metadata,
  });
  if (recomputed !== hash) return { ...base, reason: 'hash-mismatch', expected: recomputed, found: hash };
  return undefined;
};

/**
 * Re-reads a book's whole log as stored (raw JSON, no decoding, so even an event edited into
 * something our codecs would refuse is checked) and recomputes the hash chain from the first event.
 */
export class VerifyBookQuery {
  constructor(
    private readonly store: EventStore,
    /** What the projection found the log lost under it, for a book: a chain can be intact and still shorter than it was. */
    private readonly findingOf: (bookId: string) => LogFinding | undefined = () => undefined,
  ) {}

  verify(bookId: string): TE.TaskEither<VerifyError, VerifyReport> {
    return async () => {
      let previousHash = GENESIS_HASH;
      let checked = 0;
      for (;;) {
        const page = await this.store.readStream(bookStream(bookId), { fromRevision: checked, maxCount: PAGE })();
        if (E.isLeft(page)) return E.left({ _tag: 'StoreFailure', message: storeErrorMessage(page.left) });
        if (checked === 0 && page.right.length === 0) {
          // Every event of a book the projection had folded may be gone: that is a finding, not a 404.
          const finding = this.findingOf(bookId);
          if (finding === undefined) return E.left({ _tag: 'BookNotFound' });
          return E.right(this.withFinding(bookId, { ok: true, checked: 0, firstBroken: null, lastHash: previousHash }));
        }
        for (const stored of page.right) {
          const broken = checkLink(bookId, stored, checked, previousHash);
          if (broken !== undefined) return E.right({ ok: false, checked, firstBroken: broken, lastHash: previousHash });
          previousHash = (stored.metadata as { hash: string }).hash;
          checked += 1;
        }
        if (page.right.length < PAGE)
          return E.right(this.withFinding(bookId, { ok: true, checked, firstBroken: null, lastHash: previousHash }));
        // A long book is checked in slices: other requests are answered between them.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
  }

  /** An intact chain that ends below what was once folded is still a broken log. */
  private withFinding(bookId: string, report: VerifyReport): VerifyReport {
    const finding = this.findingOf(bookId);
    if (finding === undefined) return report;
    return {
      ...report,
      ok: false,
      firstBroken: {
        eventId: finding.expected.eventId,
        revision: finding.expected.revision,
        reason: finding.reason,
        expected: finding.expected.hash ?? '',
        found: finding.found.hash,
      },
      vanished: finding,
    };
  }
}
