import * as E from 'fp-ts/Either';
import { DEFAULT_HTTP_LIMITS, configFromEnv, httpLimits } from './app-config';

const config = (env: NodeJS.ProcessEnv) => configFromEnv({ TREASURY_DB: ':memory:', ...env });

describe('configFromEnv: host and HTTP limits', () => {
  it('listens on loopback unless every interface is asked for', () => {
    const defaults = config({});
    expect(E.isRight(defaults) && defaults.right.host).toBe('127.0.0.1');
    const open = config({ HOST: '0.0.0.0' });
    expect(E.isRight(open) && open.right.host).toBe('0.0.0.0');
    const v6 = config({ HOST: '::1' });
    expect(E.isRight(v6) && v6.right.host).toBe('::1');
  });

  it('refuses a HOST that is not an address or name', () => {
    expect(config({ HOST: 'http://0.0.0.0/' })).toEqual(E.left(expect.stringContaining('HOST')));
  });

  it('reads RATE_LIMIT_PER_MINUTE: a positive integer, or off', () => {
    const limits = (env: NodeJS.ProcessEnv) => {
      const read = config(env);
      if (E.isLeft(read)) throw new Error(read.left);
      return httpLimits(read.right);
    };
    expect(limits({}).rateLimitPerMinute).toBe(DEFAULT_HTTP_LIMITS.rateLimitPerMinute);
    expect(limits({ RATE_LIMIT_PER_MINUTE: '30' }).rateLimitPerMinute).toBe(30);
    expect(limits({ RATE_LIMIT_PER_MINUTE: 'off' }).rateLimitPerMinute).toBe(0);
    for (const bad of ['0', '-5', '1.5', 'lots'])
      expect(config({ RATE_LIMIT_PER_MINUTE: bad })).toEqual(E.left(expect.stringContaining('RATE_LIMIT_PER_MINUTE')));
  });

  it('reads TRUST_PROXY: off by default, a hop count, true/false, or addresses and subnets', () => {
    const proxy = (env: NodeJS.ProcessEnv) => {
      const read = config(env);
      if (E.isLeft(read)) throw new Error(read.left);
      return httpLimits(read.right).trustProxy;
    };
    expect(proxy({})).toBe(false);
    expect(proxy({ TRUST_PROXY: '1' })).toBe(1);
    expect(proxy({ TRUST_PROXY: 'true' })).toBe(true);
    expect(proxy({ TRUST_PROXY: 'loopback, 10.0.0.0/8' })).toBe('loopback, 10.0.0.0/8');
    expect(config({ TRUST_PROXY: 'every$one' })).toEqual(E.left(expect.stringContaining('TRUST_PROXY')));
  });

  it('reads CORS_ORIGINS as exact origins; none by default; a wildcard is refused', () => {
    const read = config({ CORS_ORIGINS: 'https://treasury.example.com, http://localhost:5173' });
    expect(E.isRight(read) && httpLimits(read.right).corsOrigins).toEqual(['https://treasury.example.com', 'http://localhost:5173']);
    const none = config({});
    expect(E.isRight(none) && httpLimits(none.right).corsOrigins).toEqual([]);
    for (const bad of ['*', 'https://*.example.com', 'treasury.example.com', 'https://a.example/path']) {
      expect(config({ CORS_ORIGINS: bad })).toEqual(E.left(expect.stringContaining('CORS_ORIGINS')));
    }
  });
});
