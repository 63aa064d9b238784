import * as E from 'fp-ts/Either';
import { DomainError, ruleViolated } from '../errors';
import type { BookCommand } from './book.commands';
import type { BookEvent } from './book.events';

/**
 * The rules of webhooks: which URLs an endpoint may have, and the register / disable / redeliver
 * decisions. Pure: the URL is only parsed (WHATWG URL), never resolved.
 */

// ---------------------------------------------------------------------------------------------------
// URLs

const MAX_URL_CHARS = 2048;

const ipv4Parts = (host: string): number[] | undefined => {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const numbers = parts.map(Number);
  return numbers.every((n) => n <= 255) ? numbers : undefined;
};

const isLoopbackV4 = (ip: number[]): boolean => ip[0] === 127;

/** Private, shared, link-local (cloud metadata at 169.254.169.254), unspecified, multicast and reserved IPv4 ranges. */
const isInternalV4 = ([a, b]: number[]): boolean =>
  a === 0 ||
  a === 10 ||
  (a === 100 && b! >= 64 && b! <= 127) ||
  (a === 169 && b === 254) ||
  (a === 172 && b! >= 16 && b! <= 31) ||
  (a === 192 && b === 168) ||
  (a === 192 && b === 0) ||
  (a === 198 && (b === 18 || b === 19)) ||
  a! >= 224;

/** The IPv4 address inside an IPv4-mapped IPv6 address (the URL parser writes it as ::ffff:7f00:1). */
const mappedV4 = (ip6: string): number[] | undefined => {
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip6);
  if (match === null) return undefined;
  const high = parseInt(match[1]!, 16);
  const low = parseInt(match[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255];
};

type HostKind = 'loopback' | 'internal' | 'public';

const hostKind = (hostname: string): HostKind => {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return 'loopback';
  const v4 = ipv4Parts(hostname);
  if (v4 !== undefined) return isLoopbackV4(v4) ? 'loopback' : isInternalV4(v4) ? 'internal' : 'public';
  if (!hostname.startsWith('[')) return 'public';
  const ip6 = hostname.slice(1, -1);
  if (ip6 === '::1') return 'loopback';
  const mapped = mappedV4(ip6);
  if (mapped !== undefined) return isLoopbackV4(mapped) ? 'loopback' : isInternalV4(mapped) ? 'internal' : 'public';
  // Unspecified, unique-local fc00::/7, link-local fe80::/10, multicast ff00::/8, the deprecated IPv4-compatible ::a.b.c.d.
  if (ip6 === '::' || /^f[cd]/.test(ip6) || /^fe[89ab]/.test(ip6) || ip6.startsWith('ff') || ip6.startsWith('::')) return 'internal';
  return 'public';
};

/**
 * Why `text` cannot be a webhook URL, or undefined when it can: http(s) only, a host, no user or
 * password (a credential in a URL ends up in logs), no fragment, at most 2,048 characters; http only
 * to a loopback address (a receiver on the same machine); literal private, link-local and similar
 * addresses refused (the obvious SSRF targets). Host names are not resolved: see the README.
 */
export const webhookUrlProblem = (text: string): string | undefined => {
  if (text.length === 0 || text.length > MAX_URL_CHARS) return `must be a URL of 1 to ${MAX_URL_CHARS} characters`;
  if (!URL.canParse(text)) return 'must be an absolute URL';
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL (or http to a loopback address)';
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (url.hostname === '') return 'must name a host';
  if (url.hash !== '' || text.includes('#')) return 'must not have a fragment';
  const kind = hostKind(url.hostname);
  if (kind === 'internal') return 'must not point at a private, link-local, unspecified or multicast address';
  if (url.protocol === 'http:' && kind !== 'loopback') return 'must use https (http is accepted only for a loopback address)';
  return undefined;
};

// ---------------------------------------------------------------------------------------------------
// decisions

/** Registered endpoints per book, active or not: past this many, register-webhook is refused. */
export const MAX_WEBHOOKS_PER_BOOK = 50;

export interface WebhookSummary {
  disabled: boolean;
}
export type WebhookRegistry = Map<string, WebhookSummary>;

type WebhookCommandName = 'register-webhook' | 'disable-webhook' | 'redeliver-webhook';
export type WebhookCommand = Extract<BookCommand, { readonly name: WebhookCommandName }>;

export const isWebhookCommand = (command: BookCommand): command is WebhookCommand =>
  command.name === 'register-webhook' || command.name === 'disable-webhook' || command.name === 'redeliver-webhook';

/** The decider's evolve calls this for every event. */
export const evolveWebhooks = (registry: WebhookRegistry, event: BookEvent): void => {
  if (event.type === 'WebhookRegistered') registry.set(event.webhookId, { disabled: false });
  else if (event.type === 'WebhookDisabled') {
    const found = registry.get(event.webhookId);
    if (found !== undefined) found.disabled = true;
  }
};

const memoOf = (body: { readonly memo?: string }) => (body.memo === undefined ? {} : { memo: body.memo });

/** A webhook record is a setting recorded now (effectiveAt = recording time), like set-price-staleness. */
export const decideWebhook = (
  command: WebhookCommand,
  registry: WebhookRegistry,
  now: number,
): E.Either<DomainError, ReadonlyArray<BookEvent>> => {
  const { webhookId } = command.body;
  const found = registry.get(webhookId);
  if (command.name === 'register-webhook') {
    if (found !== undefined)
      return E.left(
        ruleViolated('duplicate-webhook-id', `webhook id "${webhookId}" is already used in this book (a disabled id is not reused)`),
      );
    if (registry.size >= MAX_WEBHOOKS_PER_BOOK)
      return E.left(ruleViolated('too-many-webhooks', `a book has at most ${MAX_WEBHOOKS_PER_BOOK} webhooks`));
    const { url, events, secret } = command.body;
    // The URL as the parser normalised it: what the worker will call.
    return E.right([
      {
        type: 'WebhookRegistered',
        effectiveAt: now,
        webhookId,
        url: new URL(url).href,
        events: [...events],
        secret,
        ...memoOf(command.body),
      },
    ]);
  }
  if (found === undefined) return E.left(ruleViolated('unknown-webhook', `webhook "${webhookId}" is not registered in this book`));
  if (found.disabled) return E.left(ruleViolated('webhook-disabled', `webhook "${webhookId}" is disabled`));
  if (command.name === 'disable-webhook')
    return E.right([{ type: 'WebhookDisabled', effectiveAt: now, webhookId, ...memoOf(command.body) }]);
  return E.right([
    { type: 'WebhookRedeliveryRequested', effectiveAt: now, webhookId, logPosition: command.body.logPosition, ...memoOf(command.body) },
  ]);
};
