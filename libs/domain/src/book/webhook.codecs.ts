import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import { StoredInstant } from '../codecs/instant';
import { literal } from '../codecs/literal';
import { StoredText, Text } from '../codecs/names';
import { withSchema } from '../codecs/schema-registry';
import { webhookUrlProblem } from './webhook.rules';

/**
 * Webhooks: an endpoint per book that receives the book's feed items of chosen types, signed per the
 * Standard Webhooks specification. Registration, disabling and redelivery requests are book events
 * (who asked is in the log); delivery attempts live in a stream of their own per endpoint
 * (libs/application/src/webhooks). The secret is a credential: it is stored here, the only state, and
 * every read route shows `[redacted]` and a fingerprint instead (see redactWebhookSecret).
 */

export const MAX_WEBHOOK_URL_CHARS = 2048;
/** Event types one endpoint may subscribe to; the list of known names is longer, this bounds one registration. */
export const MAX_WEBHOOK_EVENT_TYPES = 64;
/** Secret key bytes (Standard Webhooks: 24 to 64 bytes, base64, with the `whsec_` prefix). */
export const WEBHOOK_SECRET_MIN_BYTES = 24;
export const WEBHOOK_SECRET_MAX_BYTES = 64;
/** Feed items outside a book's own events that an endpoint may subscribe to (the alerts stream). */
export const ALERT_EVENT_TYPES = ['AlertRaised'] as const;
/** What the read routes show in place of a secret. */
export const REDACTED = '[redacted]';

const refine = (name: string, problem: (u: unknown) => string | undefined, schema: Record<string, unknown>) =>
  withSchema(
    new t.Type<string, string, unknown>(
      name,
      (u): u is string => typeof u === 'string' && problem(u) === undefined,
      (u, c) => {
        const found = problem(u);
        return found === undefined ? t.success(u as string) : t.failure(u, c, found);
      },
      (s) => s,
    ),
    schema,
  );

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const idRule = 'must be 1 to 64 characters of letters, digits, ".", "_", ":" and "-", starting with a letter or digit';
export const WebhookId = refine('WebhookId', (u) => (typeof u === 'string' && ID.test(u) ? undefined : idRule), {
  type: 'string',
  pattern: ID.source,
  maxLength: 64,
  description: idRule,
  example: 'erp-hook',
});

