import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import { StoredInstant } from '../codecs/instant';

/**
 * An alert is a derived event: the engine noticed that something a book's figures say changed state
 * (a loan's status, the price's freshness, a reconciliation row, the hash chain). It lives in a
 * stream of its own (`alerts-<bookId>`), never in the book's stream: it records an observation of the
 * ledger, not a fact the ledger decides on, and the book's hash chain and projection never see it.
 */
export const ALERT_KINDS = ['loan-status', 'price-staleness', 'reconciliation', 'hash-chain'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_RAISED = 'AlertRaised' as const;

const oneOf = <T extends string>(name: string, values: ReadonlyArray<T>) =>
  new t.Type<T, T, unknown>(
    name,
    (u): u is T => typeof u === 'string' && (values as ReadonlyArray<string>).includes(u),
    (u, c) =>
      typeof u === 'string' && (values as ReadonlyArray<string>).includes(u)
        ? t.success(u as T)
        : t.failure(u, c, `must be one of ${values.join(', ')}`),
    (v) => v,
  );

/** A bounded string: what the monitor writes is short; a longer one is not ours. */
const short = (max: number) =>
  new t.Type<string, string, unknown>(
    `string(≤${max})`,
    (u): u is string => typeof u === 'string' && u.length <= max,
    (u, c) => (typeof u === 'string' && u.length <= max ? t.success(u) : t.failure(u, c, `must be a string of at most ${max} characters`)),
    (s) => s,
  );

const MAX_FIGURES = 32;

/** The figures behind an alert, as the position shows them (decimal strings, instants), by name. */
export const AlertFigures = new t.Type<Readonly<Record<string, string | null>>, Readonly<Record<string, string | null>>, unknown>(
  'AlertFigures',
  (u): u is Record<string, string | null> =>
    typeof u === 'object' && u !== null && Object.values(u).every((v) => v === null || typeof v === 'string'),
  (u, c) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'must be an object');
    const entries = Object.entries(u);
    if (entries.length > MAX_FIGURES) return t.failure(u, c, `at most ${MAX_FIGURES} figures`);
    for (const [key, value] of entries) {
      if (key.length > 64 || !(value === null || (typeof value === 'string' && value.length <= 200)))
        return t.failure(u, c, `figure ${key.slice(0, 64)} must be a short string or null`);
    }
    return t.success(Object.fromEntries(entries) as Record<string, string | null>);
  },
  (figures) => figures,
);

/** What caused the transition: the book event whose fold changed the state, or a timer tick (time passing). */
const EventCause = closedObject('EventCause', { eventId: short(128), logPosition: short(20) });
const TimerCause = closedObject('TimerCause', { timer: StoredInstant });
export type AlertCause = t.TypeOf<typeof EventCause> | t.TypeOf<typeof TimerCause>;
// Not t.union: a closed object's `is` accepts any object, so union's encode would pick the wrong member.
export const AlertCause = new t.Type<AlertCause, t.OutputOf<typeof EventCause> | t.OutputOf<typeof TimerCause>, unknown>(
  'AlertCause',
  (u): u is AlertCause => EventCause.is(u) || TimerCause.is(u),
  (u, c) => (typeof u === 'object' && u !== null && 'timer' in u ? TimerCause.validate(u, c) : EventCause.validate(u, c)),
  (cause) => ('timer' in cause ? TimerCause.encode(cause) : EventCause.encode(cause)),
);

export const AlertRaisedData = closedObject('AlertRaised', {
  kind: oneOf<AlertKind>('AlertKind', ALERT_KINDS),
  /** The loan id, the reported-holdings event id, or null for the book itself (price, chain). */
  subject: t.union([short(128), t.null]),
  from: short(32),
  to: short(32),
  figures: AlertFigures,
  causedBy: AlertCause,
  /** The instant the state was evaluated at (the position's asOf). */
  detectedAt: StoredInstant,
});
export type AlertRaisedData = t.TypeOf<typeof AlertRaisedData>;

export const AlertMetadata = closedObject('AlertMetadata', { recordedAt: StoredInstant, actor: short(128) });
export type AlertMetadata = t.TypeOf<typeof AlertMetadata>;

export const ALERT_STREAM_PREFIX = 'alerts-';
export const alertStream = (bookId: string): string => `${ALERT_STREAM_PREFIX}${bookId}`;
export const bookIdOfAlertStream = (stream: string): string | undefined =>
  stream.startsWith(ALERT_STREAM_PREFIX) ? stream.slice(ALERT_STREAM_PREFIX.length) : undefined;
