import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsServerConfig } from './metrics-config';

export interface MetricsText {
  readonly contentType: string;
  text(): Promise<string>;
}

/**
 * The scrape endpoint on its own port: GET /metrics and nothing else. It has no keys to check because
 * it is not on the API's port: whoever can reach this port (the loopback by default) may read it.
 */
export const startMetricsServer = async (metrics: MetricsText, config: MetricsServerConfig): Promise<Server> => {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found: scrape /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    metrics.text().then(
      (body) => response.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }).end(body),
      (error: unknown) =>
        response
          .writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
          .end(`metrics failed: ${error instanceof Error ? error.message : ''}\n`),
    );
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
};

export const addressOf = (server: Server): AddressInfo => server.address() as AddressInfo;

export const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
