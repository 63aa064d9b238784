import { bookCommandCodecs } from '@treasury/domain';
import { EVENTS_SCAN_BUDGET } from '@treasury/application';
import { MAX_SERIES_POINTS } from '@treasury/projections';
import { EITHER_SCHEME, accessPaths, bearerSecurity, withAccess } from './openapi-access';
import { DeliveriesAnswer, WebhooksAnswer } from '../webhooks/webhook.answers';
import { WebhookId } from '@treasury/domain';
import { jsonAnswer, problems, schemaComponents, textAnswer, toSchema } from './responses';
import {
  DisposalsAnswer,
  ExplainAnswer,
  OpenLotsAnswer,
  PositionAnswer,
  ReconciliationAnswer,
  SeriesAnswer,
} from '../positions/position.answers';
import { MonthEndAnswer, PnlAnswer } from '../reports/report.answers';
import { JournalAnswer } from '../journal/journal.answers';
import { EventsPageAnswer, OneEventAnswer, VerifyAnswer } from '../events/event.answers';
import { BatchResultAnswer } from '../commands/command.answers';
import { HealthAnswer, RebuildAnswer } from '../health/health.answers';
import { feedPaths } from '../feed/feed.openapi';
import { consolePaths } from '../web/console.openapi';
import { withQueryParameters } from './query-parameters';
import { bookIdParameter, commandPath, positionResponses, problemResponse } from './openapi-parts';

/**
 * The OpenAPI document, generated from the same io-ts codecs that decode requests and describe answers
 * (responses.ts, the *.answers.ts files beside the controllers), so it cannot drift from the API.
 */
