import { mkdtempSync, rmSync } from 'node:fs';
import { Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import * as E from 'fp-ts/Either';
import { FeedNotifier } from '@treasury/application';
import { AlertMetadata, AlertRaisedData, alertStream } from '@treasury/domain';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FeedStreams } from './feed-streams';

/** FeedStreams on a real socket: the keep-alive comment, and a client that stops reading is dropped, not buffered for. */
describe('FeedStreams', () => {
  let dir: string;
  let store: SqliteEventStore;
  let notifier: FeedNotifier;
  let server: Server;
  let streams: FeedStreams;
  let port: number;

  const figures = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`figure${i}`, 'x'.repeat(30)]));
  const alert = (i: number) => ({
    eventId: `alert-${i}`,
    type: 'AlertRaised',
    data: AlertRaisedData.encode({
      kind: 'price-staleness',
      subject: null,
      from: 'fresh',
      to: 'stale',
      figures,
      causedBy: { timer: 1_770_000_000_000 },
      detectedAt: 1_770_000_000_000,
    }),
    metadata: AlertMetadata.encode({ recordedAt: 1_770_000_000_000, actor: 'test' }),
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'feed-'));
    store = new SqliteEventStore(join(dir, 'treasury.db'));
    notifier = new FeedNotifier(store);
    await notifier.start();
    streams = new FeedStreams(store, { book: () => undefined }, notifier, {
      perPrincipal: 2,
      total: 3,
      heartbeatMs: 100,
      drainTimeoutMs: 300,
      retryMs: 1000,
    });
    const app = express();
    app.get('/stream', (req, res) => void streams.serve(req, res, 'p', 0n, () => true).catch(() => res.status(429).end()));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    streams.closeAll();
    await new Promise((resolve) => server.close(resolve));
    await notifier.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says it is alive after heartbeatMs of silence', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    await new Promise((resolve) => setTimeout(resolve, 350));
    socket.destroy();
    expect(text.toLowerCase()).toContain('content-type: text/event-stream');
    expect(text).toContain('retry: 1000');
    expect(text.split(': keep-alive').length - 1).toBeGreaterThanOrEqual(2);
  });

  it('drops a client that stops reading instead of buffering the log for it; the server holds no more than a slice for it', async () => {
    for (let batch = 0; batch < 20; batch++) {
      const appended = await store.append(
        alertStream('acme'),
        Array.from({ length: 1_000 }, (_, i) => alert(batch * 1_000 + i)),
        batch === 0 ? 'no-stream' : batch * 1_000 - 1,
      )();
      if (E.isLeft(appended)) throw new Error(appended.left._tag);
    }
    // About 20 MB of messages; the client reads the headers and then nothing.
    const socket = connect(port, '127.0.0.1');
    socket.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    let received = 0;
    socket.on('error', () => undefined);
    socket.once('data', (chunk) => {
      received += chunk.length;
      socket.pause();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(streams.openStreams).toBe(1);
    const heapBefore = process.memoryUsage().heapUsed;
    // The server stops waiting for it after drainTimeoutMs and drops it (a paused client only notices when it reads again).
    for (let i = 0; i < 100 && streams.openStreams > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(streams.openStreams).toBe(0);
    socket.destroy();
    // What the server held for it is bounded by one slice and the socket's buffers, far below the 20 MB.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(15_000_000);
    expect(received).toBeGreaterThan(0);
  });

  it('refuses a stream beyond the per-principal bound', async () => {
    const open = () => {
      const socket = connect(port, '127.0.0.1');
      socket.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
      return new Promise<{ socket: typeof socket; head: string }>((resolve) =>
        socket.once('data', (chunk) => resolve({ socket, head: chunk.toString() })),
      );
    };
    const first = await open();
    const second = await open();
    const third = await open();
    expect([first.head, second.head, third.head].map((h) => h.slice(9, 12))).toEqual(['200', '200', '429']);
    for (const s of [first, second, third]) s.socket.destroy();
  });
});
