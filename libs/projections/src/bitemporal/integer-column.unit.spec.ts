import { deserialize, serialize } from 'node:v8';
import { IntegerColumn, compactIntegers } from './integer-column';

const INT64_MAX = 2n ** 63n - 1n;

describe('IntegerColumn', () => {
  it('stays a BigInt64Array while values fit in 64 bits, including both extremes', () => {
    const column = new IntegerColumn();
    for (let i = 0; i < 200; i++) column.push(BigInt(i));
    column.push(INT64_MAX);
    column.push(-INT64_MAX - 1n);
    expect(column.promoted).toBe(false);
    expect(column.toArray()).toBeInstanceOf(BigInt64Array);
    expect(column.get(150)).toBe(150n);
    expect(column.last()).toBe(-(2n ** 63n));
  });

  it('promotes itself the first time a value does not fit, keeping every earlier value exact', () => {
    const column = new IntegerColumn();
    column.push(7n);
    column.push(INT64_MAX);
    column.push(INT64_MAX + 1n);
    column.push(-(2n ** 200n));
    expect(column.promoted).toBe(true);
    expect([0, 1, 2, 3].map((i) => column.get(i))).toEqual([7n, INT64_MAX, INT64_MAX + 1n, -(2n ** 200n)]);
    expect(column.length).toBe(4);
    column.push(1n);
    expect(column.last()).toBe(1n);
  });

  it('round-trips through a snapshot in either representation', () => {
    const narrow = new IntegerColumn();
    const wide = new IntegerColumn();
    for (let i = 0; i < 100; i++) {
      narrow.push(BigInt(i) * 3n);
      wide.push(INT64_MAX * BigInt(i));
    }
    for (const column of [narrow, wide]) {
      const copy = IntegerColumn.of(deserialize(serialize(column.toArray())) as BigInt64Array | bigint[]);
      expect(copy.length).toBe(100);
      for (let i = 0; i < 100; i++) expect(copy.get(i)).toBe(column.get(i));
      copy.push(1n);
      expect(copy.last()).toBe(1n);
    }
  });

  it('truncates back to an earlier length', () => {
    const column = new IntegerColumn();
    [1n, 2n, INT64_MAX + 5n].forEach((v) => column.push(v));
    column.truncate(1);
    expect(column.length).toBe(1);
    expect(column.last()).toBe(1n);
  });

  it('compactIntegers keeps the typed array only when everything fits', () => {
    expect(compactIntegers([1n, -2n])).toBeInstanceOf(BigInt64Array);
    expect(compactIntegers([1n, INT64_MAX + 1n])).toEqual([1n, INT64_MAX + 1n]);
  });
});
