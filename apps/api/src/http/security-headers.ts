import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';
import type { HttpLimits } from '../config/app-config';

/**
 * helmet's defaults on every answer (Content-Security-Policy, nosniff, frame denial, no referrer,
 * HSTS, cross-origin isolation headers), and CORS only for the origins configured: with none, a
 * browser page from another origin cannot read any answer.
 */
export const applySecurityHeaders = (app: INestApplication, limits: HttpLimits): void => {
  app.use(helmet());
  if (limits.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...limits.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Content-Encoding', 'Idempotency-Key', 'If-Match', 'X-Correlation-Id'],
      exposedHeaders: ['ETag', 'Idempotent-Replayed', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'Location'],
      maxAge: 600,
    });
  }
};
