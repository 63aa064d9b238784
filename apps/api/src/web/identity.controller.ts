import { Controller, Get, Query } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import { PositionProjector, Principal, bookStream } from '@treasury/application';
import { grantsAllow } from '@treasury/domain';
import { EventStore } from '@treasury/event-store';
import { CurrentPrincipal } from '../auth/auth.guard';
import { decodeQuery } from '../http/query.params';
import { BooksQuery, MeQuery } from './identity.params';

/** At most this many books in one answer: far above any company's ledgers, and a bound all the same. */
export const MAX_BOOKS_LISTED = 1_000;

export interface BookSummary {
  readonly bookId: string;
  readonly name: string;
  readonly timeZone: string;
  readonly openedAt: string;
}

/**
 * Who the caller is and which books it may read: what the console needs to decide which pages and
 * forms to show. The guard has authenticated the caller; the roles here are the ones it enforces.
 */
@Controller('v1')
export class IdentityController {
  /** A book's name is in its first event, which never changes: read once per book and process. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly projector: PositionProjector,
    private readonly store: EventStore,
  ) {}

  @Get('me')
  me(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    decodeQuery(MeQuery, query);
    return {
      id: principal.id,
      name: principal.name,
      kind: principal.kind,
      grants: principal.grants.map((grant) => ({ role: grant.role, books: grant.books === '*' ? ('*' as const) : [...grant.books] })),
    };
  }

  @Get('books')
  async books(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    decodeQuery(BooksQuery, query);
    const readable: Array<{ bookId: string; timeZone: string; openedAt: number }> = [];
    for (const [bookId, projection] of this.projector.books()) {
      const calendar = projection.calendar();
      if (calendar === undefined || !grantsAllow(principal.grants, 'viewer', bookId)) continue;
      readable.push({ bookId, timeZone: calendar.timeZone, openedAt: calendar.openedAt });
    }
    readable.sort((a, b) => (a.bookId < b.bookId ? -1 : a.bookId > b.bookId ? 1 : 0));
    const listed = readable.slice(0, MAX_BOOKS_LISTED);
    const books: BookSummary[] = [];
    for (const book of listed)
      books.push({
        bookId: book.bookId,
        name: await this.nameOf(book.bookId),
        timeZone: book.timeZone,
        openedAt: new Date(book.openedAt).toISOString(),
      });
    return { books, truncated: readable.length > listed.length };
  }

  private async nameOf(bookId: string): Promise<string> {
    const known = this.names.get(bookId);
    if (known !== undefined) return known;
    const first = await this.store.readStream(bookStream(bookId), { fromRevision: 0, maxCount: 1 })();
    const data = E.isRight(first) ? first.right[0]?.data : undefined;
    const name = typeof data?.name === 'string' ? data.name : bookId;
    // A failed read is not cached: the next request tries again.
    if (E.isRight(first)) this.names.set(bookId, name);
    return name;
  }
}
