import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { PositionQueries } from '@treasury/application';
import { decodeQuery } from '../http/query.params';
import { requireBookId } from '../http/request-fields';
import { explainAnswer } from './explanation.view';
import { disposalsAnswer, openLotsAnswer } from './lots.view';
import { positionAnswer } from './position.view';
import { seriesAnswer } from './series.view';
import { reconciliationAnswer } from '../reports/reconciliation.view';
import {
  DEFAULT_EXPLAIN_PAGE,
  DisposalsQuery,
  ExplainQuery,
  LotsQuery,
  PositionQuery,
  ReconciliationQuery,
  SeriesQuery,
  answer,
} from './position-query.params';

/** Each route's query is decoded by its codec in position-query.params.ts (unknown names refused, every failing `query.<name>` in one 400). */
type Query = Record<string, unknown>;

/**
 * The bi-temporal queries. `asOf` cuts by effective time, `knownAt` by recorded time; both default to
 * now. Every answer includes every event up to `minLogPosition` (default: whatever this server has
 * acknowledged), so a client reads its own writes.
 */
@Controller('v1/books/:bookId')
export class PositionsController {
  constructor(private readonly positions: PositionQueries) {}

  @Get('position')
  position(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    return answer(bookId, this.positions.position(bookId, decodeQuery(PositionQuery, query))).then(positionAnswer);
  }

  @Get('position/series')
  series(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    return answer(bookId, this.positions.series(bookId, decodeQuery(SeriesQuery, query))).then(seriesAnswer);
  }

  /** The events (or observation, or formula) behind one figure of the position. */
  @Get('position/explain')
  explain(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    const { after, limit, ...cut } = decodeQuery(ExplainQuery, query);
    return answer(bookId, this.positions.explain(bookId, { ...cut, offset: after ?? 0, limit: limit ?? DEFAULT_EXPLAIN_PAGE })).then(
      explainAnswer,
    );
  }

  /** Every published report beside the ledger's figure for the same date, flagged beyond the tolerance. */
  @Get('reconciliation')
  reconciliation(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    return answer(bookId, this.positions.reconciliation(bookId, decodeQuery(ReconciliationQuery, query))).then(reconciliationAnswer);
  }

  @Get('lots')
  lots(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    return answer(bookId, this.positions.lots(bookId, decodeQuery(LotsQuery, query))).then(openLotsAnswer);
  }

  @Get('disposals')
  disposals(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    return answer(bookId, this.positions.disposals(bookId, decodeQuery(DisposalsQuery, query))).then(disposalsAnswer);
  }
}
