import * as t from 'io-ts';
import { JsonSchema, asComponent, toJsonSchema } from '@treasury/domain';
import { InstantText, Integer, PositionText } from './answer-codecs';

/**
 * How an operation of the OpenAPI document says what it answers. Every route of the access table
 * needs a success answer built here (test/api/openapi-contract.e2e.spec.ts fails otherwise):
 *   responses: { '200': jsonAnswer('The position.', PositionAnswer), ...problems(400, 404, 503) }
 * or, for a stream or a file, textAnswer('...', 'text/event-stream').
 */

/** Named schemas collected as codecs are converted; the document lists them under components.schemas. */
export const schemaComponents: Record<string, JsonSchema> = {};

/** JSON Schema 2020-12 of a codec, named codecs (asComponent) by `$ref`. */
export const toSchema = (codec: t.Mixed): JsonSchema => toJsonSchema(codec, { components: schemaComponents });

export const jsonAnswer = (description: string, codec: t.Mixed) => ({
  description,
  content: { 'application/json': { schema: toSchema(codec) } },
});

/** A stream or a file (CSV, JSON Lines, server-sent events, a page): described by its media type. */
export const textAnswer = (description: string, ...mediaTypes: ReadonlyArray<string>) => ({
  description,
  content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema: { type: 'string' } }])),
});

/** RFC 9457 problem details: the fields every problem has, and the extensions some carry. Open: a problem may add members. */
export const ProblemAnswer = asComponent(
  t.intersection([
    t.type({ type: t.string, title: t.string, status: Integer, detail: t.string }),
    t.partial({
      errors: t.readonlyArray(t.type({ path: t.string, message: t.string }), 'FieldErrors'),
      rule: t.string,
      currentRevision: Integer,
      requiredRole: t.string,
      reason: t.string,
      retryAfterSeconds: Integer,
      index: Integer,
      command: t.string,
      checkpoint: PositionText,
      minLogPosition: PositionText,
      eventId: t.string,
      revision: Integer,
      logPosition: PositionText,
      firstRecordedAt: InstantText,
      bookOpenedAt: InstantText,
    }),
  ]),
  'Problem',
);

const PROBLEM_TEXT: Readonly<Record<number, string>> = {
  400: 'Invalid request: `errors` names each failing field by its path (`query.asOf`, `btc`, `[3].body.btc`).',
  401: 'No credentials, or an API key or token that is malformed, unknown, revoked, expired or otherwise invalid.',
  403: 'The principal lacks the role this needs.',
  404: 'Not found (a book not opened, an unknown command or event).',
  409: 'Conflict (open-book on a book already open).',
  412: 'If-Match does not match the book revision; `currentRevision` says where the book is.',
  413: 'The body is too large.',
  415: 'The body is not JSON.',
  422: 'A book rule refused it: `rule` names the rule.',
  429: 'Too many requests; see Retry-After.',
  503: 'Not available now (store down, projection behind or stopped): retry.',
};

/** Problem answers by status, each with the shared Problem schema; `overrides` words one for this operation. */
export const problems = (...statuses: ReadonlyArray<number | readonly [number, string]>) => {
  const problemSchema = toSchema(ProblemAnswer);
  return Object.fromEntries(
    statuses.map((entry) => {
      const [status, description] = typeof entry === 'number' ? [entry, PROBLEM_TEXT[entry] ?? 'A problem.'] : entry;
      return [String(status), { description, content: { 'application/problem+json': { schema: problemSchema } } }];
    }),
  );
};
