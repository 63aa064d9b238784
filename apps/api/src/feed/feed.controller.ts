import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as E from 'fp-ts/Either';
import { AlertsQuery, FeedInclude, bookStream, FeedNotifier, MAX_ALERTS_PAGE, PositionProjector, Principal } from '@treasury/application';
import { grantsAllow } from '@treasury/domain';
import { EventStore } from '@treasury/event-store';
import { CurrentPrincipal } from '../auth/auth.guard';
import { eventsErrorToProblem } from '../http/command-error.mapper';
import { ProblemException, invalidRequest, problem } from '../http/problem';
import { decodeQuery } from '../http/query.params';
import { requireBookId } from '../http/request-fields';
import { AlertsPageQuery, AllStreamQuery, BookStreamQuery } from './feed.params';
import { FeedStreams } from './feed-streams';

const POSITION = /^(0|[1-9]\d{0,18})$/;
const MAX_POSITION = 2n ** 63n - 1n;

/**
 * Who sees what in a feed: alerts need a viewer's role on their book (like the figures they speak
 * of), book events an auditor's (like GET /events, whose item view they share). The stream routes
 * need only a viewer: a treasurer's stream carries its books' alerts.
 */
export const feedIncludeFor =
  (principal: Principal, onlyBook?: string): FeedInclude =>
  (bookId, kind) =>
    (onlyBook === undefined || bookId === onlyBook) && grantsAllow(principal.grants, kind === 'alert' ? 'viewer' : 'auditor', bookId);

/** The live feed (Server-Sent Events) and the alerts listing. */
@Controller()
export class FeedController {
  constructor(
    private readonly streams: FeedStreams,
    private readonly notifier: FeedNotifier,
    private readonly projector: PositionProjector,
    private readonly alerts: AlertsQuery,
    private readonly store: EventStore,
  ) {}

  /** Every new event and alert of one book, from `Last-Event-ID` (or `?after=`) on. */
  @Get('v1/books/:bookId/events/stream')
  async bookStream(
    @Param('bookId') rawBookId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal,
  ) {
    const bookId = requireBookId(rawBookId);
    const after = await this.resumeFrom(req, decodeQuery(BookStreamQuery, query).after);
    // The log, not the projection, says whether the book exists: a book opened a moment ago through another server counts.
    const first = await this.store.readStream(bookStream(bookId), { maxCount: 1 })();
    if (E.isRight(first) && first.right.length === 0) throw new ProblemException(eventsErrorToProblem({ _tag: 'BookNotFound' }, bookId));
    await this.streams.serve(req, res, principal.id, after, feedIncludeFor(principal, bookId));
  }

  /** Every new event and alert of every book the principal may read. */
  @Get('v1/events/stream')
  async allStream(
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal,
  ) {
    const after = await this.resumeFrom(req, decodeQuery(AllStreamQuery, query).after);
    await this.streams.serve(req, res, principal.id, after, feedIncludeFor(principal));
  }

  /** A book's alerts in the order raised; `next` is the cursor (`after`). */
  @Get('v1/books/:bookId/alerts')
  async list(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    const { after, limit = MAX_ALERTS_PAGE } = decodeQuery(AlertsPageQuery, query);
    const page = await this.alerts.list(bookId, { limit, ...(after === undefined ? {} : { after }) })();
    if (E.isLeft(page)) throw new ProblemException(eventsErrorToProblem(page.left, bookId));
    return { bookId, alerts: page.right.alerts, next: page.right.next };
  }

  /**
   * The position to resume strictly after: the `Last-Event-ID` header (what EventSource sends on
   * reconnecting, so it wins over the URL's), else `?after=`, else the log's current end (only what
   * happens from now on). A position beyond the log's end is refused: it comes from another store.
   */
  private async resumeFrom(req: Request, after: bigint | undefined): Promise<bigint> {
    const header = req.headers['last-event-id'];
    const [path, value] = header !== undefined ? ['headers.last-event-id', header] : ['query.after', after?.toString()];
    // The store's own head: another server may have appended what this one has not yet been told of.
    const head = (await this.projector.logHead()) ?? this.notifier.head;
    if (value === undefined) return head;
    if (typeof value !== 'string' || !POSITION.test(value) || BigInt(value) > MAX_POSITION) {
      throw new ProblemException(
        invalidRequest([{ path, message: 'must be a log position (the id of the last message received), e.g. "42"' }]),
      );
    }
    const logPosition = BigInt(value);
    if (logPosition > head) {
      throw new ProblemException(
        problem(400, 'invalid-request', 'Invalid request', `Position ${logPosition} is beyond the end of the log (${head}).`, {
          errors: [{ path, message: `is beyond the end of the log (${head})` }],
        }),
      );
    }
    return logPosition;
  }
}
