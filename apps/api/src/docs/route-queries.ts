import { AnyQueryCodec, NO_QUERY } from '../http/query.params';
import { ProposalsQuery } from '../approvals/proposal.params';
import { BookVerifyQuery } from '../audit/audit.params';
import { AccessEventsQuery, AccessVerifyQuery, ApiKeysQuery } from '../auth/access.params';
import { BatchQuery, CommandQuery } from '../commands/command.params';
import { EventsExportQuery, EventsPageQuery, OneEventQuery } from '../events/event-filter.params';
import { AlertsPageQuery, AllStreamQuery, BookStreamQuery } from '../feed/feed.params';
import { HealthQuery, ReadyQuery } from '../health/health.params';
import { JournalQuery } from '../journal/journal.params';
import {
  DisposalsQuery,
  ExplainQuery,
  LotsQuery,
  PositionQuery,
  ReconciliationQuery,
  SeriesQuery,
} from '../positions/position-query.params';
import { MonthEndQuery, PnlQuery } from '../reports/report.params';
import { BooksQuery, MeQuery } from '../web/identity.params';
import { DeliveriesQuery, WebhooksQuery } from '../webhooks/webhook.params';
import { OpenApiJsonQuery } from './docs.params';

/**
 * Each route's query codec, keyed as the access table keys routes: the controller decodes the query
 * with it and the OpenAPI document lists its parameters from it (query-parameters.ts).
 *
 * FILE: the routes that serve files to a browser (the console, the contract page and their assets)
 * read no query and do not check it: a cache-busting or tracking parameter a browser or a link adds
 * must not stop a page from loading, and it cannot widen any answer.
 */
export const FILE = 'file' as const;

export const ROUTE_QUERIES: Readonly<Record<string, AnyQueryCodec | typeof FILE>> = {
  'GET /health': HealthQuery,
  'GET /ready': ReadyQuery,
  'GET /docs': FILE,
  'GET /docs/openapi.json': OpenApiJsonQuery,
  'GET /docs/assets/:file': FILE,
  'GET /': FILE,
  'GET /assets/:file': FILE,
  'GET /v1/me': MeQuery,
  'GET /v1/books': BooksQuery,
  'POST /v1/books/:bookId/commands/:command': CommandQuery,
  'POST /v1/books/:bookId/commands': BatchQuery,
  'GET /v1/books/:bookId/position': PositionQuery,
  'GET /v1/books/:bookId/position/series': SeriesQuery,
  'GET /v1/books/:bookId/position/explain': ExplainQuery,
  'GET /v1/books/:bookId/lots': LotsQuery,
  'GET /v1/books/:bookId/disposals': DisposalsQuery,
  'GET /v1/books/:bookId/reports/month-end': MonthEndQuery,
  'GET /v1/books/:bookId/reports/pnl': PnlQuery,
  'GET /v1/books/:bookId/reconciliation': ReconciliationQuery,
  'GET /v1/books/:bookId/journal': JournalQuery,
  'GET /v1/books/:bookId/proposals': ProposalsQuery,
  'GET /v1/books/:bookId/events/stream': BookStreamQuery,
  'GET /v1/events/stream': AllStreamQuery,
  'GET /v1/books/:bookId/alerts': AlertsPageQuery,
  'GET /v1/books/:bookId/events': EventsPageQuery,
  'GET /v1/books/:bookId/events.jsonl': EventsExportQuery,
  'GET /v1/books/:bookId/events.csv': EventsExportQuery,
  'GET /v1/books/:bookId/verify': BookVerifyQuery,
  'GET /v1/books/:bookId/webhooks': WebhooksQuery,
  'GET /v1/books/:bookId/webhooks/:webhookId/deliveries': DeliveriesQuery,
  'GET /v1/events/:eventId': OneEventQuery,
  'GET /v1/access/events': AccessEventsQuery,
  'GET /v1/access/verify': AccessVerifyQuery,
  'GET /v1/admin/api-keys': ApiKeysQuery,
};

/** The routes not listed take no query parameters in the document (POSTs whose input is their body). */
export const queryCodecOf = (route: string): AnyQueryCodec | typeof FILE => ROUTE_QUERIES[route] ?? NO_QUERY;
