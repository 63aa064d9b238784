import * as E from 'fp-ts/Either';

/** Where /metrics is served: its own port, on the loopback interface unless METRICS_HOST says otherwise. */
export interface MetricsServerConfig {
  readonly port: number;
  readonly host: string;
}

export const DEFAULT_METRICS_HOST = '127.0.0.1';

/**
 * METRICS_PORT turns the metrics server on (off by default: two instances on one machine must not
 * fight over a port nobody asked for); METRICS_HOST is where it listens, the loopback by default.
 */
export const metricsConfigFromEnv = (env: NodeJS.ProcessEnv): E.Either<string, MetricsServerConfig | undefined> => {
  const port = env['METRICS_PORT'];
  if (port === undefined || port === '') return E.right(undefined);
  const number = /^[1-9]\d{0,4}$/.test(port) ? Number(port) : NaN;
  if (!(number <= 65_535)) return E.left(`METRICS_PORT must be a port number from 1 to 65535 (got ${JSON.stringify(port.slice(0, 40))})`);
  const host = env['METRICS_HOST'];
  if (host !== undefined && host !== '' && !/^[A-Za-z0-9.:-]{1,253}$/.test(host))
    return E.left(`METRICS_HOST must be a host name or an IP address (got ${JSON.stringify(host.slice(0, 40))})`);
  return E.right({ port: number, host: host === undefined || host === '' ? DEFAULT_METRICS_HOST : host });
};

/** Whether a host keeps the metrics on this machine. */
export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\./.test(host);
