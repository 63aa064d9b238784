import { optional, queryCodec } from '../http/query.params';
import { integerValue } from '../http/query-values.params';

/** Access events per page at most, and by default. */
export const MAX_ACCESS_PAGE = 1_000;

export const AccessEventsQuery = queryCodec('AccessEventsQuery', {
  after: optional(integerValue(0, Number.MAX_SAFE_INTEGER), 'Cursor: the `next` of the previous page.'),
  limit: optional(integerValue(1, MAX_ACCESS_PAGE, MAX_ACCESS_PAGE), 'Access events per page at most.'),
});
export const AccessVerifyQuery = queryCodec('AccessVerifyQuery', {});
export const ApiKeysQuery = queryCodec('ApiKeysQuery', {});
