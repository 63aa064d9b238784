import * as t from 'io-ts';
import { jsonAnswer, problems, toSchema } from './responses';
import { CommandResultAnswer } from '../commands/command.answers';

/** The building blocks of the OpenAPI document's paths (openapi.ts): problems, the book id, a command, a position read. */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

export const bookIdParameter = {
  name: 'bookId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' },
  description: 'One company treasury ledger.',
};

export const commandPath = (name: string, codec: t.Mixed) => ({
  post: {
    operationId: name,
    summary: `Command ${name}`,
    tags: ['commands'],
    parameters: [
      bookIdParameter,
      {
        name: 'Idempotency-Key',
        in: 'header',
        schema: { type: 'string', maxLength: 200 },
        description: 'Same key and body: the original result, marked replayed; different body: 422.',
      },
      {
        name: 'If-Match',
        in: 'header',
        schema: { type: 'string', example: '"12"' },
        description: 'Expected book revision (the ETag of a previous response); 412 when stale.',
      },
      {
        name: 'X-Actor',
        in: 'header',
        schema: { type: 'string', maxLength: 200 },
        description: 'An "on behalf of" note recorded as onBehalfOf; the actor is always the authenticated principal.',
      },
      {
        name: 'X-Correlation-Id',
        in: 'header',
        schema: { type: 'string', maxLength: 200 },
        description: 'Recorded in every event; defaults to the request id (X-Request-Id, given or generated).',
      },
    ],
    requestBody: { required: true, content: { 'application/json': { schema: toSchema(codec) } } },
    responses: {
      '201': jsonAnswer('Appended (or replayed). ETag carries the new revision.', CommandResultAnswer),
      ...problems(413, 415),
      '400': problemResponse('Invalid body, path or header: errors lists each failing field by path.'),
      '404': problemResponse('Book not opened, or unknown command.'),
      '409': problemResponse('open-book on a book that is already open.'),
      '412': problemResponse('If-Match does not match the book revision.'),
      '410': problemResponse("The book's stream was deleted from the event store."),
      '422': problemResponse('A book rule refused the command, or an Idempotency-Key was reused with another body.'),
      '503': problemResponse(
        'The event store is unavailable (Retry-After says when to retry), or the outcome of the append is unknown: retry with the same Idempotency-Key.',
      ),
    },
  },
});

export const positionResponses = (description: string, codec: t.Mixed) => ({
  '200': jsonAnswer(description, codec),
  '400': problemResponse('Invalid query parameter, or more results than the limit.'),
  '404': problemResponse('Book not opened.'),
  '422': problemResponse('Nothing known yet at knownAt, or a report whose months all end before the book opened (`rule`).'),
  '503': problemResponse('The projection has not reached minLogPosition in time, or stopped on an event it cannot read.'),
});
