import { hostname } from 'node:os';
import * as E from 'fp-ts/Either';
import pino, { DestinationStream, Logger } from 'pino';

export type { Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** LOG_LEVEL: one of pino's levels; unset is `info`. A typo must not silence the server, so it is refused. */
export const logLevelFromEnv = (env: NodeJS.ProcessEnv): E.Either<string, LogLevel> => {
  const raw = env['LOG_LEVEL'];
  if (raw === undefined || raw === '') return E.right('info');
  return (LEVELS as ReadonlyArray<string>).includes(raw)
    ? E.right(raw as LogLevel)
    : E.left(`LOG_LEVEL must be one of ${LEVELS.join(', ')} (got ${JSON.stringify(raw.slice(0, 40))})`);
};

/**
 * Whatever an object handed to the logger carries, these never reach a line: credentials in headers,
 * webhook secrets, request and response bodies. The request log writes only the fields it names
 * (request-log.ts); this is the net under every other call.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'body',
  '*.body',
];

/**
 * The API's one logger: JSON lines (pino) to stdout, or to `destination` (tests). `time` is an ISO
 * instant and `level` its name, so a line reads without pino's tools.
 */
export const createLogger = (level: LogLevel, destination?: DestinationStream): Logger =>
  pino(
    {
      level,
      base: { service: 'treasury-engine', pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
