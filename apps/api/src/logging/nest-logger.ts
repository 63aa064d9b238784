import type { LoggerService } from '@nestjs/common';
import type { Logger } from './logger';

/** Nest's context argument (`new Logger('Projection')`) is the last of the optional params when it is a string. */
const split = (params: unknown[]): { readonly context: string | undefined; readonly rest: unknown[] } => {
  const last = params[params.length - 1];
  return typeof last === 'string' && params.length > 0
    ? { context: last, rest: params.slice(0, -1) }
    : { context: undefined, rest: params };
};

const line = (message: unknown, params: unknown[]): { readonly fields: Record<string, unknown>; readonly msg: string } => {
  const { context, rest } = split(params);
  const fields: Record<string, unknown> = context === undefined ? {} : { context };
  // Nest passes an error's stack as the parameter before the context.
  if (rest.length > 0 && typeof rest[0] === 'string') fields['stack'] = rest[0];
  const msg = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
  return { fields, msg };
};

/**
 * Nest's own messages (start-up, the projection's and webhooks' warnings, unexpected errors) as pino
 * JSON lines: one format for everything the process writes.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]): void {
    const { fields, msg } = line(message, params);
    this.logger[level](fields, msg);
  }
}
