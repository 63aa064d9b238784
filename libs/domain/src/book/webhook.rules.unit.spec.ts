import * as E from 'fp-ts/Either';
import { toFieldErrors } from '../codecs/closed-object';
import { bookCommandCodecs, decodeBookCommand } from './book.commands';
import { BookState, decide, evolve, initialState } from './book.decider';
import type { BookEvent } from './book.events';
import { webhookSecretProblem } from './webhook.codecs';
import { webhookUrlProblem } from './webhook.rules';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('webhook URL rules', () => {
  it.each([
    'https://erp.example.com/hooks/treasury',
    'https://erp.example.com:8443/a?b=c',
    'http://127.0.0.1:4010/hook',
    'http://localhost:3000/',
    'http://[::1]:9000/x',
    'https://8.8.8.8/hook',
  ])('accepts %s', (url) => expect(webhookUrlProblem(url)).toBeUndefined());

  it.each([
    ['file:///etc/passwd', 'https URL'],
    ['data:text/plain,hi', 'https URL'],
    ['javascript:alert(1)', 'https URL'],
    ['ftp://example.com/', 'https URL'],
    ['https://user:pw@example.com/', 'user name or password'],
    ['https://token@example.com/', 'user name or password'],
    ['http://example.com/hook', 'https'],
    ['http://10.0.0.5/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'private'],
    ['https://192.168.1.1/', 'private'],
    ['https://172.20.0.1/', 'private'],
    ['https://0.0.0.0/', 'private'],
    ['https://[fd00::1]/', 'private'],
    ['https://[fe80::1]/', 'private'],
    ['https://[::ffff:10.0.0.1]/', 'private'],
    // The URL parser normalises other IPv4 spellings before the check: 0xa9fea9fe is 169.254.169.254.
    ['https://0xa9fea9fe/', 'private'],
    ['https://example.com/#frag', 'fragment'],
    ['/relative/path', 'absolute'],
    ['', '1 to 2048'],
  ])('refuses %s', (url, reason) => expect(webhookUrlProblem(url)).toContain(reason));

  it('refuses a URL past 2,048 characters', () =>
    expect(webhookUrlProblem(`https://example.com/${'x'.repeat(2048)}`)).toContain('1 to 2048'));
});

describe('webhook secrets', () => {
  it('accepts whsec_ + base64 of 24 to 64 bytes only', () => {
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(24).toString('base64')}`)).toBeUndefined();
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(64).toString('base64')}`)).toBeUndefined();
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(23).toString('base64')}`)).toBeDefined();
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(65).toString('base64')}`)).toBeDefined();
    expect(webhookSecretProblem(Buffer.alloc(32).toString('base64'))).toBeDefined();
    expect(webhookSecretProblem('whsec_not base64!')).toBeDefined();
  });
});

describe('register-webhook codec', () => {
  it('names each failing field and never echoes the secret', () => {
    const decoded = bookCommandCodecs['register-webhook'].decode({
      webhookId: 'h',
      url: 'file:///x',
      events: ['BtcSold', 'Nope', 'BtcSold'],
      secret: 'whsec_short',
    });
    expect(E.isLeft(decoded)).toBe(true);
    const errors = E.isLeft(decoded) ? toFieldErrors(decoded.left) : [];
    expect(errors.map((e) => e.path).sort()).toEqual(['events.1', 'events.2', 'secret', 'url']);
    expect(JSON.stringify(errors)).not.toContain('whsec_short');
  });
});

const run = (state: BookState, name: string, body: unknown, now = NOW): E.Either<unknown, ReadonlyArray<BookEvent>> => {
  const command = decodeBookCommand(name as never, body);
  if (E.isLeft(command)) return command;
  const decided = decide(command.right, state, { now });
  if (E.isRight(decided)) {
    decided.right.forEach((event, i) =>
      evolve(state, {
        eventId: `00000000-0000-4000-8000-${String(state.revision + 2 + i).padStart(12, '0')}`,
        revision: state.revision + 1,
        recordedAt: now,
        event,
      }),
    );
  }
  return decided;
};

describe('webhook decisions', () => {
  const opened = (): BookState => {
    const state = initialState();
    expect(E.isRight(run(state, 'open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' }))).toBe(true);
    return state;
  };
  const hook = { webhookId: 'erp', url: 'https://ERP.example.com/hooks', events: ['BtcSold', 'AlertRaised'], secret: SECRET };

  it('registers with the normalised URL, refuses a reused id, disables once, redelivers only while enabled', () => {
    const state = opened();
    expect(run(state, 'register-webhook', hook)).toEqual(
      E.right([
        {
          type: 'WebhookRegistered',
          effectiveAt: NOW,
          webhookId: 'erp',
          url: 'https://erp.example.com/hooks',
          events: ['BtcSold', 'AlertRaised'],
          secret: SECRET,
        },
      ]),
    );
    expect(run(state, 'register-webhook', hook)).toEqual(E.left(expect.objectContaining({ code: 'duplicate-webhook-id' })));
    expect(run(state, 'redeliver-webhook', { webhookId: 'erp', logPosition: '12' })).toEqual(
      E.right([{ type: 'WebhookRedeliveryRequested', effectiveAt: NOW, webhookId: 'erp', logPosition: '12' }]),
    );
    expect(run(state, 'redeliver-webhook', { webhookId: 'other', logPosition: '12' })).toEqual(
      E.left(expect.objectContaining({ code: 'unknown-webhook' })),
    );
    expect(E.isRight(run(state, 'disable-webhook', { webhookId: 'erp' }))).toBe(true);
    expect(run(state, 'disable-webhook', { webhookId: 'erp' })).toEqual(E.left(expect.objectContaining({ code: 'webhook-disabled' })));
    expect(run(state, 'redeliver-webhook', { webhookId: 'erp', logPosition: '12' })).toEqual(
      E.left(expect.objectContaining({ code: 'webhook-disabled' })),
    );
    expect(run(state, 'register-webhook', hook)).toEqual(E.left(expect.objectContaining({ code: 'duplicate-webhook-id' })));
  });

  it('a webhook record cannot be reversed', () => {
    const state = opened();
    run(state, 'register-webhook', hook);
    const [eventId] = [...state.events.keys()].slice(-1);
    expect(run(state, 'reverse-event', { eventId, reason: 'oops' })).toEqual(
      E.left(expect.objectContaining({ code: 'cannot-reverse-webhook-record' })),
    );
  });

  it('refuses webhooks on a book that is not open', () => {
    expect(run(initialState(), 'register-webhook', hook)).toEqual(E.left({ _tag: 'BookNotFound' }));
  });
});
