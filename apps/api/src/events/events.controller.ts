import { Controller, Get, Param, Query } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import { BookEventsQuery, MAX_EVENTS_PAGE, eventView } from '@treasury/application';
import { eventsErrorToProblem } from '../http/command-error.mapper';
import { ProblemException } from '../http/problem';
import { checkQueryNames, integerParam, requireBookId } from '../http/request-fields';

@Controller('v1/books/:bookId/events')
export class EventsController {
  constructor(private readonly events: BookEventsQuery) {}

  /** A book's events in recorded order with their metadata, `limit` at a time after revision `after`. */
  @Get()
  async list(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    checkQueryNames(query, ['after', 'limit']);
    const after = integerParam(query, 'after', 0, Number.MAX_SAFE_INTEGER);
    const limit = integerParam(query, 'limit', 1, MAX_EVENTS_PAGE) ?? MAX_EVENTS_PAGE;
    const page = await this.events.list(bookId, { limit, ...(after === undefined ? {} : { after }) })();
    if (E.isLeft(page)) throw new ProblemException(eventsErrorToProblem(page.left, bookId));
    return { bookId, events: page.right.events.map(eventView), next: page.right.nextAfter ?? null };
  }
}
