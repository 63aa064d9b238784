/**
 * A book's eventId -> revision lookup after a snapshot restore, behaving exactly as the Map the fold
 * builds (it is one). Filling a real Map with a million string keys takes most of a second, and the
 * restart waits on it; this one hashes the snapshot's eventIds into a typed array (open addressing)
 * in a fraction of that, and keeps what is folded after the restore in the Map itself.
 * Event ids are made by the server (random UUIDs; no caller chooses one), so FNV-1a spreads them
 * evenly and linear probing stays short.
 */
export class RestoredEventIds extends Map<string, number> {
  /** Per slot, a revision + 1 (0: empty). */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Restored ids that a later set() gave another value (then the Map holds it). */
  private shadowed = 0;
  /** Restored ids listed more than once (the last revision wins, as with Map.set). */
  private readonly duplicates: number;

  /** `ids` is the snapshot's list, by revision; it must not change afterwards (the fold appends to its own copy). */
  constructor(private readonly ids: ReadonlyArray<string>) {
    super();
    let capacity = 16;
    while (capacity < ids.length * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    let duplicates = 0;
    for (let revision = 0; revision < ids.length; revision++) {
      const slot = this.slotOf(ids[revision]!);
      if (this.slots[slot] !== 0) duplicates += 1;
      this.slots[slot] = revision + 1;
    }
    this.duplicates = duplicates;
  }

  /** The slot holding `id`, or the empty slot where it would go. */
  private slotOf(id: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
    let slot = hash & this.mask;
    for (;;) {
      const held = this.slots[slot]!;
      if (held === 0 || this.ids[held - 1] === id) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private restored(id: string): number | undefined {
    const held = this.slots[this.slotOf(id)]!;
    return held === 0 ? undefined : held - 1;
  }

  override get(id: string): number | undefined {
    return super.get(id) ?? this.restored(id);
  }

  override has(id: string): boolean {
    return super.has(id) || this.restored(id) !== undefined;
  }

  override set(id: string, revision: number): this {
    // The constructor of Map calls set with no entries; ids is not there yet then.
    if (this.slots !== undefined && !super.has(id) && this.restored(id) !== undefined) this.shadowed += 1;
    return super.set(id, revision);
  }

  override get size(): number {
    return this.ids.length - this.duplicates + super.size - this.shadowed;
  }

  override delete(): boolean {
    throw new Error('a book never forgets an event id');
  }

  override clear(): void {
    throw new Error('a book never forgets an event id');
  }

  /** In insertion order, as a Map: the restored ids by revision (with any later value), then the ids folded since. */
  override *entries(): MapIterator<[string, number]> {
    for (let revision = 0; revision < this.ids.length; revision++) {
      const id = this.ids[revision]!;
      const latest = this.restored(id)!;
      // A duplicate sits where it was first inserted, with the last revision.
      if (this.duplicates > 0 && this.ids.indexOf(id) !== revision) continue;
      yield [id, super.get(id) ?? latest];
    }
    for (const [id, revision] of super.entries()) if (this.restored(id) === undefined) yield [id, revision];
  }

  override *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  override *values(): MapIterator<number> {
    for (const [, revision] of this.entries()) yield revision;
  }

  override [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }

  override forEach(callback: (revision: number, id: string, map: Map<string, number>) => void, thisArg?: unknown): void {
    for (const [id, revision] of this.entries()) callback.call(thisArg, revision, id, this);
  }
}
