import * as E from 'fp-ts/Either';
import { MAX_REPORT_MONTHS, YearMonth, monthCount, parseMonth } from '@treasury/projections';
import { paramCodec, queryCodec, required } from '../http/query.params';
import { freshnessParams, lotMethodParam } from '../positions/position-query.params';

const MONTH_TEXT = 'is required: a month as YYYY-MM, e.g. 2026-01';

const month = (example: string) =>
  paramCodec<YearMonth>(
    'MonthParam',
    { type: 'string', pattern: '^\\d{4}-\\d{2}$', example },
    (text) => {
      const parsed = parseMonth(text);
      return parsed === undefined ? E.left(MONTH_TEXT) : E.right(parsed);
    },
    ({ year, month: m }) => `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}`,
    MONTH_TEXT,
  );

/**
 * A report's months `from` to `to` ("YYYY-MM", at most MAX_REPORT_MONTHS), the lot method (`fifo`, the
 * default, or `wallet-fifo`) and the freshness cuts; every failing field named in one 400.
 */
const reportQuery = (name: string, methodText: string) =>
  queryCodec(
    name,
    {
      from: required(month('2025-07'), "First calendar month, in the book's time zone.", MONTH_TEXT),
      to: required(month('2026-01'), `Last calendar month (at most ${MAX_REPORT_MONTHS} months in all).`, MONTH_TEXT),
      ...freshnessParams,
      method: lotMethodParam(methodText),
    },
    ({ from, to }) => {
      if (from === undefined || to === undefined) return [];
      const count = monthCount(from, to);
      if (count > MAX_REPORT_MONTHS) return [{ path: 'to', message: `at most ${MAX_REPORT_MONTHS} months` }];
      return count <= 0 ? [{ path: 'to', message: 'must not be before from' }] : [];
    },
  );

export const MonthEndQuery = reportQuery('MonthEndQuery', 'Lot method of the USD roll-forward (`usd` in each row).');
export const PnlQuery = reportQuery('PnlQuery', 'Lot method of the realized gains and the remeasurement.');
