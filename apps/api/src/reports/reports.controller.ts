import { Controller, Get, Param, Query } from '@nestjs/common';
import { PositionQueries } from '@treasury/application';
import { decodeQuery } from '../http/query.params';
import { requireBookId } from '../http/request-fields';
import { answer } from '../positions/position-query.params';
import { monthEndAnswer } from './month-end.view';
import { pnlAnswer } from './pnl.view';
import { MonthEndQuery, PnlQuery } from './report.params';

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
    return answer(bookId, this.positions.monthEnd(bookId, decodeQuery(MonthEndQuery, query))).then(monthEndAnswer);
  }

  /** The period P&L per month and in total, on the same months, under the lot method. */
  @Get('pnl')
  pnl(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    return answer(bookId, this.positions.pnl(bookId, decodeQuery(PnlQuery, query))).then(pnlAnswer);
  }
}
