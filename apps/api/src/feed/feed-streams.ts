import type { Request, Response } from 'express';
import * as E from 'fp-ts/Either';
import { FeedInclude, FeedItem, FeedLinks, FeedNotifier, feedItemsAfter } from '@treasury/application';
import { EventStore } from '@treasury/event-store';
import { ProblemException, problem } from '../http/problem';

export interface FeedStreamLimits {
  /** Open streams one principal may hold at once. */
  readonly perPrincipal: number;
  /** Open streams the server holds at once. */
  readonly total: number;
  /** A comment line is sent when nothing else was for this long, so proxies and clients know the stream is alive. */
  readonly heartbeatMs: number;
  /** How long a client may leave written data unread before its stream is dropped (it resumes with Last-Event-ID). */
  readonly drainTimeoutMs: number;
  /** The reconnection delay suggested to clients (`retry:`). */
  readonly retryMs: number;
}

export const DEFAULT_FEED_LIMITS: FeedStreamLimits = {
  perPrincipal: 5,
  total: 200,
  heartbeatMs: 15_000,
  drainTimeoutMs: 30_000,
  retryMs: 3_000,
};

/** One SSE message: `id` the log position (the resume cursor), `event` the type, `data` the item's JSON (one line). */
export const sseMessage = (item: FeedItem): string =>
  `id: ${item.logPosition}\nevent: ${item.type}\ndata: ${JSON.stringify(item.view)}\n\n`;

/** Events read per slice of a stream: decoding and formatting them stays within a few milliseconds. */
const SCAN = 250;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The open SSE streams: bounded per principal and in total, each reading the log from its own cursor
 * (catch-up and live are one loop), writing only when the client has taken what was written before,
 * and all ended when the server shuts down.
 */
export class FeedStreams {
  private readonly open = new Map<string, number>();
  private readonly streams = new Map<Response, AbortController>();
  private count = 0;

  constructor(
    private readonly store: EventStore,
    private readonly links: FeedLinks,
    private readonly notifier: FeedNotifier,
    readonly limits: FeedStreamLimits = DEFAULT_FEED_LIMITS,
  ) {}

  /** Streams the items `include` lets through, strictly after `after`, until the client goes or the server stops. */
  async serve(req: Request, res: Response, principalId: string, after: bigint, include: FeedInclude): Promise<void> {
    const held = this.open.get(principalId) ?? 0;
    if (held >= this.limits.perPrincipal || this.count >= this.limits.total) {
      res.setHeader('Retry-After', '5');
      const detail =
        held >= this.limits.perPrincipal
          ? `${principalId} already holds ${held} open streams (at most ${this.limits.perPrincipal}).`
          : `The server holds ${this.count} open streams (at most ${this.limits.total}).`;
      throw new ProblemException(problem(429, 'too-many-streams', 'Too many requests', detail, { retryAfterSeconds: 5 }));
    }
    this.open.set(principalId, held + 1);
    this.count += 1;
    const closed = new AbortController();
    this.streams.set(res, closed);
    const onClose = () => closed.abort();
    req.socket.once('close', onClose);
    res.once('close', onClose);
    try {
      await this.pump(res, after, include, closed.signal);
    } finally {
      req.socket.off('close', onClose);
      this.streams.delete(res);
      this.count -= 1;
      const left = (this.open.get(principalId) ?? 1) - 1;
      if (left === 0) this.open.delete(principalId);
      else this.open.set(principalId, left);
      if (!res.writableEnded) res.end();
    }
  }

  /** Ends every open stream (server shut-down): clients reconnect with Last-Event-ID and lose nothing. */
  closeAll(): void {
    for (const [res, closed] of this.streams) {
      closed.abort();
      res.end();
    }
  }

  get openStreams(): number {
    return this.count;
  }

  private async pump(res: Response, after: bigint, include: FeedInclude, closed: AbortSignal): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    // no-transform: no proxy or compression layer may hold the stream back to buffer it.
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    let cursor = after;
    let lastWrite = Date.now();
    const write = async (chunk: string): Promise<boolean> => {
      lastWrite = Date.now();
      if (res.write(chunk)) return true;
      // Back-pressure: wait for the client to read; one that does not within the limit is dropped.
      const drained = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => finish(false), this.limits.drainTimeoutMs);
        const finish = (ok: boolean) => {
          clearTimeout(timer);
          res.off('drain', onDrain);
          closed.removeEventListener('abort', onAbort);
          resolve(ok);
        };
        const onDrain = () => finish(true);
        const onAbort = () => finish(false);
        res.on('drain', onDrain);
        closed.addEventListener('abort', onAbort);
      });
      if (!drained && !closed.aborted) res.destroy();
      return drained;
    };
    if (!(await write(`retry: ${this.limits.retryMs}\n: resuming after ${cursor}\n\n`))) return;
    while (!closed.aborted && !res.writableEnded) {
      const page = await feedItemsAfter(this.store, this.links, cursor, include, { maxScan: SCAN })();
      if (E.isLeft(page)) {
        // Mid-stream nothing but a comment can be said; the client reconnects from its last id.
        await write(`: store unavailable (${page.left.message.replace(/[\r\n]/g, ' ')}); reconnect\n\n`);
        return;
      }
      const chunk = page.right.items.map(sseMessage).join('');
      if (chunk.length > 0 && !(await write(chunk))) return;
      cursor = page.right.cursor;
      if (!page.right.atEnd) {
        await yieldToEventLoop();
        continue;
      }
      const quietFor = Date.now() - lastWrite;
      if (quietFor >= this.limits.heartbeatMs) {
        if (!(await write(': keep-alive\n\n'))) return;
        continue;
      }
      await this.notifier.waitAfter(cursor, this.limits.heartbeatMs - quietFor, closed);
    }
  }
}
