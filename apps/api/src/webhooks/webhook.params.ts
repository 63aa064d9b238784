import { optional, queryCodec } from '../http/query.params';
import { integerValue } from '../http/query-values.params';

/** Delivery log entries per page. */
export const MAX_DELIVERIES_PAGE = 200;

export const WebhooksQuery = queryCodec('WebhooksQuery', {});

export const DeliveriesQuery = queryCodec('DeliveriesQuery', {
  after: optional(integerValue(0, Number.MAX_SAFE_INTEGER), "the last `sequence` read (the previous page's `next`)"),
  limit: optional(integerValue(1, MAX_DELIVERIES_PAGE, MAX_DELIVERIES_PAGE), 'Entries per page at most.'),
});
