import * as E from 'fp-ts/Either';
import { ProjectionSnapshot, bookStream } from '@treasury/application';
import { EventStore, storeErrorMessage } from '@treasury/event-store';

const hashOf = (metadata: Record<string, unknown>): string | null => (typeof metadata['hash'] === 'string' ? metadata['hash'] : null);

/**
 * Why a projection snapshot does not belong to a (restored) store, or undefined when it does: made
 * from this store's identity, folded no further than the log goes, the same event at its checkpoint
 * and every book's last folded event still there. A restored backup keeps the original's identity, so
 * a snapshot the original saved after the backup passes the identity check and fails the others; left
 * in place, the server would report its extra events as vanished from the log (a finding that stays
 * until a rebuild), so restore removes it instead.
 */
export const whySnapshotDoesNotFit = async (
  store: EventStore,
  snapshot: ProjectionSnapshot,
): Promise<E.Either<string, string | undefined>> => {
  const identity = await store.identity()();
  if (E.isLeft(identity)) return E.left(storeErrorMessage(identity.left));
  if (snapshot.storeId !== identity.right) return E.right(`it was made from another store (${snapshot.storeId})`);
  if (snapshot.findings.length > 0) return E.right('it carries findings about events missing from the log it was folded from');
  const head = await store.headPosition()();
  if (E.isLeft(head)) return E.left(storeErrorMessage(head.left));
  if (snapshot.checkpoint > head.right)
    return E.right(`it has folded the log up to logPosition ${snapshot.checkpoint}; the restored log ends at ${head.right}`);
  if (snapshot.checkpointEvent !== null) {
    const at = await store.readAt(snapshot.checkpoint)();
    if (E.isLeft(at)) return E.left(storeErrorMessage(at.left));
    if (
      at.right === undefined ||
      at.right.eventId !== snapshot.checkpointEvent.eventId ||
      hashOf(at.right.metadata) !== snapshot.checkpointEvent.hash
    )
      return E.right(`the restored log holds another event at its checkpoint ${snapshot.checkpoint}`);
  }
  for (const [bookId, folded] of snapshot.heads) {
    const at = await store.readStream(bookStream(bookId), { fromRevision: folded.revision, maxCount: 1 })();
    if (E.isLeft(at)) return E.left(storeErrorMessage(at.left));
    const found = at.right[0];
    if (
      found === undefined ||
      found.revision !== folded.revision ||
      found.eventId !== folded.eventId ||
      hashOf(found.metadata) !== folded.hash
    )
      return E.right(`book ${bookId} in the restored log does not hold the event it had folded at revision ${folded.revision}`);
  }
  return E.right(undefined);
};
