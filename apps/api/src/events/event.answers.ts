import * as t from 'io-ts';
import { ClosedObjectType, EventMetadata, asComponent, bookEventCodecs, closedObject } from '@treasury/domain';
import { InstantText, Integer, PositionText, SameShape, closed, nullable } from '../docs/answer-codecs';
import type { EventsController } from './events.controller';
import type { AuditController } from '../audit/audit.controller';

/**
 * What the audit routes answer. An event's `data` is the stored event less `type` and `effectiveAt`
 * (they sit beside it), so each event type's data schema is derived from the very codec that decodes
 * the log (bookEventCodecs): the union below is discriminated by `type`, and a new event type or field
 * appears in the contract without an edit here.
 */
const without = (codec: ClosedObjectType<t.Props, t.Props>, name: string, drop: ReadonlyArray<string>) =>
  closedObject(name, Object.fromEntries(Object.entries(codec.required).filter(([field]) => !drop.includes(field))), codec.optional);

const MetadataAnswer = asComponent(
  without(EventMetadata as unknown as ClosedObjectType<t.Props, t.Props>, 'EventMetadata', ['recordedAt']),
  'EventMetadata',
);

const Link = closed({ eventId: t.string, revision: Integer, recordedAt: InstantText });

/** The fields every event view has, whatever its type. */
const envelope = {
  eventId: t.string,
  revision: Integer,
  logPosition: PositionText,
  effectiveAt: InstantText,
  recordedAt: InstantText,
  metadata: MetadataAnswer,
  reverses: nullable(t.string),
  reversedBy: nullable(Link),
  amends: nullable(t.string),
  amendedBy: nullable(Link),
};

/** Each event type's data: its stored codec less the two fields the envelope carries. */
const dataCodecs = Object.entries(bookEventCodecs).map(
  ([type, codec]) =>
    [
      type,
      asComponent(without(codec as unknown as ClosedObjectType<t.Props, t.Props>, `${type}Data`, ['type', 'effectiveAt']), `${type}Data`),
    ] as const,
);

/** One closed object per event type, `{...envelope, type: X, data: X's fields}`: a union discriminated by `type`. */
const eventOf = (extra: t.Props) =>
  t.union(
    dataCodecs.map(([type, data]) => t.exact(t.type({ ...envelope, ...extra, type: t.literal(type), data }))) as unknown as [
      t.Mixed,
      t.Mixed,
      ...t.Mixed[],
    ],
  );

const OneEventExtra = { bookId: t.string, hash: nullable(t.string), previousHash: nullable(t.string) };

export const EventAnswer = asComponent(eventOf({}), 'StoredEvent');

export const EventsPageAnswer = asComponent(
  closed({ bookId: t.string, events: t.readonlyArray(EventAnswer), next: nullable(Integer) }),
  'EventsPage',
);

/** GET /v1/events/{eventId}: the event with its book and both hashes. */
export const OneEventAnswer = asComponent(eventOf(OneEventExtra), 'EventWithHashes');

export const BrokenLinkAnswer = closed({
  eventId: t.string,
  revision: Integer,
  reason: t.keyof({
    'previous-hash-mismatch': null,
    'hash-mismatch': null,
    'missing-hash': null,
    'revision-gap': null,
    'events-vanished': null,
    'events-rewritten': null,
  }),
  expected: t.string,
  found: nullable(t.string),
});

export const LogFindingAnswer = closed({
  bookId: t.string,
  reason: t.keyof({ 'events-vanished': null, 'events-rewritten': null }),
  expected: closed({ revision: Integer, eventId: t.string, hash: nullable(t.string) }),
  found: closed({ revision: nullable(Integer), eventId: nullable(t.string), hash: nullable(t.string) }),
});

export const VerifyAnswer = asComponent(
  closed(
    { bookId: t.string, ok: t.boolean, checked: Integer, firstBroken: nullable(BrokenLinkAnswer), lastHash: t.string },
    { vanished: LogFindingAnswer },
  ),
  'VerifyReport',
);

// The views and the codecs agree, field for field (the event's data and metadata come from the log's codecs).
type Envelope<V> = Omit<V, 'type' | 'data' | 'metadata'>;
type ListedEvent = Awaited<ReturnType<EventsController['list']>>['events'][number];
type EnvelopeFields = Omit<typeof envelope, 'metadata'>;
export const eventAnswerIsTheView: SameShape<Envelope<ListedEvent>, t.TypeOf<t.TypeC<EnvelopeFields>>> = [(v) => v, (a) => a];
export const oneEventAnswerIsTheView: SameShape<
  Envelope<Awaited<ReturnType<EventsController['one']>>>,
  t.TypeOf<t.TypeC<EnvelopeFields & typeof OneEventExtra>>
> = [(v) => v, (a) => a];
export const eventsPageIsTheView: SameShape<
  Omit<Awaited<ReturnType<EventsController['list']>>, 'events'>,
  Omit<t.TypeOf<typeof EventsPageAnswer>, 'events'>
> = [(v) => v, (a) => a];
export const verifyAnswerIsTheView: SameShape<Awaited<ReturnType<AuditController['verify']>>, t.TypeOf<typeof VerifyAnswer>> = [
  (v) => v,
  (a) => a,
];
