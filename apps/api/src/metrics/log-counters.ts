import { ALERT_KINDS, ALERT_RAISED } from '@treasury/domain';
import type { StoredEvent } from '@treasury/event-store';
import type { MetricFamilies } from './metric-families';

export const WEBHOOK_ATTEMPTED = 'WebhookDeliveryAttempted';
/** The only event types the metrics' subscription asks the store for. */
export const COUNTED_TYPES = [ALERT_RAISED, WEBHOOK_ATTEMPTED] as const;

/** A state name as the alert monitor writes them (`margin-call`, `stale`); anything else is `other`, never a raw value. */
const STATE = /^[a-z][a-z0-9-]{0,31}$/;

const field = (data: StoredEvent['data'], name: string): unknown => data[name];

/**
 * Counts what the engine's background workers recorded in the log: alerts raised and webhook attempts.
 * Read from the log rather than told by the workers, so it counts what another instance on the same
 * store recorded too, and the workers stay unaware of metrics. Label values are checked, not trusted.
 */
export const countLogEvent = (families: MetricFamilies, event: StoredEvent): void => {
  if (event.type === ALERT_RAISED) {
    const kind = field(event.data, 'kind');
    const to = field(event.data, 'to');
    families.alerts.inc({
      kind: (ALERT_KINDS as ReadonlyArray<unknown>).includes(kind) ? (kind as string) : 'other',
      to: typeof to === 'string' && STATE.test(to) ? to : 'other',
    });
    return;
  }
  if (event.type === WEBHOOK_ATTEMPTED) {
    const outcome = field(event.data, 'outcome');
    if (outcome !== 'acknowledged' && outcome !== 'failed') return;
    families.webhookAttempts.inc({ outcome });
    if (outcome === 'failed' && field(event.data, 'gaveUp') === true) families.webhookGaveUp.inc();
  }
};
