import { Controller, Get, Param, Query } from '@nestjs/common';
import { PositionQueries } from '@treasury/application';
import { FieldError } from '@treasury/domain';
import { MAX_REPORT_MONTHS, monthCount, parseMonth } from '@treasury/projections';
import { ProblemException, invalidRequest } from '../http/problem';
import { checkQueryNames, requireBookId } from '../http/request-fields';
import { answer, freshness } from '../positions/position-query.params';

@Controller('v1/books/:bookId/reports')
export class ReportsController {
  constructor(private readonly positions: PositionQueries) {}

  /**
   * Per calendar month in the book's time zone from `from` to `to` ("YYYY-MM"), starting no earlier than the
   * month the book opened in: the BTC roll-forward and the month-end position.
   */
  @Get('month-end')
  monthEnd(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    checkQueryNames(query, ['from', 'to', 'knownAt', 'minPosition']);
    const errors: FieldError[] = [];
    const month = (name: string) => {
      const parsed = typeof query[name] === 'string' ? parseMonth(query[name]) : undefined;
      if (parsed === undefined) errors.push({ path: `query.${name}`, message: 'is required: a month as YYYY-MM, e.g. 2026-01' });
      return parsed;
    };
    const from = month('from');
    const to = month('to');
    const count = from === undefined || to === undefined ? undefined : monthCount(from, to);
    if (count !== undefined) {
      if (count > MAX_REPORT_MONTHS) errors.push({ path: 'query.to', message: `at most ${MAX_REPORT_MONTHS} months` });
      else if (count <= 0) errors.push({ path: 'query.to', message: 'must not be before from' });
    }
    if (errors.length > 0 || from === undefined || to === undefined) throw new ProblemException(invalidRequest(errors));
    return answer(bookId, this.positions.monthEnd(bookId, { from, to, ...freshness(query) }));
  }
}
