import { json } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { firstDuplicateKey } from './duplicate-keys';
import { invalidRequest, problem } from './problem';
import { sendProblem } from './problem-details.filter';

/** Commands are small; a megabyte is far beyond any legitimate one. It bounds the decompressed body too. */
export const BODY_LIMIT = '1mb';
/**
 * A batch (`POST /v1/books/{bookId}/commands`) holds up to 10,000 commands: 16 MB leaves 1.6 KB per
 * command on average, several times what a real one takes (a few hundred bytes), while the parsed
 * body stays small enough to decode and decide under the book's lock in about a second.
 */
export const BATCH_BODY_LIMIT = '16mb';
const BATCH_PATH = /^\/v1\/books\/[^/]+\/commands\/?$/;
const limitOf = (req: Request): string => (BATCH_PATH.test(req.path) ? BATCH_BODY_LIMIT : BODY_LIMIT);

const DUPLICATE_KEY = 'entity.duplicate.key';

class DuplicateKeyError extends Error {
  readonly type = DUPLICATE_KEY;
  constructor(readonly path: string) {
    super(`duplicate key ${path}`);
  }
}

/** Runs on the raw (decompressed) bytes before JSON.parse, which would keep the last of two equal keys. */
const refuseDuplicateKeys = (_req: Request, _res: Response, buffer: Buffer, encoding: string): void => {
  let text: string;
  try {
    // Not fatal: invalid bytes become U+FFFD here exactly as they do for the parser that runs next.
    text = new TextDecoder(encoding).decode(buffer);
  } catch {
    return; // a charset TextDecoder does not know: the parser refuses it (415)
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) throw new DuplicateKeyError(duplicate);
};

/** The JSON parser with the route's limit: the batch route's larger one, every other route's 1 MB. */
const jsonWithLimit = (): RequestHandler => {
  const small = json({ limit: BODY_LIMIT, strict: false, verify: refuseDuplicateKeys });
  const large = json({ limit: BATCH_BODY_LIMIT, strict: false, verify: refuseDuplicateKeys });
  return (req, res, next) => (BATCH_PATH.test(req.path) ? large : small)(req, res, next);
};

const encodingOf = (req: Request): string => String(req.headers['content-encoding'] ?? 'identity').toLowerCase();

/**
 * The JSON body parser and its error handler, registered before any route. Express would otherwise
 * answer a malformed body with an HTML page (or a 500): here each failure is a problem document.
 */
export const jsonBody = (): ReadonlyArray<RequestHandler | ((error: unknown, req: Request, res: Response, next: NextFunction) => void)> => [
  jsonWithLimit(),
  (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const failure = error as { type?: unknown; status?: unknown; path?: unknown } | null;
    const kind = failure?.type;
    if (kind === DUPLICATE_KEY) {
      const path = String(failure?.path);
      return sendProblem(
        res,
        invalidRequest(
          [{ path, message: 'is given more than once; send each key once' }],
          `The key "${path}" appears twice in one object.`,
        ),
      );
    }
    if (kind === 'entity.parse.failed') {
      return sendProblem(res, invalidRequest([{ path: '', message: 'is not valid JSON' }], 'The request body is not valid JSON.'));
    }
    if (kind === 'entity.too.large')
      return sendProblem(res, problem(413, 'body-too-large', 'Body too large', `The request body exceeds ${limitOf(req)}.`));
    if (kind === 'encoding.unsupported') {
      return sendProblem(
        res,
        problem(
          415,
          'unsupported-encoding',
          'Unsupported content encoding',
          `Content-Encoding "${encodingOf(req)}" is not supported; send identity, gzip, deflate or br.`,
        ),
      );
    }
    if (kind === 'charset.unsupported') {
      return sendProblem(res, problem(415, 'unsupported-encoding', 'Unsupported encoding', 'Send the body as UTF-8 JSON.'));
    }
    // Any other 4xx from reading the body: bytes that do not decompress as their Content-Encoding says,
    // a Content-Length that does not match the bytes sent, a request aborted mid-body.
    if (typeof failure?.status === 'number' && failure.status >= 400 && failure.status < 500) {
      const encoding = encodingOf(req);
      const detail =
        encoding === 'identity'
          ? 'The request body could not be read (its length does not match Content-Length, or it was cut short).'
          : `The request body is not valid ${encoding} data, as its Content-Encoding says it is.`;
      return sendProblem(
        res,
        invalidRequest(
          [
            {
              path: encoding === 'identity' ? '' : 'headers.content-encoding',
              message: encoding === 'identity' ? 'could not be read' : `does not match the body`,
            },
          ],
          detail,
        ),
      );
    }
    next(error);
  },
];
