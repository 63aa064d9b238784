/** A tiny JSON client over fetch: what a curl user does, with the parsed answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
  readonly body: any;
}

const answer = async (response: Response): Promise<HttpAnswer> => {
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, contentType, body: /\bjson\b/.test(contentType) ? JSON.parse(text) : text };
};

export class HttpClient {
  /** `headers` go with every request: the test app's client carries its admin key this way. */
  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  /** The same server, as another principal (`undefined`: with no credentials at all). */
  as(token: string | undefined): HttpClient {
    const { authorization: _dropped, ...others } = this.headers;
    return new HttpClient(this.baseUrl, token === undefined ? others : { ...others, authorization: `Bearer ${token}` });
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return answer(await fetch(`${this.baseUrl}${path}`, { headers: { ...this.headers, ...headers } }));
  }

  /** POSTs a JSON body; a string body is sent as is (for malformed-JSON tests). */
  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return answer(
      await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.headers, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  }

  command(bookId: string, command: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.post(`/v1/books/${bookId}/commands/${command}`, body, headers);
  }

  /** A command that must be accepted (test set-up): the 201 body, or an error naming what refused it. */
  async accepted(bookId: string, command: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await this.command(bookId, command, body, headers);
    if (response.status !== 201) throw new Error(`${command}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Every event of a book, following the pages. */
  async allEvents(bookId: string): Promise<ReadonlyArray<Record<string, unknown>>> {
    const events: Array<Record<string, unknown>> = [];
    let after: number | null = null;
    do {
      const page = await this.get(`/v1/books/${bookId}/events${after === null ? '' : `?after=${after}`}`);
      if (page.status !== 200) throw new Error(`listing events of ${bookId}: ${page.status} ${JSON.stringify(page.body)}`);
      events.push(...page.body.events);
      after = page.body.next;
    } while (after !== null);
    return events;
  }

  async eventCount(bookId: string): Promise<number> {
    const page = await this.get(`/v1/books/${bookId}/events`);
    return page.status === 404 ? 0 : (await this.allEvents(bookId)).length;
  }
}
