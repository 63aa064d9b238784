const INT64_MAX = 2n ** 63n - 1n;

/**
 * A growable column of exact 64-bit integers. A typed array rather than bigint[]: a million-event
 * book would otherwise keep millions of small heap objects alive and spend its time in the garbage
 * collector. A value beyond 64 bits throws rather than wraps.
 */
export class Int64Column {
  private values = new BigInt64Array(64);
  length = 0;

  push(value: bigint): void {
    if (this.length === this.values.length) {
      const grown = new BigInt64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    if (value > INT64_MAX || value < -INT64_MAX) throw new RangeError(`${value} is beyond 64 bits`);
    this.values[this.length] = value;
    this.length += 1;
  }

  /** A copy of the values, for a snapshot. */
  toArray(): BigInt64Array {
    return this.values.slice(0, this.length);
  }

  static of(values: BigInt64Array): Int64Column {
    const column = new Int64Column();
    column.values = new BigInt64Array(Math.max(64, values.length));
    column.values.set(values);
    column.length = values.length;
    return column;
  }

  get(index: number): bigint {
    return this.values[index]!;
  }

  last(): bigint {
    return this.length === 0 ? 0n : this.values[this.length - 1]!;
  }
}