export const openApiDocument = () => ({
  openapi: '3.1.0',
  info: {
    title: 'treasury-engine',
    version: '0.1.0',
    description:
      'Event-sourced treasury ledger for bitcoin miners. Amounts are decimal strings: BTC up to 8 decimals, USD up to 2, ratios up to 6; instants are ISO-8601 with an offset.',
  },
  // Relative: the server that served this document (behind a proxy too), never a Host header echoed back.
  servers: [{ url: '/', description: 'This server' }],
  security: EITHER_SCHEME,
  paths: withAccess(
    withQueryParameters({
      ...accessPaths(toSchema, bookIdParameter),
      ...Object.fromEntries(
        Object.entries(bookCommandCodecs).map(([name, codec]) => [`/v1/books/{bookId}/commands/${name}`, commandPath(name, codec)]),
      ),
      '/v1/books/{bookId}/commands': {
        post: {
          operationId: 'batchCommands',
          summary: 'Up to 10,000 commands, each decided on the ones before it, appended in one commit or none',
          tags: ['commands'],
          parameters: [
            bookIdParameter,
            { name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 200 }, description: 'Covers the whole batch.' },
            {
              name: 'If-Match',
              in: 'header',
              schema: { type: 'string', example: '"12"' },
              description: 'Expected book revision before the first item.',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'array',
                  minItems: 1,
                  maxItems: 10_000,
                  items: {
                    type: 'object',
                    required: ['command', 'body'],
                    additionalProperties: false,
                    properties: {
                      command: { type: 'string', enum: Object.keys(bookCommandCodecs) },
                      body: { type: 'object', description: 'The body the command takes on its own route.' },
                      knownAt: {
                        type: 'string',
                        format: 'date-time',
                        description: 'Migration mode: as the knownAt query parameter of the single route, for this item.',
                      },
                    },
                  },
                },
              },
            },
          },
          responses: {
            '201': jsonAnswer('All appended, one item per command with its events.', BatchResultAnswer),
            ...problems(415),
            '400': problemResponse('A malformed batch (every bad path named) or an invalid item (`index`, paths under `[i].body`).'),
            '404': problemResponse('Book not opened, or an unknown command.'),
            '412': problemResponse('If-Match does not match the book revision.'),
            '413': problemResponse('The batch exceeds 16 MB.'),
            '422': problemResponse('An item was refused by a book rule (`index`, `command`, `rule`); nothing was written.'),
          },
        },
      },
      '/v1/books/{bookId}/events': {
        get: {
          operationId: 'listEvents',
          summary: "A book's events in recorded order, filtered, with metadata and reversal links",
          tags: ['audit'],
          parameters: [bookIdParameter],
          responses: {
            '200': {
              description: `A page of events; a page scans at most ${EVENTS_SCAN_BUDGET} events, so it may hold fewer than \`limit\`: follow \`next\` until it is null.`,
              content: jsonAnswer('', EventsPageAnswer).content,
            },
            '400': problemResponse('Invalid query parameter.'),
            '404': problemResponse('Book not opened.'),
          },
        },
      },
      '/v1/books/{bookId}/events.jsonl': {
        get: {
          operationId: 'exportEventsJsonl',
          summary: 'Every matching event as JSON Lines (streamed)',
          tags: ['audit'],
          parameters: [bookIdParameter],
          responses: {
            '200': textAnswer('One event per line, each as in GET /events (the StoredEvent schema).', 'application/x-ndjson'),
            '400': problemResponse('Invalid filter.'),
            '404': problemResponse('Book not opened.'),
          },
        },
      },
      '/v1/books/{bookId}/events.csv': {
        get: {
          operationId: 'exportEventsCsv',
          summary: 'Every matching event as CSV (streamed)',
          tags: ['audit'],
          parameters: [bookIdParameter],
          responses: {
            '200': {
              ...textAnswer('', 'text/csv'),
              description:
                'text/csv: revision, logPosition, eventId, type, effectiveAt, recordedAt, actor, commandId, reference, reverses, reversedBy, hash, data (JSON), amends, amendedBy, migrated (true for an event loaded in migration mode)',
            },
            '400': problemResponse('Invalid filter.'),
            '404': problemResponse('Book not opened.'),
          },
        },
      },
      '/v1/events/{eventId}': {
        get: {
          operationId: 'getEvent',
          summary: 'One event by id, with its book, metadata, hash and previous hash',
          tags: ['audit'],
          parameters: [{ name: 'eventId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '200': jsonAnswer('The event.', OneEventAnswer),
            '404': problemResponse('No book holds this event.'),
            '503': problemResponse('Store unavailable.'),
          },
        },
      },
      ...feedPaths(bookIdParameter),
      ...consolePaths(),
      '/v1/books/{bookId}/webhooks': {
        get: {
          operationId: 'listWebhooks',
          summary: "The book's webhooks: URL, subscribed types, status and position; the secret never (its fingerprint instead)",
          tags: ['webhooks'],
          parameters: [bookIdParameter],
          responses: { '200': jsonAnswer('Every webhook of the book, disabled ones included.', WebhooksAnswer), ...problems(400, 404) },
        },
      },
      '/v1/books/{bookId}/webhooks/{webhookId}/deliveries': {
        get: {
          operationId: 'webhookDeliveries',
          summary:
            "A webhook's delivery log, oldest first: each attempt (item, webhook-id, time, status code or error, next attempt) and each redelivery request",
          tags: ['webhooks'],
          parameters: [bookIdParameter, { name: 'webhookId', in: 'path', required: true, schema: toSchema(WebhookId) }],
          responses: {
            '200': jsonAnswer('The webhook and a page of its delivery log; `next` is null at the end.', DeliveriesAnswer),
            ...problems(400, [404, 'No such book or webhook.'], 503),
          },
        },
      },
      '/v1/books/{bookId}/verify': {
        get: {
          operationId: 'verifyBook',
          summary: "Recompute the book's SHA-256 hash chain from its first event",
          tags: ['audit'],
          parameters: [bookIdParameter],
          responses: {
            '200': jsonAnswer('`ok`, `checked`, `firstBroken` (event, revision, reason) or null, `lastHash`.', VerifyAnswer),
            '404': problemResponse('Book not opened.'),
            '503': problemResponse('Store unavailable.'),
          },
        },
      },
      '/v1/books/{bookId}/position/explain': {
        get: {
          operationId: 'explainFigure',
          summary: 'The events behind one figure of the position, with contributions and running totals',
          tags: ['audit'],
          parameters: [bookIdParameter],
          responses: positionResponses('kind sum (contributions), observation (source event) or formula (inputs).', ExplainAnswer),
        },
      },
      '/v1/books/{bookId}/reports/month-end': {
        get: {
          operationId: 'monthEndReport',
          summary:
            'Per month: BTC opening, mined, sold, liquidated, transferred out/in, closing, pledged, price, cash, debt, debt-to-assets, available liquidity',
          tags: ['reports'],
          parameters: [bookIdParameter],
          responses: positionResponses("One row per calendar month in the book's time zone.", MonthEndAnswer),
        },
      },
      '/v1/books/{bookId}/reports/pnl': {
        get: {
          operationId: 'pnlReport',
          summary:
            'Per month and in total: mining revenue by pool, realized gain on sales, payments and liquidations, trading and network fees, fair-value remeasurement, interest expense, expenses in BTC and cash by category, other income, net income, cost per BTC mined',
          tags: ['reports'],
          parameters: [bookIdParameter],
          responses: positionResponses(
            "`months` (one column per calendar month in the book's zone) and `total`; null where a price is needed and missing.",
            PnlAnswer,
          ),
        },
      },
      '/v1/books/{bookId}/journal': {
        get: {
          operationId: 'journal',
          summary:
            'Double-entry journal lines per event effective in [from, to], with month-end remeasurement of digital assets to fair value and interest accruals; debits equal credits per entry and per period; JSON or CSV (ERP import)',
          tags: ['reports'],
          parameters: [bookIdParameter],
          responses: {
            ...positionResponses(
              'entries (each with lines of account, debitUsd, creditUsd), periods (per calendar month: debitUsd = creditUsd), accounts (opening, debits, credits, closing) and totals.',
              JournalAnswer,
            ),
            '200': {
              description: 'The journal: JSON, or CSV with format=csv or Accept: text/csv.',
              content: { ...jsonAnswer('', JournalAnswer).content, ...textAnswer('', 'text/csv').content },
            },
          },
        },
      },
      '/v1/books/{bookId}/reconciliation': {
        get: {
          operationId: 'reconciliation',
          summary: "Every published report beside the ledger's figures for the same date, flagged beyond the tolerance",
          tags: ['reports'],
          parameters: [bookIdParameter],
          responses: positionResponses('Reports with reported, ledger, difference and flagged per figure.', ReconciliationAnswer),
        },
      },
      '/v1/books/{bookId}/position': {
        get: {
          operationId: 'position',
          summary: 'Holdings, cost basis, cash, loans, leverage and liquidity at asOf, as known at knownAt',
          tags: ['positions'],
          parameters: [bookIdParameter],
          responses: {
            '200': jsonAnswer(
              'The position (costBasis under `method`, which the answer repeats); every figure needing a price is null when there is none.',
              PositionAnswer,
            ),
            ...problems([400, 'Invalid query parameter.'], [404, 'Book not opened.'], 422, 503),
          },
        },
      },
      '/v1/books/{bookId}/position/series': {
        get: {
          operationId: 'positionSeries',
          summary: `The core figures from \`from\` to \`to\` every step (at most ${MAX_SERIES_POINTS} points)`,
          tags: ['positions'],
          parameters: [bookIdParameter],
          responses: positionResponses('One point per step.', SeriesAnswer),
        },
      },
      '/v1/books/{bookId}/lots': {
        get: {
          operationId: 'openLots',
          summary: 'Open FIFO lots at asOf, as known at knownAt, oldest first',
          tags: ['positions'],
          parameters: [bookIdParameter],
          responses: positionResponses(
            'What is left of each lot and what that part cost; under wallet-fifo each names its wallet, lots grouped by wallet.',
            OpenLotsAnswer,
          ),
        },
      },
      '/v1/books/{bookId}/disposals': {
        get: {
          operationId: 'disposals',
          summary: 'Sales, liquidations and network fees with the lots each relieved and its realized gain',
          tags: ['positions'],
          parameters: [bookIdParameter],
          responses: positionResponses(
            'Disposals with from <= effectiveAt <= to; under wallet-fifo each names the wallet it left from.',
            DisposalsAnswer,
          ),
        },
      },
      '/v1/admin/projections/rebuild': {
        post: {
          operationId: 'rebuildProjections',
          summary: 'Re-fold the whole log from zero and swap the result in; queries keep answering meanwhile',
          tags: ['admin'],
          responses: {
            '200': jsonAnswer('Events folded, checkpoint, duration.', RebuildAnswer),
            '503': problemResponse('The log could not be read.'),
          },
        },
      },
      '/docs': {
        get: {
          operationId: 'docs',
          summary: 'This contract: a readable page (Swagger UI) for a browser (Accept: text/html), the JSON document otherwise',
          tags: ['docs'],
          responses: {
            '200': {
              description: 'The OpenAPI document, or the page.',
              content: {
                'application/json': { schema: { type: 'object', required: ['openapi', 'paths'] } },
                ...textAnswer('', 'text/html').content,
              },
            },
          },
        },
      },
      '/docs/openapi.json': {
        get: {
          operationId: 'openApiDocument',
          summary: 'This contract as JSON (OpenAPI 3.1)',
          tags: ['docs'],
          responses: {
            '200': {
              description: 'The OpenAPI document.',
              content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'paths'] } } },
            },
          },
        },
      },
      '/docs/assets/{file}': {
        get: {
          operationId: 'docsAsset',
          summary: "The page's stylesheet, scripts and icon",
          tags: ['docs'],
          parameters: [
            {
              name: 'file',
              in: 'path',
              required: true,
              schema: { type: 'string', enum: ['swagger-ui.css', 'swagger-ui-bundle.js', 'init.js', 'favicon-32x32.png'] },
            },
          ],
          responses: {
            '200': textAnswer('The file.', 'text/css', 'text/javascript', 'image/png'),
            '404': problemResponse('No such asset.'),
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Liveness including an event-store read',
          responses: {
            '200': jsonAnswer('ok, or degraded (a book stopped folding, events vanished).', HealthAnswer),
            '503': problemResponse('Store unavailable.'),
          },
        },
      },
    }),
  ),
  components: {
    ...bearerSecurity,
    schemas: {
      ...schemaComponents,
    },
  },
});
