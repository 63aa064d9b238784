import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './logger';
import { routeTemplate } from './route-template';

/**
 * A caller's or proxy's request id is kept when it is a plain token (a UUID, nginx's hex $request_id, a
 * ULID…): letters, digits and `._:-`, at most 64. Anything else is replaced by a fresh UUID rather
 * than refused: a tracing header must not fail a request, and what is logged stays a harmless token.
 */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const requestIdOf = (request: IncomingMessage): string => {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
};

/**
 * The request id, answered in X-Request-Id, also becomes the command's correlation id (recorded in
 * every event's metadata) unless the caller sent its own X-Correlation-Id: the commands controller reads
 * that header, so the id is put there.
 */
const assignRequestId = (request: IncomingMessage, response: ServerResponse): string => {
  const id = requestIdOf(request);
  response.setHeader('X-Request-Id', id);
  // An empty header counts as none: events must not carry '' as their correlation id.
  if (!request.headers['x-correlation-id']) request.headers['x-correlation-id'] = id;
  return id;
};

/** What one request's line says besides its requestId, and only that: no headers (credentials), no body (amounts), no query string. */
const requestLine = (request: IncomingMessage, response: ServerResponse, durationMs: number) => ({
  method: request.method,
  route: routeTemplate(request),
  status: response.statusCode,
  durationMs,
});

/**
 * One JSON line per request when its response has been sent (or the client went away): method, route
 * template, status, duration in ms, request id. 5xx at error level, the rest at info; a client gone
 * before the answer is `aborted: true` at info (every event stream ends that way: not an error). Written straight to the process logger: pino-http's per-request child
 * loggers cost about a tenth of a small request's CPU in the bench and add nothing this line needs.
 */
export const requestLog =
  (logger: Logger) =>
  (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    const requestId = assignRequestId(request, response);
    let logged = false;
    const line = () => {
      if (logged) return;
      logged = true;
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e3) / 1e3;
      const fields = { requestId, ...requestLine(request, response, durationMs) };
      if (!response.writableFinished) logger.info({ ...fields, aborted: true }, 'request ended by the client');
      else if (response.statusCode >= 500) logger.error(fields, 'request');
      else logger.info(fields, 'request');
    };
    response.once('finish', line);
    response.once('close', line);
    next();
  };
