/**
 * A book setting that applies from when it is recorded (a price staleness threshold, like the
 * reconciliation tolerance): its values in revision order, few. The value in force at version is
 * the last one known at the version and not taken back by a reversal known at the version.
 */
export interface SettingRecord<A> {
  readonly revision: number;
  readonly value: A;
}

export class SettingHistory<A> {
  constructor(private readonly records: Array<SettingRecord<A>> = []) {}

  add(record: SettingRecord<A>): void {
    this.records.push(record);
  }

  /** `live(revision, atVersion)`: known and not reversed at that version (the projection's own rule). */
  at(version: number, live: (revision: number, atVersion: number) => boolean): A | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const record = this.records[i]!;
      if (record.revision < version && live(record.revision, version)) return record.value;
    }
    return undefined;
  }

  toSnapshot(): ReadonlyArray<SettingRecord<A>> {
    return [...this.records];
  }
}
