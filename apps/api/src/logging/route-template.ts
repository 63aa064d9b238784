import type { IncomingMessage } from 'node:http';
import { ROUTE_ACCESS } from '../auth/access-policy';

/** A route of the access table as a matcher: literal segments must match, `:name` takes any one segment. */
interface RouteMatcher {
  readonly method: string;
  readonly template: string;
  readonly segments: ReadonlyArray<string>;
  readonly literals: number;
}

const MATCHERS: ReadonlyArray<RouteMatcher> = Object.keys(ROUTE_ACCESS)
  .map((key) => {
    const [method, template] = key.split(' ') as [string, string];
    const segments = template.split('/').filter((segment) => segment !== '');
    return { method, template, segments, literals: segments.filter((segment) => !segment.startsWith(':')).length };
  })
  // The most literal first: /v1/events/stream before /v1/events/:eventId.
  .sort((a, b) => b.literals - a.literals);

/** Label for every request that is none of the API's routes: raw paths would be unbounded labels. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route template a request was for (`/v1/books/:bookId/commands/:command`), never the raw URL:
 * a log line or a metric label names the route, not the book, the event or the query string. Taken
 * from the access table, which lists every route the API serves (a test checks it), so a request
 * refused before routing (too large, rate-limited) is named too. HEAD is answered by the GET route.
 */
export const routeTemplate = (request: Pick<IncomingMessage, 'method' | 'url'>): string => {
  // Asked twice per request (the log line and the HTTP metric): matched once.
  const cached = (request as { [TEMPLATE]?: string })[TEMPLATE];
  if (cached !== undefined) return cached;
  const found = matchTemplate(request);
  (request as { [TEMPLATE]?: string })[TEMPLATE] = found;
  return found;
};

const TEMPLATE = Symbol('routeTemplate');

const matchTemplate = (request: Pick<IncomingMessage, 'method' | 'url'>): string => {
  const method = request.method === 'HEAD' ? 'GET' : (request.method ?? '');
  const path = (request.url ?? '').split('?', 1)[0]!;
  const segments = path.split('/').filter((segment) => segment !== '');
  const found = MATCHERS.find(
    (route) =>
      route.method === method &&
      route.segments.length === segments.length &&
      route.segments.every((segment, index) => segment.startsWith(':') || segment === segments[index]),
  );
  return found?.template ?? UNMATCHED_ROUTE;
};
