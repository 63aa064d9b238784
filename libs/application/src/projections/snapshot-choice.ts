import * as E from 'fp-ts/Either';
import { EventStore, storeErrorMessage } from '@treasury/event-store';
import { bookStream } from '../commands/book-stream';
import type { BookHead, LogFinding, ProjectionSnapshot } from '../ports/projection-snapshots';
import { ProjectionState } from './projection-state';
import type { SnapshotUse } from './position-projector';

/**
 * Whether a projection snapshot may be used at start: it must come from this store, every book's last
 * folded event must still be where it was, and the store must hold the same event at its checkpoint.
 * Split from position-projector.ts; findings about vanished events hold whatever is decided.
 */

/** A store read that failed, as the projector reports it: what it was doing, then the store's own message. */
export const storeFailure = (what: string, error: Parameters<typeof storeErrorMessage>[0]) =>
  new Error(`${what}: ${storeErrorMessage(error)}`);

/** Decides whether a loaded snapshot may be used; findings about vanished events hold whatever is decided. */
export const chooseSnapshot = async (
  store: EventStore,
  storeId: string,
  loaded: { readonly snapshot: ProjectionSnapshot | undefined } | { readonly damaged: Error },
): Promise<E.Either<Error, { state: ProjectionState; use: SnapshotUse; findings: LogFinding[] }>> => {
  const fresh = (use: SnapshotUse, findings: LogFinding[] = []) => E.right({ state: new ProjectionState(storeId), use, findings });
  if ('damaged' in loaded) return fresh({ status: 'discarded', reason: `unreadable: ${loaded.damaged.message}` });
  const snapshot = loaded.snapshot;
  if (snapshot === undefined) return fresh({ status: 'none' });
  if (snapshot.storeId !== storeId)
    return fresh({ status: 'discarded', reason: `it was made from another store (${snapshot.storeId}, this one is ${storeId})` });
  // The same store: what it lost since the snapshot is a finding, whether or not the snapshot is used.
  const findings = [...snapshot.findings];
  for (const [bookId, head] of snapshot.heads) {
    const finding = await checkHead(store, bookId, head);
    if (E.isLeft(finding)) return finding;
    if (finding.right !== undefined) findings.push(finding.right);
  }
  if (findings.length > snapshot.findings.length)
    return fresh({ status: 'discarded', reason: 'events it had folded are no longer in the log' }, findings);
  if (snapshot.checkpointEvent !== null) {
    const at = await store.readAt(snapshot.checkpoint)();
    if (E.isLeft(at)) return E.left(storeFailure('reading the event at the snapshot checkpoint', at.left));
    const found = at.right;
    const hash = found === undefined ? null : typeof found.metadata['hash'] === 'string' ? found.metadata['hash'] : null;
    if (found === undefined || found.eventId !== snapshot.checkpointEvent.eventId || hash !== snapshot.checkpointEvent.hash) {
      const what = found === undefined ? 'no event' : `event ${found.eventId}`;
      return fresh(
        {
          status: 'discarded',
          reason: `the store holds ${what} at its checkpoint ${snapshot.checkpoint}, not ${snapshot.checkpointEvent.eventId}`,
        },
        findings,
      );
    }
  }
  const restored = ProjectionState.fromSnapshot(snapshot);
  if (E.isLeft(restored)) return fresh({ status: 'discarded', reason: `it does not restore: ${restored.left.message}` }, findings);
  return E.right({
    state: restored.right,
    use: { status: 'loaded', checkpoint: snapshot.checkpoint, events: restored.right.eventCount },
    findings,
  });
};

/** Does the book's stream still hold, at the same revision, the last event the snapshot folded? */
const checkHead = async (store: EventStore, bookId: string, head: BookHead): Promise<E.Either<Error, LogFinding | undefined>> => {
  const stream = bookStream(bookId);
  const at = await store.readStream(stream, { fromRevision: head.revision, maxCount: 1 })();
  if (E.isLeft(at)) return E.left(storeFailure(`reading ${stream}`, at.left));
  const found = at.right[0];
  const hashOf = (metadata: Record<string, unknown>) => (typeof metadata['hash'] === 'string' ? metadata['hash'] : null);
  if (found !== undefined && found.revision === head.revision) {
    if (found.eventId === head.eventId && hashOf(found.metadata) === head.hash) return E.right(undefined);
    return E.right({
      bookId,
      reason: 'events-rewritten',
      expected: head,
      found: { revision: found.revision, eventId: found.eventId, hash: hashOf(found.metadata) },
    });
  }
  const last = await store.readStream(stream, { direction: 'backwards', maxCount: 1 })();
  if (E.isLeft(last)) return E.left(storeFailure(`reading ${stream}`, last.left));
  const tail = last.right[0];
  return E.right({
    bookId,
    reason: 'events-vanished',
    expected: head,
    found:
      tail === undefined
        ? { revision: null, eventId: null, hash: null }
        : { revision: tail.revision, eventId: tail.eventId, hash: hashOf(tail.metadata) },
  });
};
