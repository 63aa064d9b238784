import { formatInstant } from '@treasury/domain';
import type { MonthlyHeader } from '@treasury/application';

/** What every monthly report answers before its months (the same keys, in the same order, as before the views moved here). */
export const monthlyHeaderView = ({ bookId, knownAt, revision, timeZone, bookOpenedAt, firstMonth, method }: MonthlyHeader) => ({
  bookId,
  knownAt,
  revision,
  timeZone,
  bookOpenedAt: formatInstant(bookOpenedAt),
  firstMonth,
  method,
});
