import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { PositionQueries } from '@treasury/application';
import { LOT_METHODS, SERIES_STEPS } from '@treasury/projections';
import { ProblemException, invalidRequest } from '../http/problem';
import { checkQueryNames, integerParam, oneOfParam, requireBookId, requiredTimeParam, timeParam } from '../http/request-fields';
import { QueryTime } from '@treasury/application';
import { Query, answer, asOfCut, freshness } from './position-query.params';
import { explainAnswer } from './explanation.view';
import { positionAnswer } from './position.view';

/** Contributions per page of an explanation: at most, and by default (a page of 10,000 is a 3 MB answer to serialise). */
const MAX_EXPLAIN_PAGE = 10_000;
const DEFAULT_EXPLAIN_PAGE = 1_000;

/**
 * Whether `a` is certainly before `b` without the book's calendar: two instants, or two dates (compared
 * as days). An instant and a date are left to the query (the range is then simply empty).
 */
const isBefore = (a: QueryTime, b: QueryTime): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'number' || typeof b === 'number') return false;
  const day = ({ date }: Exclude<QueryTime, number>) => (date.year * 13 + date.month) * 32 + date.day;
  return day(a) < day(b);
};

/** `method`: how disposals relieve lots (fifo, the default, or wallet-fifo); 400 naming query.method otherwise. */
const lotMethod = (query: Query) => {
  const method = oneOfParam(query, 'method', LOT_METHODS);
  return method === undefined ? {} : { method };
};

/**
 * The bi-temporal queries. `asOf` cuts by effective time, `knownAt` by recorded time; both default to
 * now. Every answer includes every event up to `minPosition` (default: whatever this server has
 * acknowledged), so a client reads its own writes.
 */
@Controller('v1/books/:bookId')
export class PositionsController {
  constructor(private readonly positions: PositionQueries) {}

  @Get('position')
  position(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    checkQueryNames(query, ['asOf', 'knownAt', 'minPosition', 'method']);
    return answer(bookId, this.positions.position(bookId, { ...asOfCut(query), ...lotMethod(query) })).then(positionAnswer);
  }

  @Get('position/series')
  series(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    checkQueryNames(query, ['from', 'to', 'every', 'knownAt', 'minPosition']);
    const from = requiredTimeParam(query, 'from');
    const to = requiredTimeParam(query, 'to');
    const every = oneOfParam(query, 'every', SERIES_STEPS);
    if (every === undefined) throw new ProblemException(invalidRequest([{ path: 'query.every', message: `is required: one of ${SERIES_STEPS.join(', ')}` }]));
    if (isBefore(to, from)) throw new ProblemException(invalidRequest([{ path: 'query.to', message: 'must not be before from' }]));
    return answer(bookId, this.positions.series(bookId, { from, to, every, ...freshness(query) }));
  }

  /** The events (or observation, or formula) behind one figure of the position. */
  @Get('position/explain')
  explain(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    checkQueryNames(query, ['figure', 'asOf', 'knownAt', 'minPosition', 'after', 'limit']);
    const figure = query.figure;
    if (typeof figure !== 'string' || figure.length === 0 || figure.length > 200) {
      throw new ProblemException(invalidRequest([{ path: 'query.figure', message: 'is required: a figure path such as holdings.unencumberedBtc or loans.<loanId>.outstandingUsd' }]));
    }
    const offset = integerParam(query, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = integerParam(query, 'limit', 1, MAX_EXPLAIN_PAGE) ?? DEFAULT_EXPLAIN_PAGE;
    return answer(bookId, this.positions.explain(bookId, { figure, offset, limit, ...asOfCut(query) })).then(explainAnswer);
  }

  /** Every published report beside the ledger's figure for the same date, flagged beyond the tolerance. */
  @Get('reconciliation')
  reconciliation(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    checkQueryNames(query, ['knownAt', 'minPosition']);
    return answer(bookId, this.positions.reconciliation(bookId, freshness(query)));
  }

  @Get('lots')
  lots(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    checkQueryNames(query, ['asOf', 'knownAt', 'minPosition', 'method']);
    return answer(bookId, this.positions.lots(bookId, { ...asOfCut(query), ...lotMethod(query) }));
  }

  @Get('disposals')
  disposals(@Param('bookId') rawBookId: string, @QueryParams() query: Query) {
    const bookId = requireBookId(rawBookId);
    checkQueryNames(query, ['from', 'to', 'knownAt', 'minPosition', 'method']);
    const from = timeParam(query, 'from', 'start');
    const to = timeParam(query, 'to');
    if (from !== undefined && to !== undefined && isBefore(to, from)) throw new ProblemException(invalidRequest([{ path: 'query.to', message: 'must not be before from' }]));
    return answer(bookId, this.positions.disposals(bookId, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }), ...lotMethod(query), ...freshness(query) }));
  }
}
