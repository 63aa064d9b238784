import { createHash } from 'node:crypto';
import type { JsonObject } from '@treasury/event-store';
import { canonicalJson } from '../commands/request-hash';

/** The previous hash of a book's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedContent {
  readonly bookId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  /** The stored metadata; its `hash` field, if present, is left out of the hash. */
  readonly metadata: JsonObject;
}

/**
 * SHA-256 over an event exactly as stored (canonical JSON of its book, revision, id, type, data and
 * metadata without `hash`), metadata including `previousHash`: each event seals the one before it, so
 * editing, removing or reordering any stored event breaks every hash from there on.
 */
export const eventHash = (content: HashedContent): string => {
  const { hash: _hash, ...metadata } = content.metadata;
  return createHash('sha256')
    .update(
      canonicalJson({
        bookId: content.bookId,
        revision: content.revision,
        eventId: content.eventId,
        type: content.type,
        data: content.data,
        metadata,
      }),
    )
    .digest('hex');
};
