import { RecordedBook } from '../testing/recorded-book';
import { BookProjection } from './book-projection';
import { EVENT_TYPE_CODES } from './event-type-codes';

/** A small book touching several event types, folded and snapshotted. */
const book = () => {
  const recorded = new RecordedBook();
  recorded.record('2026-01-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
  recorded.record('2026-01-02T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2026-01-02T00:00:00Z',
    wallet: 'cold',
    btc: '2',
    usdPerBtc: '90000.00',
  });
  recorded.record('2026-01-03T00:00:00Z', 'record-btc-price', { effectiveAt: '2026-01-03T00:00:00Z', usdPerBtc: '95000.00' });
  recorded.record('2026-01-04T00:00:00Z', 'record-btc-sale', {
    effectiveAt: '2026-01-04T00:00:00Z',
    wallet: 'cold',
    btc: '0.5',
    proceedsUsd: '48000.00',
  });
  return recorded;
};

describe('BookProjection snapshot format', () => {
  it('stores each event type as its fixed code and restores the same types and figures', () => {
    const recorded = book();
    const projection = recorded.projection();
    const snapshot = projection.toSnapshot();
    expect(Array.from(snapshot.typeCodes)).toEqual(recorded.events.map((e) => EVENT_TYPE_CODES[e.event.type]));
    const restored = BookProjection.fromSnapshot(snapshot);
    for (const e of recorded.events) expect(restored.typeOf(e.revision)).toBe(e.event.type);
    const at = Date.parse('2026-02-01T00:00:00Z');
    expect(restored.raw(at, 4)).toEqual(projection.raw(at, 4));
    expect(restored.toSnapshot()).toEqual(snapshot);
  });

  it('refuses a snapshot holding a code no event type has (the projector then rebuilds from the log)', () => {
    // toSnapshot hands out fresh arrays, so the projection itself is untouched.
    const tampered = book().projection().toSnapshot();
    tampered.typeCodes[2] = 200;
    expect(() => BookProjection.fromSnapshot(tampered)).toThrow(/event type code 200/);
  });
});
