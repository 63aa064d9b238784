/**
 * The HTTP side of a delivery, behind a port so the worker's tests can count calls. The real one is
 * Node's fetch: redirects are not followed (a 3xx is a failure: a receiver that moved must be
 * registered again), each attempt has its own timeout, and at most MAX_RESPONSE_BYTES of the answer
 * is read (only its status matters), so a receiver cannot stall or flood the worker.
 */
export interface DeliveryRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

export type DeliveryOutcome =
  { readonly ok: true; readonly statusCode: number } | { readonly ok: false; readonly statusCode?: number; readonly error: string };

export abstract class WebhookTransport {
  abstract post(request: DeliveryRequest): Promise<DeliveryOutcome>;
}

export const MAX_RESPONSE_BYTES = 16 * 1024;

const drain = async (body: ReadableStream<Uint8Array> | null): Promise<void> => {
  if (body === null) return;
  const reader = body.getReader();
  let read = 0;
  try {
    while (read < MAX_RESPONSE_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) return;
      read += chunk.value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
};

export class FetchTransport extends WebhookTransport {
  async post({ url, headers, body, timeoutMs }: DeliveryRequest): Promise<DeliveryOutcome> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal });
      await drain(response.body).catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
      const why = response.status >= 300 && response.status < 400 ? 'redirects are not followed' : 'not a 2xx answer';
      return { ok: false, statusCode: response.status, error: `HTTP ${response.status}: ${why}` };
    } catch (error) {
      if (signal.aborted) return { ok: false, error: `no answer within ${timeoutMs} ms` };
      const cause =
        error instanceof Error && error.cause instanceof Error
          ? error.cause.message
          : error instanceof Error
            ? error.message
            : String(error);
      return { ok: false, error: cause.slice(0, 200) };
    }
  }
}
