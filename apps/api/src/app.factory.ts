import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, AppOverrides } from './app.module';
import type { AppConfig } from './config/app-config';
import { jsonBody } from './http/json-body';
import { ProblemDetailsFilter } from './http/problem-details.filter';

/** Builds the API exactly as main.ts runs it; end-to-end tests use it with a temporary store. */
export const createApp = async (config: AppConfig, overrides: AppOverrides = {}, logger = true): Promise<INestApplication> => {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, overrides), {
    bodyParser: false,
    logger: logger ? ['log', 'warn', 'error'] : false,
  });
  // Our ETags are book revisions; Express's content-hash ETags on other responses would only confuse If-Match.
  app.set('etag', false);
  app.disable('x-powered-by');
  for (const handler of jsonBody()) app.use(handler);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  return app;
};
