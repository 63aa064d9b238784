import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import { StoredInstant } from '../codecs/instant';
import { literal } from '../codecs/literal';
import { StoredText, Text } from '../codecs/names';
import { withSchema } from '../codecs/schema-registry';

/**
 * Migration mode: a book opened with `mode: "migrating"` takes each command's `knownAt` (when the old
 * system knew it) as that command's recordedAt, until `go-live` ends the mode for good. The rules are
 * in migration.rules.ts.
 */

/** open-book's `mode`: only one value, so leaving it out is an ordinary (live) book. */
export const BookMode = withSchema(t.literal('migrating'), {
  type: 'string',
  enum: ['migrating'],
  description: 'migrating: commands may carry knownAt (their recordedAt) until go-live',
});

/** BookOpened's flag: absent on every book opened live, and on every book opened before migration existed. */
export const MigratingFlag = withSchema(t.literal(true), { type: 'boolean', enum: [true] });

/** The end of migration mode: from this event on, recordedAt is the server clock. Its effectiveAt is the moment it was recorded. */
export const BookWentLive = closedObject(
  'BookWentLive',
  { type: literal('BookWentLive'), effectiveAt: StoredInstant },
  { memo: StoredText },
);

export const migrationCommandCodecs = {
  'go-live': closedObject('GoLive', {}, { reference: Text, memo: Text }),
} as const;
