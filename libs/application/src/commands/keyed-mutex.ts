/**
 * One queue per key: work for the same book runs one at a time, in arrival order, while different
 * books proceed in parallel. This is what "concurrent commands are serialised and each is decided
 * against the state it is appended onto" means in one process.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<A>(key: string, work: () => Promise<A>): Promise<A> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // The last one out leaves no entry behind, so idle books cost nothing.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
