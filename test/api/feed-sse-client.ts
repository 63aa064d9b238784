import { ClientRequest, IncomingMessage, request } from 'node:http';

export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  readonly data: any;
}

/** A Server-Sent Events receiver over node:http, as a fetch-based client reads the feed: headers set, frames parsed as they arrive. */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  retry: number | undefined;
  status = 0;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a problem document
  problem: any;
  ended = false;
  private buffer = '';
  private req: ClientRequest | undefined;
  private res: IncomingMessage | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** Opens the stream; resolves with the status once the headers (or a whole problem document) arrived. */
  open(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.req = request(this.url, { headers: this.headers }, (res) => {
        this.res = res;
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        if (this.status !== 200) {
          let body = '';
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            this.problem = body === '' ? undefined : JSON.parse(body);
            resolve(this.status);
          });
          return;
        }
        res.on('data', (chunk: string) => this.receive(chunk));
        res.on('end', () => {
          this.ended = true;
          this.notify();
        });
        res.on('error', () => undefined);
        resolve(this.status);
      });
      this.req.on('error', (error) => (this.status === 0 ? reject(error) : undefined));
      this.req.end();
    });
  }

  /** Waits until `done` holds over the messages received (or fails after `timeoutMs`). */
  waitFor(done: (messages: ReadonlyArray<SseMessage>) => boolean, timeoutMs = 5_000): Promise<void> {
    if (done(this.messages)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done(this.messages)) {
          clearTimeout(timer);
          this.listeners.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out with ${this.messages.length} messages: ${this.messages.map((m) => `${m.id}:${m.event}`).join(', ')}`));
      }, timeoutMs);
      this.listeners.add(check);
    });
  }

  waitForEnd(timeoutMs = 5_000): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.ended) {
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => reject(new Error('the stream did not end')), timeoutMs);
      this.listeners.add(check);
    });
  }

  get lastId(): string | undefined {
    return this.messages[this.messages.length - 1]?.id;
  }

  close(): void {
    this.res?.destroy();
    this.req?.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      let event: string | undefined;
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
        else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
      }
      if (data.length > 0) this.messages.push({ id, event, data: JSON.parse(data.join('\n')) });
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
