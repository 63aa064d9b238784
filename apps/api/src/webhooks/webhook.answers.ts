import * as t from 'io-ts';
import { asComponent } from '@treasury/domain';
import { InstantText, Integer, PositionText, SameShape, closed, nullable, oneOf } from '../docs/answer-codecs';
import type { deliveryView, webhookView } from './webhook-views';

/** What the webhook routes answer (the views in webhook-views.ts, checked to have the same shape). */
export const WebhookAnswer = asComponent(
  closed({
    webhookId: t.string,
    url: t.string,
    events: t.readonlyArray(t.string),
    secret: t.literal('[redacted]'),
    secretFingerprint: t.string,
    registeredAt: InstantText,
    registeredAtPosition: PositionText,
    disabledAt: nullable(InstantText),
    status: oneOf(['disabled', 'failing', 'retrying', 'active', 'starting']),
    acknowledgedThrough: nullable(PositionText),
    pending: nullable(closed({ logPosition: PositionText, eventId: t.string, attempts: Integer, nextAttemptAt: nullable(InstantText) })),
  }),
  'Webhook',
);

const DeliveryAttemptAnswer = closed({
  sequence: Integer,
  kind: oneOf(['attempt', 'redelivery']),
  logPosition: PositionText,
  eventId: t.string,
  webhookId: t.string,
  attempt: Integer,
  attemptedAt: InstantText,
  outcome: oneOf(['acknowledged', 'failed']),
  statusCode: nullable(Integer),
  error: nullable(t.string),
  nextAttemptAt: nullable(InstantText),
  gaveUp: t.boolean,
});
const RedeliveryAnswer = closed({
  sequence: Integer,
  kind: t.literal('redelivery-request'),
  logPosition: PositionText,
  requestPosition: PositionText,
  action: oneOf(['retry-now', 'resend', 'not-yet-reached', 'not-delivered']),
  handledAt: InstantText,
});
export const DeliveryAnswer = asComponent(t.union([DeliveryAttemptAnswer, RedeliveryAnswer]), 'WebhookDelivery');

export const WebhooksAnswer = closed({ bookId: t.string, webhooks: t.readonlyArray(WebhookAnswer) });
export const DeliveriesAnswer = closed({
  bookId: t.string,
  webhook: WebhookAnswer,
  deliveries: t.readonlyArray(DeliveryAnswer),
  next: nullable(Integer),
});

export const webhookAnswerIsTheView: SameShape<ReturnType<typeof webhookView>, t.TypeOf<typeof WebhookAnswer>> = [(v) => v, (a) => a];
export const deliveryAnswerIsTheView: SameShape<ReturnType<typeof deliveryView>, t.TypeOf<typeof DeliveryAnswer>> = [(v) => v, (a) => a];
