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

/** Builds the API exactly as main.ts runs it; end-to-end tests use it with a temporary store. */
export const createApp = async (config: AppConfig, overrides: AppOverrides = {}, logger = true): Promise<INestApplication> => {
  const limits = httpLimits(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, overrides), new HardenedExpressAdapter(limits), {
    bodyParser: false,
    logger: logger ? ['log', 'warn', 'error'] : false,
  });
  // Our ETags are book revisions; Express's content-hash ETags on other responses would only confuse If-Match.
  app.set('etag', false);
  app.disable('x-powered-by');
  app.set('trust proxy', limits.trustProxy);
  // Cheapest refusals first: headers, then an oversized target, then the principal's rate, then the body.
  applySecurityHeaders(app, limits);
  app.use(queryLimits(limits));
  if (limits.rateLimitPerMinute > 0) app.use(rateLimiter(limits));
  for (const handler of jsonBody()) app.use(handler);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  return app;
};
