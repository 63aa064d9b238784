import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { alertStream } from '@treasury/domain';
import { EventStore, storeErrorMessage } from '@treasury/event-store';
import { AlertView, alertView, decodeAlert } from '../feed/feed-items';
import type { PositionProjector } from '../projections/position-projector';

export type AlertsQueryError = { readonly _tag: 'BookNotFound' } | { readonly _tag: 'StoreFailure'; readonly message: string };

export const MAX_ALERTS_PAGE = 1_000;

/** A book's alerts in the order raised (their `sequence` in the alerts stream), a page at a time. */
export class AlertsQuery {
  constructor(
    private readonly store: EventStore,
    private readonly projector: PositionProjector,
    /** The last log position this process acknowledged: a book just opened here is found at once. */
    private readonly acknowledged: () => bigint = () => 0n,
  ) {}

  list(
    bookId: string,
    options: { readonly after?: number; readonly limit: number },
  ): TE.TaskEither<AlertsQueryError, { readonly alerts: ReadonlyArray<AlertView>; readonly next: number | null }> {
    return async () => {
      await this.projector.waitFor(this.acknowledged(), 5_000);
      if (this.projector.book(bookId) === undefined) return E.left({ _tag: 'BookNotFound' });
      const from = options.after === undefined ? 0 : options.after + 1;
      // One more than asked says whether there is a next page.
      const page = await this.store.readStream(alertStream(bookId), { fromRevision: from, maxCount: options.limit + 1 })();
      if (E.isLeft(page)) return E.left({ _tag: 'StoreFailure', message: storeErrorMessage(page.left) });
      const alerts: AlertView[] = [];
      for (const stored of page.right.slice(0, options.limit)) {
        const decoded = decodeAlert(stored);
        if (E.isLeft(decoded)) return E.left({ _tag: 'StoreFailure', message: decoded.left });
        alerts.push(alertView(bookId, stored, decoded.right.data, decoded.right.metadata));
      }
      const last = alerts[alerts.length - 1];
      return E.right({ alerts, next: page.right.length > options.limit && last !== undefined ? last.sequence : null });
    };
  }
}
