import { UNMATCHED_ROUTE, routeTemplate } from './route-template';

describe('routeTemplate', () => {
  it.each([
    ['POST', '/v1/books/acme/commands/record-btc-sale', '/v1/books/:bookId/commands/:command'],
    ['POST', '/v1/books/acme/commands', '/v1/books/:bookId/commands'],
    ['GET', '/v1/books/acme/position?asOf=2025-06-30T00:00:00Z', '/v1/books/:bookId/position'],
    // A literal segment beats a parameter: the feed is not an event id.
    ['GET', '/v1/events/stream', '/v1/events/stream'],
    ['GET', '/v1/events/0b8e6c1a', '/v1/events/:eventId'],
    ['HEAD', '/health', '/health'],
    ['GET', '/', '/'],
  ])('%s %s is %s', (method, url, template) => {
    expect(routeTemplate({ method, url })).toBe(template);
  });

  it('names no raw path: an unknown path, method or depth is unmatched', () => {
    expect(routeTemplate({ method: 'GET', url: '/v1/books/acme/secret-place' })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ method: 'DELETE', url: '/v1/books/acme/position' })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ method: 'GET', url: '/metrics' })).toBe(UNMATCHED_ROUTE);
    expect(routeTemplate({ method: undefined, url: undefined })).toBe(UNMATCHED_ROUTE);
  });
});
