import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { JournalQueries, QueryTime } from '@treasury/application';
import { LOT_METHODS } from '@treasury/projections';
import { ProblemException, invalidRequest } from '../http/problem';
import { checkQueryNames, oneOfParam, requireBookId, timeParam } from '../http/request-fields';
import { answer, freshness } from '../positions/position-query.params';
import { journalCsv, journalView } from './journal-view';

/** Whether `to` is certainly before `from` without the book's calendar (two instants, or two dates). */
const isBefore = (a: QueryTime, b: QueryTime): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'number' || typeof b === 'number') return false;
  const day = ({ date }: Exclude<QueryTime, number>) => (date.year * 13 + date.month) * 32 + date.day;
  return day(a) < day(b);
};

const required = (query: Record<string, unknown>, name: string, at: 'start' | 'end'): QueryTime => {
  const value = timeParam(query, name, at);
  if (value === undefined) throw new ProblemException(invalidRequest([{ path: `query.${name}`, message: 'is required: an instant with an offset, or a date (YYYY-MM-DD)' }]));
  return value;
};

/**
 * GET /v1/books/{bookId}/journal: the double-entry journal of the events effective in [from, to] (a
 * date `from` is the start of that day, a date `to` its end, in the book's zone), as known at knownAt,
 * with month-end adjustments. JSON by default; CSV (one row per line) with format=csv or Accept: text/csv.
 */
@Controller('v1/books/:bookId')
export class JournalController {
  constructor(private readonly journals: JournalQueries) {}

  @Get('journal')
  async journal(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response) {
    const bookId = requireBookId(rawBookId);
    checkQueryNames(query, ['from', 'to', 'knownAt', 'minPosition', 'method', 'format']);
    const from = required(query, 'from', 'start');
    const to = required(query, 'to', 'end');
    const method = oneOfParam(query, 'method', LOT_METHODS);
    const format = oneOfParam(query, 'format', ['json', 'csv'] as const) ?? (accept !== undefined && /\btext\/csv\b/i.test(accept) ? 'csv' : 'json');
    if (isBefore(to, from)) throw new ProblemException(invalidRequest([{ path: 'query.to', message: 'must not be before from' }]));
    const result = await answer(bookId, this.journals.journal(bookId, { from, to, ...(method === undefined ? {} : { method }), ...freshness(query) }));
    if (format === 'json') return journalView(result);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="journal-${bookId}.csv"`);
    return journalCsv(result);
  }
}
