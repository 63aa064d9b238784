import * as E from 'fp-ts/Either';
import { BookId, FieldError, toFieldErrors } from '@treasury/domain';
import { ProblemException, invalidRequest } from './problem';

/** Header values are free text up to this length: ids and keys, not documents. */
const MAX_HEADER_TEXT = 200;
const PRINTABLE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

export const requireBookId = (bookId: string): string => {
  const decoded = BookId.decode(bookId);
  if (E.isLeft(decoded)) {
    throw new ProblemException(invalidRequest(toFieldErrors(decoded.left).map((e) => ({ ...e, path: 'bookId' }))));
  }
  return decoded.right;
};

/** Validates optional text headers together, so one 400 lists every bad header. */
export const textHeaders = <K extends string>(headers: Record<K, string | undefined>): Record<K, string | undefined> => {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(headers) as Array<[K, string | undefined]>) {
    if (value !== undefined && (value.length > MAX_HEADER_TEXT || !PRINTABLE.test(value))) {
      errors.push({ path: `headers.${name}`, message: `must be 1 to ${MAX_HEADER_TEXT} printable ASCII characters` });
    }
  }
  if (errors.length > 0) throw new ProblemException(invalidRequest(errors));
  return headers;
};

/** `If-Match: "<revision>"` (the ETag a 201 returned); a bare number is accepted too. */
export const parseIfMatch = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const match = /^(?:W\/)?"?(-1|0|[1-9]\d{0,15})"?$/.exec(value.trim());
  if (match?.[1] === undefined) {
    throw new ProblemException(
      invalidRequest([{ path: 'headers.if-match', message: 'must be a revision in quotes, as returned in ETag, e.g. "12"' }]),
    );
  }
  return Number(match[1]);
};
