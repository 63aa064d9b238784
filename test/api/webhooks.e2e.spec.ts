import { mkdtempSync, rmSync } from 'node:fs';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { WebhookScheduler } from '@treasury/application';
import { FixedClock, HttpClient, readAdminKey } from '@treasury/test-support';
import { createApp } from '../../apps/api/src/app.factory';

/**
 * Webhooks end to end: the real API on a temporary SQLite file, a receiver on 127.0.0.1 (node:http),
 * signatures checked with the reference `standardwebhooks` package, and a scheduler the test moves
 * with the clock, so 24 hours of retries take milliseconds.
 */

/** Waits of the delivery worker, resolved when the test moves the clock past them. */
class ManualScheduler extends WebhookScheduler {
  private readonly timers = new Set<{ readonly due: number; readonly resolve: () => void }>();
  constructor(private readonly clock: FixedClock) {
    super();
  }
  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = {
        due: this.clock.now() + ms,
        resolve: () => {
          this.timers.delete(timer);
          signal.removeEventListener('abort', timer.resolve);
          resolve();
        },
      };
      signal.addEventListener('abort', timer.resolve, { once: true });
      this.timers.add(timer);
    });
  }
  advance(ms: number): void {
    this.clock.advance(ms);
    for (const timer of [...this.timers]) if (timer.due <= this.clock.now()) timer.resolve();
  }
}

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly answered: number | 'hung';
}

