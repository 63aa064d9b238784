import { MAX_ALERTS_PAGE } from '@treasury/application';
import { optional, queryCodec } from '../http/query.params';
import { integerValue, logPositionValue } from '../http/query-values.params';

/** The streams' `?after=`: for clients that cannot set Last-Event-ID (which wins over it). */
const STREAM_PARAMS = {
  after: optional(
    logPositionValue('must be a log position (the id of the last message received), e.g. "42"'),
    'Resume strictly after this log position, for clients that cannot set Last-Event-ID (which wins over it); `0` replays from the start. Neither: only what happens from now on.',
  ),
};

export const BookStreamQuery = queryCodec('BookStreamQuery', STREAM_PARAMS);
export const AllStreamQuery = queryCodec('AllStreamQuery', STREAM_PARAMS);

export const AlertsPageQuery = queryCodec('AlertsQuery', {
  after: optional(integerValue(0, Number.MAX_SAFE_INTEGER), 'the last `sequence` read (the previous page’s `next`)'),
  limit: optional(integerValue(1, MAX_ALERTS_PAGE, MAX_ALERTS_PAGE), 'Alerts per page at most.'),
});
