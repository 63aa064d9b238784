import { upperBound } from '../search/upper-bound';

/**
 * One balance (a wallet's unencumbered BTC, a pledge, a loan's principal, a cash account...) as signed
 * deltas ordered by effective time, ties broken by the book revision that recorded them.
 *
 * It answers the deciders' one question: "if this delta were applied at that point of the timeline,
 * would the balance dip below zero anywhere from there on?" Back-dated inserts and reversals are the
 * same question asked at an earlier point. Appends at the end (the usual case) are O(log n); a
 * back-dated change scans only the part of the timeline after it.
 */
export class BalanceTimeline {
  private readonly times: number[] = [];
  private readonly revisions: number[] = [];
  private readonly deltas: bigint[] = [];
  private sum = 0n;

  get total(): bigint {
    return this.sum;
  }

  get length(): number {
    return this.deltas.length;
  }

  /** First index whose (time, revision) sorts after the given point. */
  private upperBound(time: number, revision: number): number {
    return upperBound(this.times.length, (i) => this.times[i]! < time || (this.times[i] === time && this.revisions[i]! <= revision));
  }

  private suffixSum(from: number): bigint {
    let sum = 0n;
    for (let i = from; i < this.deltas.length; i++) sum += this.deltas[i]!;
    return sum;
  }

  /** The balance including every delta at or before (time, revision). */
  balanceThrough(time: number, revision: number): bigint {
    const index = this.upperBound(time, revision);
    return index === this.deltas.length ? this.sum : this.sum - this.suffixSum(index);
  }

  /**
   * Where adding `delta` at (time, revision) would first make the balance negative, with the balance
   * it would have there; undefined when it never would.
   */
  firstShortfall(time: number, revision: number, delta: bigint): { at: number; balance: bigint } | undefined {
    if (delta >= 0n) return undefined;
    const index = this.upperBound(time, revision);
    let running = (index === this.deltas.length ? this.sum : this.sum - this.suffixSum(index)) + delta;
    if (running < 0n) return { at: time, balance: running };
    for (let i = index; i < this.deltas.length; i++) {
      running += this.deltas[i]!;
      if (running < 0n) return { at: this.times[i]!, balance: running };
    }
    return undefined;
  }

  insert(time: number, revision: number, delta: bigint): void {
    const index = this.upperBound(time, revision);
    if (index === this.deltas.length) {
      this.times.push(time);
      this.revisions.push(revision);
      this.deltas.push(delta);
    } else {
      this.times.splice(index, 0, time);
      this.revisions.splice(index, 0, revision);
      this.deltas.splice(index, 0, delta);
    }
    this.sum += delta;
  }

  /** Removes the delta recorded at exactly (time, revision), as a reversal does. */
  remove(time: number, revision: number): void {
    const index = this.upperBound(time, revision) - 1;
    if (index < 0 || this.times[index] !== time || this.revisions[index] !== revision) {
      throw new Error(`no delta at ${time}/${revision} to remove`);
    }
    this.sum -= this.deltas[index]!;
    this.times.splice(index, 1);
    this.revisions.splice(index, 1);
    this.deltas.splice(index, 1);
  }
}
