import { DeliveryLogEntry, EndpointSummary, WebhookRegistration } from '@treasury/application';
import { REDACTED, formatInstant } from '@treasury/domain';

/** A registration as GET …/webhooks shows it: the secret never, its fingerprint instead. */
export const webhookView = (registration: WebhookRegistration, summary: EndpointSummary) => ({
  webhookId: registration.webhookId,
  url: registration.url,
  events: registration.events,
  secret: REDACTED as typeof REDACTED,
  secretFingerprint: registration.secretFingerprint,
  registeredAt: formatInstant(registration.registeredAt),
  registeredAtPosition: registration.registeredAtPosition.toString(),
  disabledAt: registration.disabledAt === undefined ? null : formatInstant(registration.disabledAt),
  status: summary.status,
  acknowledgedThrough: summary.state?.acknowledgedThrough?.toString() ?? null,
  pending:
    summary.state?.pending === undefined
      ? null
      : {
          logPosition: summary.state.pending.logPosition.toString(),
          eventId: summary.state.pending.eventId,
          attempts: summary.state.pending.attempts,
          nextAttemptAt: summary.state.pending.nextAttemptAt === undefined ? null : formatInstant(summary.state.pending.nextAttemptAt),
        },
});

/** One line of an endpoint's delivery log. */
export const deliveryView = ({ sequence, event }: DeliveryLogEntry) =>
  event.type === 'WebhookDeliveryAttempted'
    ? {
        sequence,
        kind: event.redelivery ? ('redelivery' as const) : ('attempt' as const),
        logPosition: event.logPosition,
        eventId: event.eventId,
        webhookId: event.messageId,
        attempt: event.attempt,
        attemptedAt: formatInstant(event.attemptedAt),
        outcome: event.outcome,
        statusCode: event.statusCode ?? null,
        error: event.error ?? null,
        nextAttemptAt: event.nextAttemptAt === undefined ? null : formatInstant(event.nextAttemptAt),
        gaveUp: event.gaveUp === true,
      }
    : {
        sequence,
        kind: 'redelivery-request' as const,
        logPosition: event.logPosition,
        requestPosition: event.requestPosition,
        action: event.action,
        handledAt: formatInstant(event.handledAt),
      };
