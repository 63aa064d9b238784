import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import { EventId, Text } from '../codecs/names';
import { withSchema } from '../codecs/schema-registry';

/**
 * The replacement is decoded in two steps: here only as a JSON object, then (amend.rules.ts) by the
 * codec of the command that produced the amended event's type, which only the book knows. Its field
 * errors are reported under `replacement.`.
 */
/** Bounded like every command leaf: a JSON object of at most this many characters (no command body comes near). */
export const MAX_REPLACEMENT_CHARS = 16_384;

export const AmendReplacement = withSchema(
  new t.Type<Record<string, unknown>, Record<string, unknown>, unknown>(
    'AmendReplacement',
    (u): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'must be an object: the corrected command body');
      let size: number;
      try {
        size = JSON.stringify(u).length;
      } catch {
        return t.failure(u, c, 'must be plain JSON');
      }
      return size <= MAX_REPLACEMENT_CHARS
        ? t.success(u as Record<string, unknown>)
        : t.failure(u, c, `must be at most ${MAX_REPLACEMENT_CHARS} characters of JSON`);
    },
    t.identity,
  ),
  {
    type: 'object',
    description:
      "the corrected command body, of the command that records the amended event's type (e.g. record-mining-output for a MiningOutputReceived)",
  },
);

export const amendCommandCodecs = {
  'amend-event': closedObject(
    'AmendEvent',
    { eventId: EventId, replacement: AmendReplacement, reason: Text },
    { reference: Text, memo: Text },
  ),
} as const;
