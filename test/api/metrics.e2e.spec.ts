import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlertMonitor } from '@treasury/application';
import { TestApp, startTestApp } from '@treasury/test-support';
import { Metrics } from '../../apps/api/src/metrics/metrics.service';

/**
 * /metrics end to end: the real API on a temporary SQLite file, its metrics server on a loopback port
 * of its own, scraped before and after a small load; each family must move by what the load did.
 */

interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The Prometheus text format's samples (comments skipped). */
const parse = (text: string): Series[] =>
  text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (match === null) throw new Error(`not a sample: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
      return { name: match[1]!, labels, value: Number(match[3]) };
    });

/** The sum of a family's samples carrying these labels (0 when there are none). */
const sum = (series: Series[], name: string, labels: Record<string, string> = {}): number =>
  series
    .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((total, s) => total + s.value, 0);

const one = (series: Series[], name: string, labels: Record<string, string> = {}): Series | undefined =>
  series.find((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value));

const eventually = async (check: () => Promise<boolean>, what: string, ms = 5_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

describe('/metrics (Prometheus) on its own loopback port', () => {
  let app: TestApp;
  let metricsUrl: string;
  let metricsAddress: AddressInfo;
  // A webhook receiver that always fails: its first attempt is a delivery failure.
  const receiver: Server = createServer((_request, response) => response.writeHead(500).end());
  let receiverUrl: string;

  const scrape = async () => {
    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parse(await response.text());
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    app = await startTestApp();
    metricsAddress = await app.nest.get(Metrics).serve({ port: 0, host: '127.0.0.1' });
    metricsUrl = `http://127.0.0.1:${metricsAddress.port}/metrics`;
  });
  afterAll(async () => {
    await app?.dispose();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('is not on the API port, and its own port listens on the loopback only and serves GET /metrics alone', async () => {
    // With the admin's key or none: the API serves no /metrics at all.
    expect((await app.http.get('/metrics')).status).toBe(404);
    expect((await app.http.as(undefined).get('/metrics')).status).toBe(404);
    expect(metricsAddress.address).toBe('127.0.0.1');
    const base = `http://127.0.0.1:${metricsAddress.port}`;
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/v1/books`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('moves each family by what a small load did', async () => {
    const before = await scrape();
    const { http } = app;
    await http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    await http.accepted('acme', 'register-webhook', { webhookId: 'erp', url: receiverUrl, events: ['BtcPriceObserved'], secret: SECRET });
    // The price is an hour old at the test clock: fresh now, stale a day later (the alert below).
    await http.accepted('acme', 'record-btc-price', { effectiveAt: '2026-03-01T11:00:00Z', usdPerBtc: '90000.00' });
    await http.accepted('acme', 'record-mining-output', {
      effectiveAt: '2026-03-01T11:00:00Z',
      wallet: 'cold',
      btc: '1',
      usdPerBtc: '90000.00',
    });
    // Refused by a rule (more BTC than the book holds), by its codec, and as no command at all.
    const sale = await http.command('acme', 'record-btc-sale', {
      effectiveAt: '2026-03-01T11:30:00Z',
      wallet: 'cold',
      btc: '5',
      proceedsUsd: '450000.00',
    });
    expect(sale.status).toBe(422);
    expect((await http.command('acme', 'record-btc-price', { effectiveAt: 'yesterday', usdPerBtc: '1' })).status).toBe(400);
    expect((await http.command('acme', 'no-such-command', {})).status).toBe(404);
    expect((await http.get('/v1/books/acme/position')).status).toBe(200);
    // A day and a second later the price is stale: the alert monitor's timer raises it.
    app.clock.set('2026-03-02T11:00:01Z');
    await app.nest.get(AlertMonitor).tick();

    let after = await scrape();
    await eventually(async () => {
      after = await scrape();
      return (
        sum(after, 'treasury_alerts_raised_total', { kind: 'price-staleness', to: 'stale' }) === 1 &&
        sum(after, 'treasury_webhook_delivery_attempts_total', { outcome: 'failed' }) >= 1
      );
    }, 'the alert and the failed webhook attempt counted');
    const moved = (name: string, labels: Record<string, string> = {}) => sum(after, name, labels) - sum(before, name, labels);

    // Commands by type and outcome; an unknown name is labelled `unknown`, never as sent.
    expect(moved('treasury_commands_total', { command: 'open-book', outcome: 'appended' })).toBe(1);
    expect(moved('treasury_commands_total', { command: 'record-mining-output', outcome: 'appended' })).toBe(1);
    expect(moved('treasury_commands_total', { command: 'record-btc-sale', outcome: 'RuleViolated' })).toBe(1);
    expect(moved('treasury_commands_total', { command: 'record-btc-price', outcome: 'InvalidCommand' })).toBe(1);
    expect(moved('treasury_commands_total', { command: 'unknown', outcome: 'UnknownCommand' })).toBe(1);
    expect(after.some((s) => Object.values(s.labels).includes('no-such-command'))).toBe(false);
    expect(moved('treasury_commands_total')).toBe(7);
    expect(moved('treasury_command_duration_seconds_count', { command: 'record-btc-price' })).toBe(2);
    expect(moved('treasury_command_duration_seconds_sum')).toBeGreaterThan(0);

    // Group commits and fsyncs: the four appended commands, the alert and the webhook attempt each
    // reached the store in some commit; a commit that wrote is one fsync.
    const commits = moved('treasury_store_group_commit_appends_count');
    const appends = moved('treasury_store_group_commit_appends_sum');
    expect(appends).toBeGreaterThanOrEqual(6);
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThanOrEqual(appends);
    expect(moved('treasury_store_fsyncs_total')).toBeGreaterThanOrEqual(1);
    expect(moved('treasury_store_fsyncs_total')).toBeLessThanOrEqual(commits);
    expect(moved('treasury_store_group_commit_duration_seconds_count')).toBe(commits);

    // HTTP latency by route template: the book's id is nowhere in a route label.
    expect(
      moved('treasury_http_request_duration_seconds_count', { method: 'GET', route: '/v1/books/:bookId/position', status: '200' }),
    ).toBe(1);
    expect(
      moved('treasury_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/books/:bookId/commands/:command',
        status: '422',
      }),
    ).toBe(1);
    expect(after.filter((s) => s.labels['route']?.includes('acme'))).toEqual([]);

    // The projection: per-book event counts, checkpoint, head, lag (events and seconds), rebuild, snapshot age.
    expect(one(after, 'treasury_book_events', { book: 'acme' })?.value).toBe(await http.eventCount('acme'));
    const checkpoint = one(after, 'treasury_projection_checkpoint')!.value;
    const head = one(after, 'treasury_log_head')!.value;
    expect(checkpoint).toBeGreaterThan(0);
    expect(one(after, 'treasury_projection_lag_events')?.value).toBe(head - checkpoint);
    expect(one(after, 'treasury_projection_lag_seconds')?.value).toBeGreaterThanOrEqual(0);
    expect(one(after, 'treasury_projection_rebuilding')?.value).toBe(0);
    expect(one(after, 'treasury_projection_started')?.value).toBe(1);
    expect(one(after, 'treasury_projection_failed_books')?.value).toBe(0);
    expect(one(after, 'treasury_projection_snapshot_age_seconds')).toBeDefined();
    // The process's own: CPU, heap, event-loop delay.
    expect(one(after, 'nodejs_eventloop_lag_p99_seconds')).toBeDefined();
  });

  it('after a rebuild: not rebuilding, caught up, and the snapshot it saved has an age', async () => {
    expect((await app.http.post('/v1/admin/projections/rebuild', {})).status).toBe(200);
    const after = await scrape();
    expect(one(after, 'treasury_projection_rebuilding')?.value).toBe(0);
    expect(one(after, 'treasury_projection_rebuild_elapsed_seconds')?.value).toBe(0);
    expect(one(after, 'treasury_projection_lag_events')?.value).toBe(0);
    expect(one(after, 'treasury_projection_snapshot_age_seconds')?.value).toBeGreaterThanOrEqual(0);
  });
});
