import { queryCodec, optional, required } from '../http/query.params';
import { oneOfValue, queryTimeValue } from '../http/query-values.params';
import { freshnessParams, isBefore, lotMethodParam } from '../positions/position-query.params';

const MISSING = 'is required: an instant with an offset, or a date (YYYY-MM-DD)';
const TIME_TEXT = "An instant with an offset, or a date (YYYY-MM-DD) in the book's time zone.";

/** GET …/journal: effective range [from, to] (a date `from` is the start of that day, a date `to` its end), cuts, lot method and format. */
export const JournalQuery = queryCodec(
  'JournalQuery',
  {
    from: required(queryTimeValue('start'), `First effective instant (a date: the start of that day). ${TIME_TEXT}`, MISSING),
    to: required(queryTimeValue('end'), `Last effective instant (a date: the end of that day). ${TIME_TEXT}`, MISSING),
    ...freshnessParams,
    method: lotMethodParam('Lot method of the relieved cost and realized gain.'),
    format: optional(
      oneOfValue(['json', 'csv'] as const, 'json'),
      'csv (or Accept: text/csv): one row per line: entryId, date, eventId, type, account, accountName, debit, credit, memo, reference, interim.',
    ),
  },
  ({ from, to }) =>
    from !== undefined && to !== undefined && isBefore(to, from) ? [{ path: 'to', message: 'must not be before from' }] : [],
);
