import * as E from 'fp-ts/Either';
import type { EventFilter } from '@treasury/application';
import { MAX_EVENTS_PAGE } from '@treasury/application';
import { BookEvent, bookEventCodecs, isBookEventType } from '@treasury/domain';
import { QueryOf, optional, paramCodec, queryCodec } from '../http/query.params';
import { instantValue, integerValue, textValue } from '../http/query-values.params';

const MAX_TEXT = 200;
const TEXT_MESSAGE = `must be 1 to ${MAX_TEXT} printable characters, given once`;
const PRINTABLE = /^[\x20-\x7e]+$/;

/** Event types, comma-separated; every unknown one named. */
const eventTypes = paramCodec<ReadonlyArray<BookEvent['type']>>(
  'EventTypesParam',
  { type: 'string', minLength: 1, maxLength: MAX_TEXT, example: 'BtcSold,BtcMined' },
  (text) => {
    if (text.length === 0 || text.length > MAX_TEXT || !PRINTABLE.test(text)) return E.left(TEXT_MESSAGE);
    const types = text.split(',');
    const unknown = types.filter((type) => !isBookEventType(type));
    return unknown.length > 0
      ? E.left(`unknown event type ${unknown.map((u) => `"${u}"`).join(', ')}; comma-separate several`)
      : E.right(types as ReadonlyArray<BookEvent['type']>);
  },
  (types) => types.join(','),
  TEXT_MESSAGE,
);

/** The filters of GET …/events and its exports, every bad one reported together with its path. */
const filterParams = {
  type: optional(eventTypes, `Event types, comma-separated: ${Object.keys(bookEventCodecs).join(', ')}.`),
  effectiveFrom: optional(instantValue, 'effectiveAt >= this. An instant with an offset.'),
  effectiveTo: optional(instantValue, 'effectiveAt <= this. An instant with an offset.'),
  recordedFrom: optional(instantValue, 'recordedAt >= this. An instant with an offset.'),
  recordedTo: optional(instantValue, 'recordedAt <= this. An instant with an offset.'),
  actor: optional(textValue(MAX_TEXT), 'The principal that issued the command, e.g. key:k3x9q2ab or oidc:<subject>.'),
  reference: optional(textValue(MAX_TEXT), "The command's reference."),
  loanId: optional(textValue(MAX_TEXT), 'The loan the event names.'),
  wallet: optional(textValue(MAX_TEXT), 'wallet, fromWallet or toWallet.'),
};

type Filters = Partial<QueryOf<typeof filterParams>>;
const ranges = (filter: Filters) => [
  ...(filter.effectiveFrom !== undefined && filter.effectiveTo !== undefined && filter.effectiveTo < filter.effectiveFrom
    ? [{ path: 'effectiveTo', message: 'must not be before effectiveFrom' }]
    : []),
  ...(filter.recordedFrom !== undefined && filter.recordedTo !== undefined && filter.recordedTo < filter.recordedFrom
    ? [{ path: 'recordedTo', message: 'must not be before recordedFrom' }]
    : []),
];

/** GET …/events: a page after the revision cursor `after`, filtered. */
export const EventsPageQuery = queryCodec(
  'EventsPageQuery',
  {
    after: optional(integerValue(0, Number.MAX_SAFE_INTEGER), 'Revision cursor: the `next` of the previous page.'),
    limit: optional(integerValue(1, MAX_EVENTS_PAGE, MAX_EVENTS_PAGE), 'Events per page at most.'),
    ...filterParams,
  },
  ranges,
);

/** GET …/events.jsonl and …/events.csv: every matching event. */
export const EventsExportQuery = queryCodec('EventsExportQuery', filterParams, ranges);

/** The application's filter from a decoded query (`type` becomes `types`). */
export const eventFilterOf = ({
  type,
  effectiveFrom,
  effectiveTo,
  recordedFrom,
  recordedTo,
  actor,
  reference,
  loanId,
  wallet,
}: Filters): EventFilter =>
  definedOnly({
    types: type as EventFilter['types'],
    effectiveFrom,
    effectiveTo,
    recordedFrom,
    recordedTo,
    actor,
    reference,
    loanId,
    wallet,
  });

const definedOnly = <T extends Record<string, unknown>>(record: T): Partial<T> =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;

/** GET /v1/events/{eventId}: no parameters. */
export const OneEventQuery = queryCodec('OneEventQuery', {});
