import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { FieldError } from '@treasury/domain';
import type { HttpLimits } from '../config/app-config';
import { invalidRequest, problem } from './problem';
import { sendProblem } from './problem-details.filter';

/** Liveness and readiness probes are never rate limited: an orchestrator must always get its answer. */
export const RATE_LIMIT_EXEMPT: ReadonlyArray<string> = ['/health', '/ready'];

/**
 * Who a request counts against: each credential is one principal (the Authorization header, hashed so
 * no secret is kept in memory as a key); a request without one counts against its client address
 * (IPv6 by /56, as express-rate-limit recommends, so one host cannot rotate through its addresses).
 */
export const rateLimitKey = (req: Request): string => {
  const authorization = req.headers.authorization;
  if (authorization !== undefined && authorization !== '')
    return `credential:${createHash('sha256').update(authorization).digest('base64url')}`;
  return `ip:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
};

/** A 429 problem with Retry-After: the seconds until the limiter's window ends. */
const tooMany =
  (slug: string, what: string) =>
  (req: Request, res: Response): void => {
    const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = resetTime === undefined ? 60 : Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000));
    res.setHeader('Retry-After', String(seconds));
    sendProblem(res, problem(429, slug, 'Too many requests', `${what}; retry after ${seconds} s.`, { retryAfterSeconds: seconds }));
  };

/** At most `rateLimitPerMinute` requests per principal per minute; beyond it 429 with Retry-After. */
export const rateLimiter = (limits: HttpLimits): RequestHandler =>
  rateLimit({
    windowMs: 60_000,
    limit: limits.rateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: rateLimitKey,
    skip: (req) => RATE_LIMIT_EXEMPT.includes(req.path),
    handler: tooMany('rate-limited', `More than ${limits.rateLimitPerMinute} requests in a minute from this principal`),
  });

/**
 * Bounds on the request target before any parsing: the whole of it (414), the number of query
 * parameters and the length of each name and value (400 naming `query.<name>`). Route handlers check
 * what each value means; this keeps a huge or numerous query from costing anything first.
 */
export const queryLimits =
  (limits: HttpLimits): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    const target = req.originalUrl ?? req.url;
    if (Buffer.byteLength(target) > limits.maxUrlBytes) {
      return sendProblem(
        res,
        problem(414, 'uri-too-long', 'URI too long', `The path and query string together exceed ${limits.maxUrlBytes} bytes.`),
      );
    }
    const start = target.indexOf('?');
    if (start < 0) return next();
    const raw = target
      .slice(start + 1)
      .split('&')
      .filter((part) => part !== '');
    if (raw.length > limits.maxQueryParams) {
      return sendProblem(
        res,
        invalidRequest([{ path: 'query', message: `has ${raw.length} parameters; at most ${limits.maxQueryParams} are accepted` }]),
      );
    }
    const errors: FieldError[] = [];
    for (const [name, value] of new URLSearchParams(target.slice(start + 1))) {
      if (name.length > 64) errors.push({ path: 'query', message: `a parameter name is longer than 64 characters` });
      else if (Buffer.byteLength(value) > limits.maxQueryValueBytes)
        errors.push({ path: `query.${name}`, message: `is longer than ${limits.maxQueryValueBytes} bytes` });
    }
    if (errors.length > 0) return sendProblem(res, invalidRequest(errors));
    next();
  };
