import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import type { StoredEvent } from '@treasury/event-store';

/**
 * An endpoint's delivery log: one stream per endpoint, written only by the delivery worker. It is the
 * worker's whole memory: at start the endpoint's position and retry schedule are folded from it, so a
 * restart neither skips an item nor sends an acknowledged one again (an unacknowledged one is sent
 * again: at least once). Not a book stream: nothing here is in the book's hash chain or its exports.
 */
export const webhookStream = (bookId: string, webhookId: string): string => `webhook-${bookId}.${webhookId}`;

const Position = t.string;
export const DeliveryAttempted = t.intersection([
  t.type({
    type: t.literal('WebhookDeliveryAttempted'),
    logPosition: Position,
    eventId: t.string,
    messageId: t.string,
    attempt: t.number,
    attemptedAt: t.number,
    /** A one-off resend of an item acknowledged before (an admin's redelivery): it moves nothing. */
    redelivery: t.boolean,
    outcome: t.union([t.literal('acknowledged'), t.literal('failed')]),
  }),
  t.partial({ statusCode: t.number, error: t.string, nextAttemptAt: t.number, gaveUp: t.boolean }),
]);
export type DeliveryAttempted = t.TypeOf<typeof DeliveryAttempted>;

export const REDELIVERY_ACTIONS = ['retry-now', 'resend', 'not-yet-reached', 'not-delivered'] as const;
export const RedeliveryHandled = t.type({
  type: t.literal('WebhookRedeliveryHandled'),
  /** The log position of the book's WebhookRedeliveryRequested: each request is handled once. */
  requestPosition: Position,
  logPosition: Position,
  action: t.keyof({ 'retry-now': null, resend: null, 'not-yet-reached': null, 'not-delivered': null }),
  handledAt: t.number,
});
export type RedeliveryHandled = t.TypeOf<typeof RedeliveryHandled>;

export type DeliveryEvent = DeliveryAttempted | RedeliveryHandled;
const DeliveryEventCodec = t.union([DeliveryAttempted, RedeliveryHandled]);

export const decodeDeliveryEvent = (stored: StoredEvent): E.Either<string, DeliveryEvent> => {
  const decoded = DeliveryEventCodec.decode(stored.data);
  return E.isRight(decoded)
    ? decoded
    : E.left(`${stored.stream}@${stored.revision} does not decode: ${PathReporter.report(decoded).join('; ')}`);
};

/** The item an endpoint is stuck on: retrying (nextAttemptAt set) or failing (given up: waits for an admin). */
export interface PendingItem {
  readonly logPosition: bigint;
  readonly eventId: string;
  readonly attempts: number;
  readonly nextAttemptAt: number | undefined;
}

export interface EndpointState {
  /** Revision of the stream's last event; -1 when empty. */
  readonly revision: number;
  /** The last item delivered in order (acknowledged); undefined before the first. */
  readonly acknowledgedThrough: bigint | undefined;
  readonly pending: PendingItem | undefined;
  /** The last redelivery request handled (0n: none). */
  readonly lastRequest: bigint;
}

export const emptyEndpointState: EndpointState = { revision: -1, acknowledgedThrough: undefined, pending: undefined, lastRequest: 0n };

/** Pure fold of one delivery event. */
export const evolveEndpoint = (state: EndpointState, event: DeliveryEvent, revision: number): EndpointState => {
  if (event.type === 'WebhookRedeliveryHandled') {
    const position = BigInt(event.logPosition);
    const retry = event.action === 'retry-now' && state.pending?.logPosition === position;
    // An admin's retry starts the schedule again, from now.
    const pending =
      retry && state.pending !== undefined ? { ...state.pending, attempts: 0, nextAttemptAt: event.handledAt } : state.pending;
    return { ...state, revision, lastRequest: BigInt(event.requestPosition), pending };
  }
  if (event.redelivery) return { ...state, revision };
  const logPosition = BigInt(event.logPosition);
  if (event.outcome === 'acknowledged') return { ...state, revision, acknowledgedThrough: logPosition, pending: undefined };
  return {
    ...state,
    revision,
    pending: {
      logPosition,
      eventId: event.eventId,
      attempts: event.attempt,
      nextAttemptAt: event.gaveUp === true ? undefined : event.nextAttemptAt,
    },
  };
};

/** An endpoint's status as the delivery log route shows it. */
export const endpointStatus = (state: EndpointState, disabled: boolean): 'disabled' | 'failing' | 'retrying' | 'active' =>
  disabled ? 'disabled' : state.pending === undefined ? 'active' : state.pending.nextAttemptAt === undefined ? 'failing' : 'retrying';
