import { createHash } from 'node:crypto';
import { REDACTED } from '@treasury/domain';

/**
 * A webhook's secret is a credential: the log is its only home, and no read route or export shows it.
 * Every view of a book event passes through here (book-events.query.ts eventView: GET events, the
 * JSON Lines and CSV exports, GET /v1/events/{id}, the live feed and webhook payloads built on it).
 * The fingerprint lets an admin tell which secret is in force without seeing it.
 */
export const secretFingerprint = (secret: string): string => `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;

export const redactWebhookSecret = <D extends Record<string, unknown>>(type: string, data: D): D => {
  if (type !== 'WebhookRegistered' || typeof data['secret'] !== 'string') return data;
  return { ...data, secret: REDACTED, secretFingerprint: secretFingerprint(data['secret']) };
};
