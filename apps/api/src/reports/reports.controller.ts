import { Controller, Get, Param, Query } from '@nestjs/common';
import { PositionQueries } from '@treasury/application';
import { FieldError } from '@treasury/domain';
import { LOT_METHODS, MAX_REPORT_MONTHS, monthCount, parseMonth } from '@treasury/projections';
import { ProblemException, invalidRequest } from '../http/problem';
import { checkQueryNames, oneOfParam, requireBookId } from '../http/request-fields';
import { answer, freshness } from '../positions/position-query.params';

const REPORT_QUERY = ['from', 'to', 'knownAt', 'minPosition', 'method'];

/**
 * A report's months `from` to `to` ("YYYY-MM", at most MAX_REPORT_MONTHS), the lot method (`fifo`, the
 * default, or `wallet-fifo`) and the freshness cuts; every failing field named in one 400.
 */
const reportQuery = (query: Record<string, unknown>) => {
  checkQueryNames(query, REPORT_QUERY);
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
  const method = query['method'];
  if (method !== undefined && (typeof method !== 'string' || !(LOT_METHODS as ReadonlyArray<string>).includes(method))) {
    errors.push({ path: 'query.method', message: `must be one of ${LOT_METHODS.join(', ')}` });
  }
  if (errors.length > 0 || from === undefined || to === undefined) throw new ProblemException(invalidRequest(errors));
  const lotMethod = oneOfParam(query, 'method', LOT_METHODS);
  return { from, to, ...(lotMethod === undefined ? {} : { method: lotMethod }), ...freshness(query) };
};

@Controller('v1/books/:bookId/reports')
export class ReportsController {
  constructor(private readonly positions: PositionQueries) {}

  /**
   * Per calendar month in the book's time zone from `from` to `to` ("YYYY-MM"), starting no earlier than the
   * month the book opened in: the BTC roll-forward, the USD roll-forward under the lot method, and the month-end position.
   */
  @Get('month-end')
  monthEnd(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    return answer(bookId, this.positions.monthEnd(bookId, reportQuery(query)));
  }

  /** The period P&L per month and in total, on the same months, under the lot method. */
  @Get('pnl')
  pnl(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    return answer(bookId, this.positions.pnl(bookId, reportQuery(query)));
  }
}
