const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * A column's values as stored in a snapshot: a BigInt64Array while every value fits in 64 bits (raw
 * bytes, fast to save and load), a plain bigint array once one did not.
 */
export type IntegerValues = BigInt64Array | ReadonlyArray<bigint>;

export const fitsInt64 = (value: bigint): boolean => value <= INT64_MAX && value >= INT64_MIN;

/** The compact form when every value fits in 64 bits, else the wide one: what a snapshot stores. */
export const compactIntegers = (values: ReadonlyArray<bigint>): IntegerValues =>
  values.every(fitsInt64) ? BigInt64Array.from(values) : [...values];

/**
 * A growable column of exact integers that cannot overflow. It starts as a BigInt64Array — a
 * million-event book as bigint[] would keep millions of small heap objects alive and spend its time in
 * the garbage collector — and promotes itself to a plain bigint array the first time a value does not
 * fit in 64 bits. The common case pays one comparison per push; no value is ever wrapped or refused.
 */
export class IntegerColumn {
  private narrow: BigInt64Array | undefined = new BigInt64Array(64);
  private wide: bigint[] | undefined;
  length = 0;

  /** True once a value needed more than 64 bits (the column then holds bigints). */
  get promoted(): boolean {
    return this.wide !== undefined;
  }

  push(value: bigint): void {
    const narrow = this.narrow;
    if (narrow !== undefined) {
      if (value <= INT64_MAX && value >= INT64_MIN) {
        if (this.length === narrow.length) {
          const grown = new BigInt64Array(narrow.length * 2);
          grown.set(narrow);
          this.narrow = grown;
        }
        this.narrow![this.length] = value;
        this.length += 1;
        return;
      }
      this.promote();
    }
    this.wide!.push(value);
    this.length += 1;
  }

  private promote(): void {
    this.wide = Array.from(this.narrow!.subarray(0, this.length));
    this.narrow = undefined;
  }

  /** Drops values from the end, back to `length` (an apply that did not complete). */
  truncate(length: number): void {
    if (length >= this.length) return;
    if (this.wide !== undefined) this.wide.length = length;
    this.length = length;
  }

  /** A copy of the values, for a snapshot: BigInt64Array while they fit in 64 bits. */
  toArray(): IntegerValues {
    return this.narrow !== undefined ? this.narrow.slice(0, this.length) : [...this.wide!];
  }

  static of(values: IntegerValues): IntegerColumn {
    const column = new IntegerColumn();
    if (values instanceof BigInt64Array) {
      column.narrow = new BigInt64Array(Math.max(64, values.length));
      column.narrow.set(values);
    } else {
      for (const value of values) if (typeof value !== 'bigint') throw new TypeError('an integer column holds bigints only');
      column.narrow = undefined;
      column.wide = [...values];
    }
    column.length = values.length;
    return column;
  }

  get(index: number): bigint {
    return this.narrow !== undefined ? this.narrow[index]! : this.wide![index]!;
  }

  last(): bigint {
    return this.length === 0 ? 0n : this.get(this.length - 1);
  }
}
