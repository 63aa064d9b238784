import type { IncomingMessage, ServerResponse } from 'node:http';
import { routeTemplate } from '../logging/route-template';
import type { Metrics } from './metrics.service';

/** Times every request from its first byte handled to its response sent (or the client gone), by route template. */
export const httpMetrics =
  (metrics: Metrics) =>
  (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeHttp(request.method ?? 'OTHER', routeTemplate(request), response.statusCode, seconds);
    };
    response.once('finish', record);
    response.once('close', record);
    next();
  };
