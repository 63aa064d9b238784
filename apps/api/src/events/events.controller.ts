import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import * as E from 'fp-ts/Either';
import { BookEventsQuery, EventFinder, EventLoopSlicer, EventView, MAX_EVENTS_PAGE, Principal, eventView } from '@treasury/application';
import { grantsAllow } from '@treasury/domain';
import { CurrentPrincipal } from '../auth/auth.guard';
import { eventsErrorToProblem } from '../http/command-error.mapper';
import { ProblemException, problem } from '../http/problem';
import { sendProblem } from '../http/problem-details.filter';
import { decodeQuery } from '../http/query.params';
import { requireBookId } from '../http/request-fields';
import { EventsExportQuery, EventsPageQuery, OneEventQuery, eventFilterOf } from './event-filter.params';
import { CSV_HEADER, csvRow } from './events-csv';

/** Events per slice of an export: read, formatted and written, then the event loop gets a turn if the slice is spent. */
const EXPORT_SLICE = 250;

/** Audit reads of the log: filtered pages, exports, one event by id. */
@Controller()
export class EventsController {
  constructor(
    private readonly events: BookEventsQuery,
    private readonly finder: EventFinder,
  ) {}

  /** A book's events in recorded order, filtered, with metadata and reversal links; `next` is the cursor. */
  @Get('v1/books/:bookId/events')
  async list(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    const { after, limit = MAX_EVENTS_PAGE, ...filters } = decodeQuery(EventsPageQuery, query);
    const filter = eventFilterOf(filters);
    const page = await this.events.list(bookId, { limit, filter, ...(after === undefined ? {} : { after }) })();
    if (E.isLeft(page)) throw new ProblemException(eventsErrorToProblem(page.left, bookId));
    return { bookId, events: page.right.events.map(eventView), next: page.right.nextAfter ?? null };
  }

  /** Every matching event as JSON Lines, streamed page by page. */
  @Get('v1/books/:bookId/events.jsonl')
  async jsonl(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    await this.export(rawBookId, query, res, 'application/x-ndjson', undefined, (view) => `${JSON.stringify(view)}\n`);
  }

  /** Every matching event as CSV (RFC 4180), the event's data as one JSON column. */
  @Get('v1/books/:bookId/events.csv')
  async csv(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    await this.export(rawBookId, query, res, 'text/csv; charset=utf-8', CSV_HEADER, csvRow);
  }

  /** One event by id, from whichever book holds it, with its hash and the previous event's. */
  @Get('v1/events/:eventId')
  async one(@Param('eventId') eventId: string, @CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    decodeQuery(OneEventQuery, query);
    const found = await this.finder.find(eventId)();
    // An event of a book the caller may not audit is as absent as one that does not exist: no existence leak.
    if (E.isRight(found) && !grantsAllow(principal.grants, 'auditor', found.right.bookId)) {
      throw new ProblemException(problem(404, 'event-not-found', 'Event not found', `No book you may audit holds an event "${eventId}".`));
    }
    if (E.isLeft(found)) {
      throw new ProblemException(
        found.left._tag === 'EventNotFound'
          ? problem(404, 'event-not-found', 'Event not found', `No book holds an event "${eventId}".`)
          : problem(503, 'store-unavailable', 'Event store unavailable', found.left.message),
      );
    }
    const view = eventView(found.right.event);
    return {
      bookId: found.right.bookId,
      ...view,
      hash: found.right.event.metadata.hash ?? null,
      previousHash: found.right.event.metadata.previousHash ?? null,
    };
  }

  private async export(
    rawBookId: string,
    query: Record<string, unknown>,
    res: Response,
    contentType: string,
    header: string | undefined,
    line: (view: EventView) => string,
  ) {
    const bookId = requireBookId(rawBookId);
    const filter = eventFilterOf(decodeQuery(EventsExportQuery, query));
    let after: number | undefined;
    let started = false;
    // A whole book can be a million events: exported in slices, so /health and every other request
    // are answered while it streams.
    const slicer = new EventLoopSlicer();
    for (;;) {
      await slicer.pause();
      const page = await this.events.list(bookId, { limit: EXPORT_SLICE, filter, ...(after === undefined ? {} : { after }) })();
      if (E.isLeft(page)) {
        // Before the first byte the client gets a problem document; after it, only a cut-short stream.
        if (!started) return sendProblem(res, eventsErrorToProblem(page.left, bookId));
        res.destroy(new Error(page.left._tag));
        return;
      }
      if (!started) {
        started = true;
        res.status(200).setHeader('content-type', contentType);
        if (header !== undefined) res.write(header);
      }
      const chunk = page.right.events.map((event) => line(eventView(event))).join('');
      // Respect back-pressure: a slow client must not make the server buffer the whole book.
      if (chunk.length > 0 && !res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      if (page.right.nextAfter === undefined) break;
      after = page.right.nextAfter;
    }
    res.end();
  }
}
