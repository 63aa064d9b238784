import { json } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { invalidRequest, problem } from './problem';
import { sendProblem } from './problem-details.filter';

/** Commands are small; a megabyte is far beyond any legitimate one. */
export const BODY_LIMIT = '1mb';

/**
 * The JSON body parser and its error handler, registered before any route. Express would otherwise
 * answer a malformed body with an HTML page: here it becomes a problem document like every other error.
 */
export const jsonBody = (): ReadonlyArray<RequestHandler | ((error: unknown, req: Request, res: Response, next: NextFunction) => void)> => [
  json({ limit: BODY_LIMIT, strict: false }),
  (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const kind = (error as { type?: unknown } | null)?.type;
    if (kind === 'entity.parse.failed') {
      return sendProblem(res, invalidRequest([{ path: '', message: 'is not valid JSON' }], 'The request body is not valid JSON.'));
    }
    if (kind === 'entity.too.large') return sendProblem(res, problem(413, 'body-too-large', 'Body too large', `The request body exceeds ${BODY_LIMIT}.`));
    if (kind === 'encoding.unsupported' || kind === 'charset.unsupported') {
      return sendProblem(res, problem(415, 'unsupported-encoding', 'Unsupported encoding', 'Send the body as UTF-8 JSON.'));
    }
    next(error);
  },
];
