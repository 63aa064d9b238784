import type { BookCommandName, Role } from '@treasury/domain';

/**
 * The one table of who may do what. Every route the API serves is listed here (a test walks them all,
 * with every role); a route missing from it is refused to everyone, so a new endpoint cannot ship open
 * by accident. The README prints this table.
 *
 * scope: `book` — the role on the book named in the path; `all-books` — the role on every book (`*`);
 * `some-book` — the role on at least one book, the controller checking the book once it is known.
 */
export type RouteAccess =
  | { readonly public: true; readonly why: string }
  | { readonly role: Role | 'per-command'; readonly scope: 'book' | 'all-books' | 'some-book' };

const book = (role: Role): RouteAccess => ({ role, scope: 'book' });

export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /health': { public: true, why: 'liveness for operators and load balancers; says nothing of any book' },
  'GET /ready': { public: true, why: 'readiness for a load balancer' },
  'GET /docs': { public: true, why: 'the OpenAPI contract' },
  'GET /docs/openapi.json': { public: true, why: 'the OpenAPI contract as JSON, for client generators' },
  'GET /docs/assets/:file': { public: true, why: "the contract page's stylesheet and scripts (Swagger UI, served locally)" },
  // The web console's page and bundle: static files with no data; every figure it shows comes from /v1.
  'GET /': { public: true, why: 'the web console (index.html)' },
  'GET /assets/:file': { public: true, why: "the web console's script and style sheet" },
  // Who the caller is and which books it may read: any principal with a role somewhere (every role includes viewer).
  'GET /v1/me': { role: 'viewer', scope: 'some-book' },
  'GET /v1/books': { role: 'viewer', scope: 'some-book' },
  'POST /v1/books/:bookId/commands/:command': { role: 'per-command', scope: 'book' },
  // A batch: the guard asks for a viewer on the book (no :command in the path); the controller then
  // checks every item's own command role and refuses the batch (403, naming the item's index).
  'POST /v1/books/:bookId/commands': { role: 'per-command', scope: 'book' },
  'GET /v1/books/:bookId/position': book('viewer'),
  'GET /v1/books/:bookId/position/series': book('viewer'),
  'GET /v1/books/:bookId/position/explain': book('viewer'),
  'GET /v1/books/:bookId/lots': book('viewer'),
  'GET /v1/books/:bookId/disposals': book('viewer'),
  'GET /v1/books/:bookId/reports/month-end': book('viewer'),
  'GET /v1/books/:bookId/reports/pnl': book('viewer'),
  'GET /v1/books/:bookId/reconciliation': book('viewer'),
  // Every figure of the book, line by line, as the ERP imports it: the same readers as the reports.
  'GET /v1/books/:bookId/journal': book('viewer'),
  'GET /v1/books/:bookId/proposals': book('viewer'),
  // The live feed: a viewer's to open; each item is then filtered by the role on its book (alerts:
  // viewer, book events: auditor, as GET /events). The all-books stream carries every book granted.
  'GET /v1/books/:bookId/events/stream': book('viewer'),
  'GET /v1/events/stream': { role: 'viewer', scope: 'some-book' },
  'GET /v1/books/:bookId/alerts': book('viewer'),
  'GET /v1/books/:bookId/events': book('auditor'),
  'GET /v1/books/:bookId/events.jsonl': book('auditor'),
  'GET /v1/books/:bookId/events.csv': book('auditor'),
  'GET /v1/books/:bookId/verify': book('auditor'),
  // A book's webhooks (URLs, types, secret fingerprints: never the secret) and their delivery logs: read like the event log.
  'GET /v1/books/:bookId/webhooks': book('auditor'),
  'GET /v1/books/:bookId/webhooks/:webhookId/deliveries': book('auditor'),
  'GET /v1/events/:eventId': { role: 'auditor', scope: 'some-book' },
  'GET /v1/access/events': { role: 'auditor', scope: 'all-books' },
  'GET /v1/access/verify': { role: 'auditor', scope: 'all-books' },
  'GET /v1/admin/api-keys': { role: 'admin', scope: 'all-books' },
  'POST /v1/admin/api-keys': { role: 'admin', scope: 'all-books' },
  'POST /v1/admin/api-keys/:keyPrefix/revoke': { role: 'admin', scope: 'all-books' },
  'POST /v1/admin/api-keys/:keyPrefix/role': { role: 'admin', scope: 'all-books' },
  'POST /v1/admin/projections/rebuild': { role: 'admin', scope: 'all-books' },
};

/**
 * The role each command needs on its book. Bookkeepers record what operations produce; treasurers
 * move value (sales, loans, collateral) and correct the record (reversals); admins set the book up.
 */
export const COMMAND_ACCESS: Readonly<Record<BookCommandName, Role>> = {
  'open-book': 'admin',
  'record-mining-output': 'bookkeeper',
  'transfer-btc': 'bookkeeper',
  'record-btc-price': 'bookkeeper',
  'record-cash-movement': 'bookkeeper',
  'record-reported-holdings': 'bookkeeper',
  'record-btc-sale': 'treasurer',
  'record-btc-purchase': 'treasurer',
  'record-btc-payment': 'treasurer',
  'draw-loan': 'treasurer',
  'pledge-collateral': 'treasurer',
  'release-collateral': 'treasurer',
  'accrue-interest': 'treasurer',
  'repay-loan': 'treasurer',
  'liquidate-collateral': 'treasurer',
  'reprice-loan': 'treasurer',
  'pledge-cash-collateral': 'treasurer',
  'release-cash-collateral': 'treasurer',
  'reverse-event': 'treasurer',
  'amend-event': 'treasurer',
  'set-reconciliation-tolerance': 'admin',
  'set-approval-policy': 'admin',
  'set-price-staleness': 'admin',
  // The chart of accounts the journal posts to: the finance team's call, like a sale or a reversal.
  'set-account-mapping': 'treasurer',
  // Opening balances bring value in with no counterpart in the book: setting the book up, like open-book.
  'record-opening-balance': 'admin',
  'record-opening-cash': 'admin',
  // Ends migration mode for good (no more knownAt): setting the book up, like open-book.
  'go-live': 'admin',
  // Webhooks send the book's events to a URL with a secret: only an admin may point them anywhere.
  'register-webhook': 'admin',
  'disable-webhook': 'admin',
  'redeliver-webhook': 'admin',
  // The least role that can hold a proposal; the approver must also hold the proposed command's role.
  'approve-proposal': 'bookkeeper',
  'reject-proposal': 'bookkeeper',
};

/** The role a command needs; an unknown command needs only a viewer's (it then gets its 404). */
export const commandRole = (command: string): Role =>
  Object.prototype.hasOwnProperty.call(COMMAND_ACCESS, command) ? COMMAND_ACCESS[command as BookCommandName] : 'viewer';
