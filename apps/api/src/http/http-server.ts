import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { HttpLimits } from '../config/app-config';
import { Problem, problem } from './problem';

/** How long a refused connection may keep sending before it is cut: enough to read its answer. */
const DRAIN_MS = 2_000;

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** The problem for an error Node's HTTP parser raised before any route saw the request. */
export const clientErrorProblem = (code: string | undefined, limits: HttpLimits): Problem => {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem(
        431,
        'headers-too-large',
        'Request headers too large',
        `The request line and headers together exceed ${limits.maxHeaderBytes} bytes.`,
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(
        408,
        'request-timeout',
        'Request timeout',
        `The request was not received in time (headers within ${limits.headersTimeoutMs} ms, the whole request within ${limits.requestTimeoutMs} ms).`,
      );
    default:
      return problem(400, 'malformed-http', 'Malformed HTTP request', 'The request is not valid HTTP/1.1.');
  }
};

/**
 * Node answers a parser error (e.g. headers over maxHeaderSize) by writing a bare status line and
 * destroying the socket at once; if the client is still sending, the unread bytes make the kernel
 * answer with a TCP reset, and the client may see ECONNRESET instead of the status. Here the answer is
 * a problem document, the write side is closed (FIN) after it, and whatever the client still sends is
 * read and discarded for a short while, so the answer arrives before the connection goes.
 */
export const answerClientError = (limits: HttpLimits) => {
  const answered = new WeakSet<Socket>();
  return (error: Error & { code?: string }, socket: Socket): void => {
    // The parser reports again for each further chunk once it has failed: answer once.
    if (answered.has(socket)) return;
    answered.add(socket);
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const answer = clientErrorProblem(error.code, limits);
    const body = JSON.stringify(answer);
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_TEXT[answer.status] ?? 'Bad Request'}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
    socket.end();
    socket.on('data', () => undefined);
    socket.resume();
    const cut = setTimeout(() => socket.destroy(), DRAIN_MS);
    cut.unref();
    socket.once('close', () => clearTimeout(cut));
  };
};

/**
 * Nest's Express adapter with a hardened Node server: bounded headers, timeouts against slow clients
 * (slowloris), and parser errors answered as problem documents.
 */
export class HardenedExpressAdapter extends ExpressAdapter {
  constructor(private readonly limits: HttpLimits) {
    super();
  }

  override initHttpServer(_options: NestApplicationOptions): void {
    const limits = this.limits;
    const server = createServer(
      {
        maxHeaderSize: limits.maxHeaderBytes,
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        // How often Node looks for connections past headersTimeout/requestTimeout (default 30 s).
        connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
      },
      this.getInstance(),
    );
    server.on('clientError', answerClientError(limits));
    this.httpServer = server;
  }
}
