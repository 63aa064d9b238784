import { jsonAnswer, problems, textAnswer } from '../docs/responses';
import { AlertsAnswer } from './feed.answers';
import { DEFAULT_FEED_LIMITS } from './feed-streams';

/** The header; `?after=` comes from the route's query codec (feed.params.ts). */
const resume = [
  {
    name: 'Last-Event-ID',
    in: 'header',
    required: false,
    schema: { type: 'string', pattern: '^(0|[1-9][0-9]{0,18})$' },
    description: 'Resume strictly after this log position (the `id:` of the last message received). Wins over `after`.',
  },
];

const stream = (what: string) =>
  textAnswer(
    `Server-Sent Events: ${what}. Each message: \`id:\` the log position, \`event:\` the event type (\`AlertRaised\` for an alert), \`data:\` one line of JSON, a book event as in GET /events plus \`bookId\` and \`logPosition\`, an alert as in GET /alerts. \`retry:\` ${DEFAULT_FEED_LIMITS.retryMs} ms; a \`: keep-alive\` comment after ${DEFAULT_FEED_LIMITS.heartbeatMs / 1000} s of silence.`,
    'text/event-stream',
  );

/** The live feed's paths, spread into the document by openapi.ts. */
export const feedPaths = (bookIdParameter: Record<string, unknown>) => ({
  '/v1/books/{bookId}/events/stream': {
    get: {
      operationId: 'streamBookEvents',
      summary: "The book's new events and alerts as they are recorded (SSE), resumable by log position",
      tags: ['feed'],
      parameters: [bookIdParameter, ...resume],
      responses: {
        '200': stream('alerts need the viewer role on the book, book events the auditor role'),
        ...problems(400, 404, [
          429,
          `More than ${DEFAULT_FEED_LIMITS.perPrincipal} open streams for this principal, or ${DEFAULT_FEED_LIMITS.total} in all; see Retry-After.`,
        ]),
      },
    },
  },
  '/v1/events/stream': {
    get: {
      operationId: 'streamAllEvents',
      summary: 'New events and alerts of every book the principal may read (SSE), resumable by log position',
      tags: ['feed'],
      parameters: resume,
      responses: {
        '200': stream("each book's alerts where the principal is a viewer, its events where an auditor"),
        ...problems(400, [
          429,
          `More than ${DEFAULT_FEED_LIMITS.perPrincipal} open streams for this principal, or ${DEFAULT_FEED_LIMITS.total} in all; see Retry-After.`,
        ]),
      },
    },
  },
  '/v1/books/{bookId}/alerts': {
    get: {
      operationId: 'listAlerts',
      summary:
        "The book's alerts in the order raised: loan status, price staleness, reconciliation rows, the hash chain; each with from, to, the figures and its cause",
      tags: ['feed'],
      parameters: [bookIdParameter],
      responses: { '200': jsonAnswer('A page of alerts; `next` is null at the end.', AlertsAnswer), ...problems(400, 404, 503) },
    },
  },
});
