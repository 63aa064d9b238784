import * as E from 'fp-ts/Either';
import { logLevelFromEnv } from '../logging/logger';
import { isLoopback, metricsConfigFromEnv } from './metrics-config';

describe('METRICS_PORT, METRICS_HOST and LOG_LEVEL', () => {
  it('serves no metrics unless METRICS_PORT is set, and then on the loopback', () => {
    expect(metricsConfigFromEnv({})).toEqual(E.right(undefined));
    expect(metricsConfigFromEnv({ METRICS_PORT: '9464' })).toEqual(E.right({ port: 9464, host: '127.0.0.1' }));
    expect(metricsConfigFromEnv({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toEqual(E.right({ port: 9464, host: '0.0.0.0' }));
  });

  it('refuses a port that is not one, and a host with odd characters', () => {
    for (const port of ['0', '65536', '94a', '-1', ' 9464', '09464'])
      expect(metricsConfigFromEnv({ METRICS_PORT: port })).toEqual(E.left(expect.stringContaining('METRICS_PORT')));
    expect(metricsConfigFromEnv({ METRICS_PORT: '9464', METRICS_HOST: 'a b' })).toEqual(E.left(expect.stringContaining('METRICS_HOST')));
  });

  it('tells the loopback from the rest', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '::', '10.0.0.5'].map(isLoopback)).toEqual([false, false, false]);
  });

  it('LOG_LEVEL: info by default, one of pino levels, a typo refused', () => {
    expect(logLevelFromEnv({})).toEqual(E.right('info'));
    expect(logLevelFromEnv({ LOG_LEVEL: 'warn' })).toEqual(E.right('warn'));
    expect(logLevelFromEnv({ LOG_LEVEL: 'verbose' })).toEqual(E.left(expect.stringContaining('LOG_LEVEL')));
  });
});
