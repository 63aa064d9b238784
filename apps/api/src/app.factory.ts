import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, AppOverrides } from './app.module';
import { AppConfig, httpLimits } from './config/app-config';
import { HardenedExpressAdapter } from './http/http-server';
import { jsonBody } from './http/json-body';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { queryLimits, rateLimiter } from './http/request-limits';
import { applySecurityHeaders } from './http/security-headers';
import { Logger, createLogger } from './logging/logger';
import { PinoNestLogger } from './logging/nest-logger';
import { requestLog } from './logging/request-log';
import { httpMetrics } from './metrics/http-metrics';
import { Metrics } from './metrics/metrics.service';

/**
 * Builds the API exactly as main.ts runs it; end-to-end tests use it with a temporary store. `logger`:
 * pino's JSON lines at info on stdout (true), the given pino logger, or nothing (false).
 */
export const createApp = async (
  config: AppConfig,
  overrides: AppOverrides = {},
  logger: boolean | Logger = true,
): Promise<INestApplication> => {
  const limits = httpLimits(config);
  const log = logger === true ? createLogger('info') : logger === false ? createLogger('silent') : logger;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, overrides), new HardenedExpressAdapter(limits), {
    bodyParser: false,
    logger: logger === false ? false : new PinoNestLogger(log),
  });
  // Our ETags are book revisions; Express's content-hash ETags on other responses would only confuse If-Match.
  app.set('etag', false);
  app.disable('x-powered-by');
  app.set('trust proxy', limits.trustProxy);
  // Every request gets its id and its log line and is timed, refused ones included: these come first.
  app.use(requestLog(log));
  app.use(httpMetrics(app.get(Metrics)));
  // Cheapest refusals first: headers, then an oversized target, then the principal's rate, then the body.
  applySecurityHeaders(app, limits);
  app.use(queryLimits(limits));
  if (limits.rateLimitPerMinute > 0) app.use(rateLimiter(limits));
  for (const handler of jsonBody()) app.use(handler);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  return app;
};
