import { deserialize, serialize } from 'node:v8';
import { RecordedBook } from '../testing/recorded-book';
import { BookProjection } from '../book/book-projection';

describe('accountMappingAt: the overrides in force at a version', () => {
  it('is the last live mapping known at v; a reversal brings back the one before; snapshots keep it', () => {
    const b = new RecordedBook();
    b.record('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
    b.record('2025-06-02T00:00:00Z', 'set-account-mapping', { accounts: { cash: { code: '1010' } } });
    const [second] = b.record('2025-06-03T00:00:00Z', 'set-account-mapping', { expenseAccounts: { power: { code: '6100' } } });
    b.record('2025-06-04T00:00:00Z', 'reverse-event', { eventId: second, reason: 'wrong chart' });
    const projection = b.projection();
    expect(projection.accountMappingAt(1)).toBeUndefined();
    expect(projection.accountMappingAt(2)).toEqual({ accounts: { cash: { code: '1010' } } });
    // The second replaces the first wholly: cash is back to the default while it is in force.
    expect(projection.accountMappingAt(3)).toEqual({ expenseAccounts: { power: { code: '6100' } } });
    expect(projection.accountMappingAt(4)).toEqual({ accounts: { cash: { code: '1010' } } });

    const restored = BookProjection.fromSnapshot(deserialize(serialize(projection.toSnapshot())));
    expect(restored.accountMappingAt(3)).toEqual(projection.accountMappingAt(3));
    const { accountMappings: _dropped, ...older } = projection.toSnapshot();
    expect(BookProjection.fromSnapshot(older).accountMappingAt(4)).toBeUndefined();
  });
});
