import * as E from 'fp-ts/Either';
import { StoreConfig, storeConfigFromEnv } from '@treasury/startup';
import { AuthConfig, authConfigFromEnv } from '../auth/auth-config';

/**
 * How the API is wired, read once from the environment at start-up: the store (the start-up module's
 * part, which the CLI reads too) and what only the server needs.
 */
export interface AppConfig extends StoreConfig {
  readonly port: number;
  /** The interface to listen on; absent means DEFAULT_HOST (loopback only). */
  readonly host?: string;
  /** Authentication; absent means on, with the bootstrap key file beside the SQLite file. */
  readonly auth?: AuthConfig;
  /** Limits and defenses of the HTTP layer; each absent field takes its DEFAULT_HTTP_LIMITS value. */
  readonly http?: Partial<HttpLimits>;
}

/** What the HTTP layer refuses, and how long it waits for a client. */
export interface HttpLimits {
  /** Requests per principal (credential, else client IP) per minute; 0 turns rate limiting off. */
  readonly rateLimitPerMinute: number;
  /**
   * Refused authentications (401) per client address per minute; beyond it every request from that
   * address is 429 until the minute is out. Cycling through made-up keys would otherwise dodge the
   * per-credential limit, and a wrong secret for a real prefix costs an scrypt hash. 0 turns it off.
   */
  readonly authFailuresPerMinute: number;
  /** Origins a browser may call the API from; empty: no CORS headers at all (same origin only). */
  readonly corsOrigins: ReadonlyArray<string>;
  /** Request line and headers together (Node's maxHeaderSize); beyond it the answer is 431. */
  readonly maxHeaderBytes: number;
  /** The request target (path and query string); beyond it the answer is 414. */
  readonly maxUrlBytes: number;
  /** How many query parameters, and how long each name or value may be; beyond it the answer is 400. */
  readonly maxQueryParams: number;
  readonly maxQueryValueBytes: number;
  /** A client has this long to send the request line and every header (slowloris); then 408 and close. */
  readonly headersTimeoutMs: number;
  /** ...and this long for the whole request, body included. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  readonly keepAliveTimeoutMs: number;
  /**
   * Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client address (rate
   * limits key on it). `false` by default: behind a load balancer set TRUST_PROXY (a hop count, or
   * addresses/subnets such as `loopback, 10.0.0.0/8`), or every client shares the balancer's address.
   */
  readonly trustProxy: boolean | number | string;
}

export const DEFAULT_HOST = '127.0.0.1';

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  rateLimitPerMinute: 6000,
  authFailuresPerMinute: 100,
  corsOrigins: [],
  maxHeaderBytes: 16 * 1024,
  maxUrlBytes: 8 * 1024,
  maxQueryParams: 32,
  maxQueryValueBytes: 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  trustProxy: false,
};

export const httpLimits = (config: AppConfig): HttpLimits => ({ ...DEFAULT_HTTP_LIMITS, ...config.http });

/** Reads the environment; a bad value stops start-up with a message naming the variable. */
export const configFromEnv = (env: NodeJS.ProcessEnv): E.Either<string, AppConfig> => {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) return E.left(`PORT must be a TCP port number, got "${env.PORT}"`);
  const host = env.HOST === undefined || env.HOST === '' ? DEFAULT_HOST : env.HOST;
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host))
    return E.left(`HOST must be an interface address or name such as 127.0.0.1 or 0.0.0.0, got "${env.HOST}"`);
  const http = httpFromEnv(env);
  if (E.isLeft(http)) return http;
  const store = storeConfigFromEnv(env);
  if (E.isLeft(store)) return store;
  const { eventStore } = store.right;
  const auth = authConfigFromEnv(env, host, eventStore.kind === 'sqlite' ? eventStore.path : undefined);
  if (E.isLeft(auth)) return auth;
  return E.right({ port, host, ...store.right, http: http.right, auth: auth.right });
};

/** RATE_LIMIT_PER_MINUTE (a positive integer, or `off`) and CORS_ORIGINS (comma-separated origins). */
const httpFromEnv = (env: NodeJS.ProcessEnv): E.Either<string, Partial<HttpLimits>> => {
  const limits: { rateLimitPerMinute?: number; corsOrigins?: ReadonlyArray<string>; trustProxy?: boolean | number | string } = {};
  const proxy = env.TRUST_PROXY?.trim();
  if (proxy !== undefined && proxy !== '') {
    if (proxy === 'true' || proxy === 'false') limits.trustProxy = proxy === 'true';
    else if (/^\d{1,2}$/.test(proxy)) limits.trustProxy = Number(proxy);
    else if (/^[A-Za-z0-9.:/, ]{1,500}$/.test(proxy)) limits.trustProxy = proxy;
    else return E.left(`TRUST_PROXY must be true, false, a hop count or a comma-separated list of addresses or subnets, got "${proxy}"`);
  }
  const rate = env.RATE_LIMIT_PER_MINUTE;
  if (rate !== undefined && rate !== '') {
    if (rate === 'off') limits.rateLimitPerMinute = 0;
    else if (/^[1-9]\d{0,8}$/.test(rate)) limits.rateLimitPerMinute = Number(rate);
    else return E.left(`RATE_LIMIT_PER_MINUTE must be a positive integer or "off", got "${rate}"`);
  }
  const cors = env.CORS_ORIGINS;
  if (cors !== undefined && cors.trim() !== '') {
    const origins = cors
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== '');
    // An exact scheme://host[:port] each: a wildcard would let any site read the books with a user's credentials.
    const bad = origins.find((origin) => !/^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(origin));
    if (bad !== undefined) return E.left(`CORS_ORIGINS must be comma-separated origins such as https://treasury.example.com, got "${bad}"`);
    limits.corsOrigins = origins;
  }
  return E.right(limits);
};
