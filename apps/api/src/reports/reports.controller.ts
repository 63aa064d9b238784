import { Controller, Get, Param, Query } from '@nestjs/common';
import { PositionQueries } from '@treasury/application';
import { FieldError } from '@treasury/domain';
import { MAX_REPORT_MONTHS, monthsBetween, parseMonth } from '@treasury/projections';
import { ProblemException, invalidRequest } from '../http/problem';
import { checkQueryNames, requireBookId } from '../http/request-fields';
import { answer, freshness } from '../positions/position-query.params';

@Controller('v1/books/:bookId/reports')
export class ReportsController {
  constructor(private readonly positions: PositionQueries) {}

  /** Per calendar month (UTC) from `from` to `to` ("YYYY-MM"): the BTC roll-forward and the month-end position. */
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
    const months = from === undefined || to === undefined ? undefined : monthsBetween(from, to);
    if (from !== undefined && to !== undefined) {
      if (months === undefined) errors.push({ path: 'query.to', message: `at most ${MAX_REPORT_MONTHS} months` });
      else if (months.length === 0) errors.push({ path: 'query.to', message: 'must not be before from' });
    }
    if (errors.length > 0 || months === undefined) throw new ProblemException(invalidRequest(errors));
    return answer(bookId, this.positions.monthEnd(bookId, { months, ...freshness(query) }));
  }
}
