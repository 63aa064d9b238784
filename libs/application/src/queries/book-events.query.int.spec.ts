import * as E from 'fp-ts/Either';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { GENESIS_HASH } from '../audit/hash-chain';
import { toEventsToAppend } from '../commands/book-stream';
import { NoProjectionSnapshots } from '../ports/projection-snapshots';
import { PositionProjector } from '../projections/position-projector';
import { BookEventsQuery, EVENTS_SCAN_BUDGET } from './book-events.query';

describe('BookEventsQuery scan budget', () => {
  it('returns a short page with a cursor when a rare filter would scan more than the budget', async () => {
    const store = new SqliteEventStore(':memory:');
    const count = EVENTS_SCAN_BUDGET + 50;
    const envelopes = Array.from({ length: count }, (_, i) => ({
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      event:
        i === 0
          ? ({ type: 'BookOpened', effectiveAt: 0, name: 'Big' } as const)
          : ({ type: 'BtcPriceObserved', effectiveAt: i * 1000, usdPerBtc: BigInt(i === count - 1 ? 99 : 1) } as const),
    }));
    const metadata = { recordedAt: 0, command: 'load', commandId: 'c', actor: 'loader', correlationId: 'c', causationId: 'c' };
    const sealed = toEventsToAppend('big', 0, GENESIS_HASH, envelopes, metadata);
    expect(E.isRight(await store.append('book-big', sealed.events, 'no-stream')())).toBe(true);
    const query = new BookEventsQuery(store, new PositionProjector(store, new NoProjectionSnapshots()));

    const first = await query.list('big', { limit: 10, filter: { effectiveFrom: (count - 1) * 1000 } })();
    expect(E.isRight(first) && { events: first.right.events.length, next: first.right.nextAfter }).toEqual({
      events: 0,
      next: EVENTS_SCAN_BUDGET - 1,
    });
    const second = await query.list('big', { limit: 10, after: EVENTS_SCAN_BUDGET - 1, filter: { effectiveFrom: (count - 1) * 1000 } })();
    expect(E.isRight(second) && { revisions: second.right.events.map((e) => e.stored.revision), next: second.right.nextAfter }).toEqual({
      revisions: [count - 1],
      next: undefined,
    });
    await store.close();
  });
});