export const WebhookUrl = refine('WebhookUrl', (u) => (typeof u === 'string' ? webhookUrlProblem(u) : 'must be a URL string'), {
  type: 'string',
  format: 'uri',
  maxLength: MAX_WEBHOOK_URL_CHARS,
  description:
    'https (any public host), or http to a loopback address only; no user or password, no fragment; literal private, link-local, unspecified and multicast addresses refused',
  example: 'https://erp.example.com/hooks/treasury',
});

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const secretRule = `must be "whsec_" followed by the base64 of ${WEBHOOK_SECRET_MIN_BYTES} to ${WEBHOOK_SECRET_MAX_BYTES} random bytes`;
/** Decoded length of a base64 string, computed without decoding (the domain has no Buffer). */
const base64Bytes = (text: string): number | undefined => {
  if (!BASE64.test(text) || text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
};
export const webhookSecretProblem = (u: unknown): string | undefined => {
  if (typeof u !== 'string' || !u.startsWith('whsec_') || u.length > 200) return secretRule;
  const bytes = base64Bytes(u.slice('whsec_'.length));
  return bytes !== undefined && bytes >= WEBHOOK_SECRET_MIN_BYTES && bytes <= WEBHOOK_SECRET_MAX_BYTES ? undefined : secretRule;
};
export const WebhookSecret = refine('WebhookSecret', webhookSecretProblem, {
  type: 'string',
  pattern: '^whsec_[A-Za-z0-9+/]+={0,2}$',
  minLength: 38,
  maxLength: 94,
  writeOnly: true,
  description: `${secretRule}; never shown again by any read route (generate it with: echo "whsec_$(openssl rand -base64 32)")`,
});

const POSITION = /^[1-9][0-9]{0,18}$/;
const positionRule = 'must be a log position: a positive whole number as a decimal string';
const MAX_POSITION = 2n ** 63n - 1n;
export const LogPosition = refine(
  'LogPosition',
  (u) => (typeof u === 'string' && POSITION.test(u) && BigInt(u) <= MAX_POSITION ? undefined : positionRule),
  {
    type: 'string',
    pattern: POSITION.source,
    description: `${positionRule} (an event's "position" in the events routes, a delivery's "logPosition")`,
    example: '1042',
  },
);

/** Subscribed types: 1 to 64 distinct names from `known` (the book's event types and the alert types). */
export const webhookEventTypes = (known: ReadonlyArray<string>) => {
  const names = new Set(known);
  const rule = `must be 1 to ${MAX_WEBHOOK_EVENT_TYPES} distinct event types`;
  return withSchema(
    new t.Type<ReadonlyArray<string>, ReadonlyArray<string>, unknown>(
      'WebhookEventTypes',
      (u): u is ReadonlyArray<string> => Array.isArray(u) && u.every((x) => typeof x === 'string' && names.has(x)),
      (u, c) => {
        if (!Array.isArray(u) || u.length === 0 || u.length > MAX_WEBHOOK_EVENT_TYPES) return t.failure(u, c, rule);
        const errors: t.ValidationError[] = [];
        const seen = new Set<string>();
        u.forEach((x: unknown, i) => {
          const at = t.appendContext(c, String(i), t.string, x);
          if (typeof x !== 'string' || !names.has(x)) errors.push({ value: x, context: at, message: 'is not a known event type' });
          else if (seen.has(x)) errors.push({ value: x, context: at, message: 'is listed twice' });
          else seen.add(x);
        });
        return errors.length > 0 ? t.failures(errors) : t.success(u as string[]);
      },
      (a) => a,
    ),
    {
      type: 'array',
      minItems: 1,
      maxItems: MAX_WEBHOOK_EVENT_TYPES,
      uniqueItems: true,
      items: { type: 'string', enum: [...known] },
      description: rule,
    },
  );
};

const note = { memo: StoredText };
const storedString = (name: string) =>
  refine(name, (u) => (typeof u === 'string' && u.length > 0 && u.length <= 10_000 ? undefined : 'must be a non-empty string'), {
    type: 'string',
  });
const StoredStringList = withSchema(t.readonlyArray(t.string, 'StoredStringList'), { type: 'array', items: { type: 'string' } });

/** The endpoint, from this event on. `secret` is the signing key: redacted by every read route. */
export const WebhookRegistered = closedObject(
  'WebhookRegistered',
  {
    type: literal('WebhookRegistered'),
    effectiveAt: StoredInstant,
    webhookId: WebhookId,
    url: storedString('StoredWebhookUrl'),
    events: StoredStringList,
    secret: storedString('StoredWebhookSecret'),
  },
  note,
);
/** No delivery is attempted after this event (an attempt under way finishes); for good. */
export const WebhookDisabled = closedObject(
  'WebhookDisabled',
  { type: literal('WebhookDisabled'), effectiveAt: StoredInstant, webhookId: WebhookId },
  note,
);
/** An admin asked for the item at logPosition to be sent again (see the delivery worker for what that does). */
export const WebhookRedeliveryRequested = closedObject(
  'WebhookRedeliveryRequested',
  {
    type: literal('WebhookRedeliveryRequested'),
    effectiveAt: StoredInstant,
    webhookId: WebhookId,
    logPosition: storedString('StoredLogPosition'),
  },
  note,
);

export const webhookEventCodecs = { WebhookRegistered, WebhookDisabled, WebhookRedeliveryRequested } as const;
export const WEBHOOK_EVENT_TYPES = Object.keys(webhookEventCodecs) as ReadonlyArray<keyof typeof webhookEventCodecs>;

const annotations = { reference: Text, memo: Text };

/** The command bodies; `known` is every type an endpoint may subscribe to (book.commands.ts passes it). */
export const webhookCommandCodecs = (known: ReadonlyArray<string>) =>
  ({
    'register-webhook': closedObject(
      'RegisterWebhook',
      { webhookId: WebhookId, url: WebhookUrl, events: webhookEventTypes(known), secret: WebhookSecret },
      annotations,
    ),
    'disable-webhook': closedObject('DisableWebhook', { webhookId: WebhookId }, annotations),
    'redeliver-webhook': closedObject('RedeliverWebhook', { webhookId: WebhookId, logPosition: LogPosition }, annotations),
  }) as const;
