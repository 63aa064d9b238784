import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import { StoredInstant } from '../codecs/instant';

/**
 * Who recorded an event, when, and why: stored beside every event. recordedAt is the server clock (or,
 * for a `migrated` event, when the old system knew it), the second time axis of every query (`knownAt`).
 */
export const EventMetadata = closedObject(
  'EventMetadata',
  {
    recordedAt: StoredInstant,
    command: t.string,
    commandId: t.string,
    actor: t.string,
    correlationId: t.string,
    causationId: t.string,
  },
  {
    /**
     * Tamper evidence: the hash of the book's previous event (64 zeros for the first) and SHA-256 over
     * this event's book, revision, id, type, data and metadata (less `hash`). Every event the engine
     * writes has both; they are optional here only so that a log written before the chain existed still
     * reads (verify reports such events as missing-hash).
     */
    previousHash: t.string,
    hash: t.string,
    idempotencyKey: t.string,
    /** SHA-256 of the command name and canonical body, to tell a replay from a key reused for another request. */
    requestHash: t.string,
    reference: t.string,
    /** The principal's display name (an API key's name, a token's name or email) beside its id in `actor`. */
    actorName: t.string,
    /**
     * What the caller said in X-Actor: only a note ("on behalf of"), never the actor, which is always
     * the authenticated principal.
     */
    onBehalfOf: t.string,
    /**
     * Loaded in migration mode with the old system's date: recordedAt is the command's `knownAt`, not
     * the server clock. Absent on every event recorded live (and on every event before migration existed).
     */
    migrated: t.literal(true),
  },
);
export type EventMetadata = t.TypeOf<typeof EventMetadata>;