/** The receiver: records every request and answers as `mode` says (a status, or never). */
class Receiver {
  readonly received: Received[] = [];
  mode: number | 'hang' = 200;
  private server!: Server;
  url = '';
  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const mode = this.mode;
        this.received.push({
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered: mode === 'hang' ? 'hung' : mode,
        });
        if (mode !== 'hang') response.writeHead(mode).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }
  types(from = 0): string[] {
    return this.received.slice(from).map((r) => (JSON.parse(r.body) as { type: string }).type);
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const eventually = async (check: () => boolean | Promise<boolean>, what: string, ms = 5_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const price = (day: number, usd: string) => ({ effectiveAt: `2025-06-${String(day).padStart(2, '0')}T00:00:00Z`, usdPerBtc: usd });

describe('webhooks (Standard Webhooks, retries, delivery log, restart)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'treasury-webhooks-'));
  const dbPath = join(dir, 'treasury.db');
  // The signature's timestamp is the server clock; the reference verifier compares it with the wall clock.
  const clock = new FixedClock(Date.now());
  const receiver = new Receiver();
  let app: INestApplication;
  let http: HttpClient;
  let scheduler: ManualScheduler;

  const start = async () => {
    scheduler = new ManualScheduler(clock);
    app = await createApp(
      { port: 0, eventStore: { kind: 'sqlite', path: dbPath } },
      { clock, webhooks: { scheduler, attemptTimeoutMs: 300, random: () => 0.5 } },
      false,
    );
    await app.listen(0, '127.0.0.1');
    http = new HttpClient(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`, {
      authorization: `Bearer ${readAdminKey(dbPath)}`,
    });
  };
  const deliveries = async (webhookId = 'erp') => (await http.get(`/v1/books/acme/webhooks/${webhookId}/deliveries`)).body;
  /** Verifies a received request as a receiver would, with its clock at the server's. */
  const verify = (r: Received, secret = SECRET) => {
    const spy = jest.spyOn(Date, 'now').mockReturnValue(clock.now());
    try {
      return new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    } finally {
      spy.mockRestore();
    }
  };

  beforeAll(async () => {
    await receiver.start();
    await start();
    await http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' });
    await http.accepted('acme', 'record-btc-price', price(1, '90000.00')); // before the webhook: never sent
    await http.accepted('acme', 'register-webhook', {
      webhookId: 'erp',
      url: receiver.url,
      events: ['BtcPriceObserved', 'MiningOutputReceived'],
      secret: SECRET,
    });
  });
  afterAll(async () => {
    await app?.close();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the subscribed items in log order, signed, each with a stable webhook-id', async () => {
    const written = [
      await http.accepted('acme', 'record-btc-price', price(2, '91000.00')),
      await http.accepted('acme', 'record-cash-movement', {
        effectiveAt: '2025-06-02T00:00:00Z',
        cashAccount: 'operating',
        amountUsd: '100.00',
        category: 'x',
      }),
      await http.accepted('acme', 'record-mining-output', {
        effectiveAt: '2025-06-03T00:00:00Z',
        wallet: 'cold',
        btc: '1',
        usdPerBtc: '92000.00',
      }),
      await http.accepted('acme', 'record-btc-price', price(4, '93000.00')),
    ];
    await eventually(() => receiver.received.length === 3, 'three deliveries');
    expect(receiver.types()).toEqual(['BtcPriceObserved', 'MiningOutputReceived', 'BtcPriceObserved']);
    const payloads = receiver.received.map((r) => verify(r));
    const expectedIds = [written[0], written[2], written[3]].map((w) => w.events[0].eventId);
    expect(payloads.map((p) => p.data['eventId'])).toEqual(expectedIds);
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual(expectedIds.map((id) => `msg_${id}`));
    const positions = payloads.map((p) => BigInt(p.data['logPosition'] as string));
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(payloads[0]).toMatchObject({
      type: 'BtcPriceObserved',
      data: { bookId: 'acme', type: 'BtcPriceObserved', data: { usdPerBtc: '91000.00' } },
    });
    // A tampered body fails the reference verifier.
    expect(() => verify({ ...receiver.received[0]!, body: receiver.received[0]!.body.replace('91000', '99000') })).toThrow();
    const log = await deliveries();
    expect(log.webhook).toMatchObject({ status: 'active', acknowledgedThrough: positions[2]!.toString(), pending: null });
    expect(
      log.deliveries.map((d: { outcome: string; statusCode: number; attempt: number }) => [d.outcome, d.statusCode, d.attempt]),
    ).toEqual([
      ['acknowledged', 200, 1],
      ['acknowledged', 200, 1],
      ['acknowledged', 200, 1],
    ]);
  });

  it('retries a failing receiver (500, then a timeout) with backoff, and sends nothing after it until it is acknowledged', async () => {
    const seen = receiver.received.length;
    receiver.mode = 500;
    const a = await http.accepted('acme', 'record-btc-price', price(5, '94000.00'));
    await http.accepted('acme', 'record-btc-price', price(6, '95000.00'));
    await eventually(() => receiver.received.length === seen + 1, 'the first attempt');
    await eventually(async () => (await deliveries()).webhook.status === 'retrying', 'retrying');
    receiver.mode = 'hang';
    scheduler.advance(4_999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received.length).toBe(seen + 1); // not before 5 s
    scheduler.advance(1);
    await eventually(() => receiver.received.length === seen + 2, 'the second attempt (5 s later)');
    await eventually(async () => (await deliveries()).deliveries.length === 5, 'the timeout recorded');
    receiver.mode = 200;
    scheduler.advance(30_000);
    await eventually(() => receiver.received.length === seen + 4, 'the third attempt and the next item');
    const tail = receiver.received.slice(seen);
    expect(tail.map((r) => [verify(r).data['eventId'], r.answered])).toEqual([
      [a.events[0].eventId, 500],
      [a.events[0].eventId, 'hung'],
      [a.events[0].eventId, 200],
      [expect.any(String), 200],
    ]);
    expect(new Set(tail.slice(0, 3).map((r) => r.headers['webhook-id'])).size).toBe(1);
    const log = (await deliveries()).deliveries.slice(3);
    expect(log.map((d: { attempt: number; outcome: string; statusCode: number | null }) => [d.attempt, d.outcome, d.statusCode])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', null],
      [3, 'acknowledged', 200],
      [1, 'acknowledged', 200],
    ]);
    expect(log[1].error).toBe('no answer within 300 ms');
    expect(Date.parse(log[0].nextAttemptAt) - Date.parse(log[0].attemptedAt)).toBe(5_000);
  });

  it('keeps retrying for at least 24 hours, then stops at the item (failing) until an admin redelivers it', async () => {
    const seen = receiver.received.length;
    receiver.mode = 503;
    const stuck = await http.accepted('acme', 'record-btc-price', price(7, '96000.00'));
    await eventually(() => receiver.received.length === seen + 1, 'the first attempt');
    const first = clock.now();
    for (let attempts = 1; attempts < 13; attempts++) {
      await eventually(async () => (await deliveries()).webhook.pending?.attempts === attempts, `attempt ${attempts} recorded`);
      const next = Date.parse((await deliveries()).webhook.pending.nextAttemptAt);
      scheduler.advance(next - clock.now());
      await eventually(() => receiver.received.length === seen + attempts + 1, `attempt ${attempts + 1}`);
    }
    await eventually(async () => (await deliveries()).webhook.status === 'failing', 'failing');
    expect(clock.now() - first).toBeGreaterThanOrEqual(24 * 3_600_000);
    const log = await deliveries();
    expect(log.deliveries[log.deliveries.length - 1]).toMatchObject({
      attempt: 13,
      outcome: 'failed',
      statusCode: 503,
      gaveUp: true,
      nextAttemptAt: null,
    });
    // Stuck: days later, nothing more is sent, not even a newer item.
    await http.accepted('acme', 'record-btc-price', price(8, '97000.00'));
    scheduler.advance(7 * 24 * 3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received.length).toBe(seen + 13);

    receiver.mode = 200;
    const position = log.webhook.pending.logPosition;
    await http.accepted('acme', 'redeliver-webhook', { webhookId: 'erp', logPosition: position });
    await eventually(() => receiver.received.length === seen + 15, 'the stuck item, then the next');
    expect(verify(receiver.received[seen + 13]!).data['eventId']).toBe(stuck.events[0].eventId);
    expect((await deliveries()).webhook.status).toBe('active');
  });

  it('redelivers an acknowledged item once on request, with its original webhook-id', async () => {
    const log = await deliveries();
    const done = log.deliveries.find((d: { outcome: string; kind: string }) => d.kind === 'attempt' && d.outcome === 'acknowledged');
    const seen = receiver.received.length;
    await http.accepted('acme', 'redeliver-webhook', { webhookId: 'erp', logPosition: done.logPosition });
    await eventually(() => receiver.received.length === seen + 1, 'the redelivery');
    expect(receiver.received[seen]!.headers['webhook-id']).toBe(done.webhookId);
    await eventually(
      async () => (await deliveries()).deliveries.some((d: { kind: string }) => d.kind === 'redelivery'),
      'the redelivery logged',
    );
    const after = (await deliveries()).deliveries;
    expect(after.filter((d: { kind: string }) => d.kind === 'redelivery-request').map((d: { action: string }) => d.action)).toEqual([
      'retry-now',
      'resend',
    ]);
  });

  it('after a restart sends the unacknowledged item again and no acknowledged one', async () => {
    receiver.mode = 500;
    const seen = receiver.received.length;
    const pendingItem = await http.accepted('acme', 'record-mining-output', {
      effectiveAt: '2025-06-09T00:00:00Z',
      wallet: 'cold',
      btc: '1',
      usdPerBtc: '98000.00',
    });
    await eventually(async () => (await deliveries()).webhook.status === 'retrying', 'retrying');
    await app.close();
    receiver.mode = 200;
    await start();
    // Started again: the pending item waits for its scheduled retry, nothing else is sent.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.length).toBe(seen + 1);
    scheduler.advance(5_000);
    await eventually(() => receiver.received.length === seen + 2, 'the retry after the restart');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.slice(seen).map((r) => verify(r).data['eventId'])).toEqual([
      pendingItem.events[0].eventId,
      pendingItem.events[0].eventId,
    ]);
    expect((await deliveries()).webhook.status).toBe('active');
  });

  it('never shows the secret: not in the webhook list, the delivery log, the events, their exports or GET /v1/events/{id}', async () => {
    const events = await http.allEvents('acme');
    const registered = events.find((e) => e['type'] === 'WebhookRegistered')!;
    expect(registered['data']).toMatchObject({ secret: '[redacted]', secretFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) });
    const answers = await Promise.all([
      http.get('/v1/books/acme/webhooks'),
      http.get('/v1/books/acme/webhooks/erp/deliveries'),
      http.get('/v1/books/acme/events'),
      http.get('/v1/books/acme/events.jsonl'),
      http.get('/v1/books/acme/events.csv'),
      http.get(`/v1/events/${registered['eventId'] as string}`),
    ]);
    const secretBody = SECRET.slice('whsec_'.length);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      expect(text).not.toContain(secretBody);
      expect(text).toContain('[redacted]');
    }
    expect(answers[0]!.body.webhooks).toEqual([
      expect.objectContaining({ webhookId: 'erp', url: receiver.url, secret: '[redacted]', status: 'active' }),
    ]);
  });

  it('refuses bad URLs and secrets with 400 naming the field, and writes nothing', async () => {
    const before = (await http.allEvents('acme')).length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: 'file:///etc/passwd' }, 'url'],
      [{ url: 'https://user:password@example.com/hook' }, 'url'],
      [{ url: 'http://example.com/hook' }, 'url'],
      [{ url: 'https://169.254.169.254/latest/meta-data/' }, 'url'],
      [{ url: 'javascript:alert(1)' }, 'url'],
      [{ secret: 'whsec_dG9vIHNob3J0' }, 'secret'],
      [{ events: ['NoSuchEvent'] }, 'events.0'],
    ];
    for (const [change, path] of cases) {
      const answer = await http.command('acme', 'register-webhook', {
        webhookId: 'bad',
        url: 'https://example.com/hook',
        events: ['BtcSold'],
        secret: SECRET,
        ...change,
      });
      expect([answer.status, answer.contentType, answer.body.errors]).toEqual([
        400,
        'application/problem+json; charset=utf-8',
        [expect.objectContaining({ path })],
      ]);
      expect(JSON.stringify(answer.body)).not.toContain(SECRET.slice(6));
    }
    expect((await http.allEvents('acme')).length).toBe(before);
    expect((await http.get('/v1/books/acme/webhooks/nope/deliveries')).status).toBe(404);
  });

  it('stops delivering once disabled', async () => {
    await http.accepted('acme', 'disable-webhook', { webhookId: 'erp' });
    const seen = receiver.received.length;
    await http.accepted('acme', 'record-btc-price', price(10, '99000.00'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.length).toBe(seen);
    expect((await http.get('/v1/books/acme/webhooks')).body.webhooks[0]).toMatchObject({
      status: 'disabled',
      disabledAt: expect.any(String),
    });
    expect((await http.command('acme', 'redeliver-webhook', { webhookId: 'erp', logPosition: '1' })).status).toBe(422);
  });
});
