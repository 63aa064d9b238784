import { optional, queryCodec } from '../http/query.params';
import { instantValue } from '../http/query-values.params';

/** The batch route takes no parameters (each item carries its own knownAt). */
export const BatchQuery = queryCodec('BatchQuery', {});

/** The single command route's query: knownAt in migration mode (a typo must not record the command at the clock). */
export const CommandQuery = queryCodec('CommandQuery', {
  knownAt: optional(
    instantValue,
    'Migration mode only (a book opened with mode "migrating", until go-live): when the old system knew this command, recorded as its recordedAt (metadata migrated: true) and used as "now" by the book\'s rules. Not before the book\'s last recordedAt, not after the server clock; needs the treasurer role; never held for approval.',
  ),
});
