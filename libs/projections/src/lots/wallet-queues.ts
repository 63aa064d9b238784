import { partialCost } from '../book/fifo';
import type { FifoEntry, LotSlice } from '../book/book-projection.records';
import { upperBound } from '@treasury/domain/search/upper-bound';

/**
 * One wallet's FIFO queue under wallet-fifo. A piece is a sat range [start, end) of one lot, so a lot
 * split by disposals and transfers across wallets still costs exactly its cost in total: a range costs
 * F(end) - F(start) with F the lot's cumulative partialCost (the same rounding as company-wide FIFO).
 */
export interface Piece {
  readonly lot: FifoEntry;
  readonly start: bigint;
  readonly end: bigint;
}

export const pieceCost = (piece: Piece): bigint =>
  partialCost(piece.lot.costUsd, piece.lot.btc, piece.end) - partialCost(piece.lot.costUsd, piece.lot.btc, piece.start);

export const pieceSlice = (piece: Piece): LotSlice => ({ lot: piece.lot, btc: piece.end - piece.start, costUsd: pieceCost(piece) });

/** Queue order: the lot's acquisition time (its place in FIFO), then its revision, then the range. */
const before = (a: Piece, b: Piece): boolean =>
  a.lot.effectiveAt < b.lot.effectiveAt ||
  (a.lot.effectiveAt === b.lot.effectiveAt &&
    (a.lot.revision < b.lot.revision || (a.lot.revision === b.lot.revision && a.start < b.start)));

export class WalletQueue {
  private items: Piece[] = [];
  private head = 0;
  total = 0n;

  /** Inserts in acquisition order; a piece of the same lot right after its neighbour is joined to it. */
  insert(piece: Piece): void {
    this.total += piece.end - piece.start;
    const last = this.items[this.items.length - 1];
    // The usual case: new lots, and pieces moved from a wallet that only ever fed this one, come last.
    let index = this.items.length;
    if (last !== undefined && before(piece, last)) {
      index = this.head + upperBound(this.items.length - this.head, (i) => before(this.items[this.head + i]!, piece));
    }
    const previous = index > this.head ? this.items[index - 1] : undefined;
    if (previous !== undefined && previous.lot === piece.lot && previous.end === piece.start) {
      this.items[index - 1] = { lot: piece.lot, start: previous.start, end: piece.end };
      return;
    }
    const next = this.items[index];
    if (next !== undefined && next.lot === piece.lot && piece.end === next.start) {
      this.items[index] = { lot: piece.lot, start: piece.start, end: next.end };
      return;
    }
    if (index === this.items.length) this.items.push(piece);
    else this.items.splice(index, 0, piece);
  }

  /** Takes the oldest `sats`; throws if the wallet holds fewer (the deciders never let a wallet go below zero). */
  take(sats: bigint, what: string): Piece[] {
    if (sats > this.total) throw new Error(`wallet-fifo: ${what} takes ${sats} sats from a wallet holding ${this.total}`);
    this.total -= sats;
    const taken: Piece[] = [];
    let remaining = sats;
    while (remaining > 0n) {
      const piece = this.items[this.head]!;
      const size = piece.end - piece.start;
      if (size <= remaining) {
        taken.push(piece);
        remaining -= size;
        this.head += 1;
      } else {
        taken.push({ lot: piece.lot, start: piece.start, end: piece.start + remaining });
        this.items[this.head] = { lot: piece.lot, start: piece.start + remaining, end: piece.end };
        remaining = 0n;
      }
    }
    // Drop the consumed prefix now and then, so the array does not keep every piece ever held.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return taken;
  }

  /** The open pieces, oldest first. */
  open(): Piece[] {
    return this.items.slice(this.head);
  }
}
