import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import type { PositionQueryError, QueryTime } from '@treasury/application';
import { DEFAULT_LOT_METHOD, LOT_METHODS, SERIES_STEPS } from '@treasury/projections';
import { positionErrorToProblem } from '../http/command-error.mapper';
import { ProblemException } from '../http/problem';
import { optional, paramCodec, queryCodec, required } from '../http/query.params';
import { integerValue, logPositionValue, oneOfValue, queryTimeValue } from '../http/query-values.params';

/** The query codecs of the position routes (positions.controller.ts); the OpenAPI parameters are generated from them. */

const TIME_TEXT = "An instant with an offset, or a date (YYYY-MM-DD): the end of that day in the book's time zone.";
const time = (description: string, at: 'start' | 'end' = 'end') => optional(queryTimeValue(at), `${description} ${TIME_TEXT}`);

/** knownAt and minLogPosition, which every query on the projection takes; knownAt may be a date (the end of that day in the book's zone). */
export const freshnessParams = {
  knownAt: time('Recorded cut: only events recorded at or before knownAt (what the ledger knew then). Default now.'),
  minLogPosition: optional(
    logPositionValue('must be a log position as returned in a command response, e.g. "42"'),
    "Read-your-writes: answer only once the projection includes this log position (a command's `position`). Default: everything this server acknowledged.",
  ),
};

export const lotMethodParam = (description: string) => optional(oneOfValue(LOT_METHODS, DEFAULT_LOT_METHOD), description);
const METHOD_TEXT =
  "How disposals relieve lots: fifo (one queue for the company, oldest acquisition first) or wallet-fifo (one queue per wallet; a transfer moves lots with their acquisition date and cost, its network fee is a disposal from the source wallet's oldest sats). Anything else: 400 naming query.method.";

/**
 * Whether `a` is certainly before `b` without the book's calendar: two instants, or two dates (compared
 * as days). An instant and a date are left to the query (the range is then simply empty).
 */
export const isBefore = (a: QueryTime, b: QueryTime): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'number' || typeof b === 'number') return false;
  const day = ({ date }: Exclude<QueryTime, number>) => (date.year * 13 + date.month) * 32 + date.day;
  return day(a) < day(b);
};

const toNotBeforeFrom = ({ from, to }: { readonly from?: QueryTime; readonly to?: QueryTime }) =>
  from !== undefined && to !== undefined && isBefore(to, from) ? [{ path: 'to', message: 'must not be before from' }] : [];

export const PositionQuery = queryCodec('PositionQuery', {
  asOf: time('Effective cut: events with effectiveAt <= asOf. Default now.'),
  ...freshnessParams,
  method: lotMethodParam(METHOD_TEXT),
});

export const SeriesQuery = queryCodec(
  'SeriesQuery',
  {
    from: required(queryTimeValue('end'), `First point. ${TIME_TEXT}`),
    to: required(queryTimeValue('end'), `Last point at or before this instant. ${TIME_TEXT}`),
    every: required(
      oneOfValue(SERIES_STEPS),
      '1h, 1d, 1w or calendar months (1mo, day clamped to month end).',
      `is required: one of ${SERIES_STEPS.join(', ')}`,
    ),
    ...freshnessParams,
  },
  toNotBeforeFrom,
);

/** Contributions per page of an explanation: at most, and by default (a page of 10,000 is a 3 MB answer to serialise). */
const MAX_EXPLAIN_PAGE = 10_000;
export const DEFAULT_EXPLAIN_PAGE = 1_000;
const FIGURE_TEXT = 'is required: a figure path such as holdings.unencumberedBtc or loans.<loanId>.outstandingUsd';

export const ExplainQuery = queryCodec('ExplainQuery', {
  figure: required(
    paramCodec(
      'FigureParam',
      { type: 'string', minLength: 1, maxLength: 200, example: 'loans.btc-loan-2025.outstandingUsd' },
      (text) => (text.length > 0 && text.length <= 200 ? E.right(text) : E.left(FIGURE_TEXT)),
      (text) => text,
      FIGURE_TEXT,
    ),
    'A figure path of the position.',
    FIGURE_TEXT,
  ),
  asOf: time('Default now.'),
  ...freshnessParams,
  after: optional(integerValue(0, Number.MAX_SAFE_INTEGER, 0), 'Contributions already read (the `next` of the previous page).'),
  limit: optional(integerValue(1, MAX_EXPLAIN_PAGE, DEFAULT_EXPLAIN_PAGE), 'Contributions per page.'),
});

export const ReconciliationQuery = queryCodec('ReconciliationQuery', { ...freshnessParams });

export const LotsQuery = queryCodec('LotsQuery', { asOf: time('Default now.'), ...freshnessParams, method: lotMethodParam(METHOD_TEXT) });

export const DisposalsQuery = queryCodec(
  'DisposalsQuery',
  {
    from: optional(queryTimeValue('start'), `Default: the beginning. ${TIME_TEXT.replace('the end of that day', 'the start of that day')}`),
    to: time('Default now.'),
    ...freshnessParams,
    method: lotMethodParam(METHOD_TEXT),
  },
  toNotBeforeFrom,
);

/** Runs a projection query; a refusal leaves as its problem document. */
export const answer = async <A>(bookId: string, query: TE.TaskEither<PositionQueryError, A>): Promise<A> => {
  const result = await query();
  if (E.isLeft(result)) throw new ProblemException(positionErrorToProblem(result.left, bookId));
  return result.right;
};
