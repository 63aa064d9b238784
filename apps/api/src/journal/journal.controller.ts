import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { JournalQueries } from '@treasury/application';
import { decodeQuery } from '../http/query.params';
import { requireBookId } from '../http/request-fields';
import { answer } from '../positions/position-query.params';
import { JournalQuery } from './journal.params';
import { journalCsv, journalView } from './journal.view';

/**
 * GET /v1/books/{bookId}/journal: the double-entry journal of the events effective in [from, to] (a
 * date `from` is the start of that day, a date `to` its end, in the book's zone), as known at knownAt,
 * with month-end adjustments. JSON by default; CSV (one row per line) with format=csv or Accept: text/csv.
 */
@Controller('v1/books/:bookId')
export class JournalController {
  constructor(private readonly journals: JournalQueries) {}

  @Get('journal')
  async journal(
    @Param('bookId') rawBookId: string,
    @Query() query: Record<string, unknown>,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const bookId = requireBookId(rawBookId);
    const { format: asked, ...range } = decodeQuery(JournalQuery, query);
    const format = asked ?? (accept !== undefined && /\btext\/csv\b/i.test(accept) ? 'csv' : 'json');
    const result = await answer(bookId, this.journals.journal(bookId, range));
    if (format === 'json') return journalView(result);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="journal-${bookId}.csv"`);
    return journalCsv(result);
  }
}
