import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import type { EventHandler, EventSubscription, SubscribeOptions } from '@treasury/event-store';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { NoProjectionSnapshots } from '../ports/projection-snapshots';
import { PositionProjector } from './position-projector';

/** A store whose subscription reports drops as the EventStoreDB adapter does (SQLite itself never drops). */
class DroppingStore extends SqliteEventStore {
  options: SubscribeOptions | undefined;
  override subscribeToAll(options: SubscribeOptions, handler: EventHandler): EventSubscription {
    this.options = options;
    return super.subscribeToAll(options, handler);
  }
}

describe('PositionProjector and subscription drops', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'drops-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the drops its subscription reports, keeps the last, and warns', async () => {
    const store = new DroppingStore(join(dir, 'log.db'));
    const warnings: string[] = [];
    const projector = new PositionProjector(store, new NoProjectionSnapshots(), { onWarning: (m) => void warnings.push(m) });
    expect(E.isRight(await projector.start()())).toBe(true);
    expect(projector.subscriptionDrops).toEqual({ count: 0, last: undefined });

    store.options!.onDrop!({ message: 'UNAVAILABLE', resumeAfter: 7n, consecutive: 1, retryInMs: 100 });
    store.options!.onDrop!({ message: 'the server ended the subscription', resumeAfter: 9n, consecutive: 1, retryInMs: 90 });
    expect(projector.subscriptionDrops).toEqual({
      count: 2,
      last: { message: 'the server ended the subscription', resumeAfter: 9n, consecutive: 1, retryInMs: 90 },
    });
    expect(warnings.filter((w) => w.includes('subscription dropped'))).toHaveLength(2);
    await projector.stop();
    await store.close();
  });
});
