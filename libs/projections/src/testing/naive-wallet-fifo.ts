import type { RecordedBookEvent } from '@treasury/domain';
import { lotCost, partialCost } from '../book/fifo';

/**
 * The reference for wallet-fifo, the slow and obvious way: keep the events known at knownAt, drop the
 * reversed ones, keep those effective at or before asOf, sort by (effectiveAt, revision), and walk them
 * with one plain array per wallet, re-sorted after every insert. A lot joins its wallet when it is held
 * (an opening lot at its effectiveAt) but sorts by its acquisition (an opening lot's acquiredAt): so a
 * disposal only ever relieves lots held when it happens, whatever the engine's queue does. A fee is paid from the oldest sats, then the transferred sats move with their lot. The open
 * lots are those held at asOf: an opening lot queued (acquiredAt) but not held yet (effectiveAt) is left out.
 */

interface Piece {
  readonly lotEventId: string;
  readonly lotAt: number;
  readonly lotRevision: number;
  readonly lotBtc: bigint;
  readonly lotCost: bigint;
  /** When the lot is held from (an opening lot's effectiveAt). */
  readonly lotHeldFrom: number;
  readonly start: bigint;
  readonly end: bigint;
}

export interface NaiveWalletFifo {
  /** Relieved cost and wallet per disposal, by event id (a transfer's fee by the transfer's id). */
  readonly reliefs: Map<string, { readonly wallet: string; readonly relievedCostUsd: bigint }>;
  /** Open BTC and cost per wallet, then per lot event id. */
  readonly open: Map<string, Map<string, { btc: bigint; costUsd: bigint }>>;
}

const costOf = (p: Piece) => partialCost(p.lotCost, p.lotBtc, p.end) - partialCost(p.lotCost, p.lotBtc, p.start);

/** At one instant: arrivals, then transfers, then disposals (a wallet is judged at the end of the instant). */
const rankOf = (e: RecordedBookEvent): number =>
  e.event.type === 'MiningOutputReceived' || e.event.type === 'BtcPurchased' || e.event.type === 'OpeningBalanceRecorded'
    ? 0
    : e.event.type === 'BtcTransferred'
      ? 1
      : 2;

export const naiveWalletFifo = (events: ReadonlyArray<RecordedBookEvent>, asOf: number, knownAt: number): NaiveWalletFifo => {
  const known = events.filter((e) => e.recordedAt <= knownAt);
  const reversed = new Set(known.flatMap((e) => (e.event.type === 'EventReversed' ? [e.event.eventId] : [])));
  const timeOf = (e: RecordedBookEvent) => (e.event.type === 'OpeningBalanceRecorded' ? e.event.acquiredAt : e.event.effectiveAt);
  const live = known
    .filter((e) => e.event.type !== 'EventReversed' && !reversed.has(e.eventId) && e.event.effectiveAt <= asOf)
    .sort((a, b) => a.event.effectiveAt - b.event.effectiveAt || rankOf(a) - rankOf(b) || a.revision - b.revision);

  const wallets = new Map<string, Piece[]>();
  const queue = (wallet: string) => wallets.get(wallet) ?? wallets.set(wallet, []).get(wallet)!;
  const add = (wallet: string, piece: Piece) => {
    const q = queue(wallet);
    q.push(piece);
    q.sort((a, b) => a.lotAt - b.lotAt || a.lotRevision - b.lotRevision || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  };
  const take = (wallet: string, sats: bigint): Piece[] => {
    const q = queue(wallet);
    const taken: Piece[] = [];
    let remaining = sats;
    while (remaining > 0n) {
      const first = q.shift();
      if (first === undefined) throw new Error(`naive wallet-fifo: wallet ${wallet} is short of ${remaining} sats`);
      const size = first.end - first.start;
      if (size <= remaining) {
        taken.push(first);
        remaining -= size;
      } else {
        taken.push({ ...first, end: first.start + remaining });
        q.unshift({ ...first, start: first.start + remaining });
        remaining = 0n;
      }
    }
    return taken;
  };
  const reliefs = new Map<string, { wallet: string; relievedCostUsd: bigint }>();
  const dispose = (eventId: string, wallet: string, sats: bigint) =>
    reliefs.set(eventId, { wallet, relievedCostUsd: take(wallet, sats).reduce((sum, p) => sum + costOf(p), 0n) });

  for (const e of live) {
    const { event, eventId, revision } = e;
    const lot = (wallet: string, btc: bigint, cost: bigint) =>
      add(wallet, {
        lotEventId: eventId,
        lotAt: timeOf(e),
        lotRevision: revision,
        lotBtc: btc,
        lotCost: cost,
        lotHeldFrom: event.effectiveAt,
        start: 0n,
        end: btc,
      });
    switch (event.type) {
      case 'MiningOutputReceived':
        lot(event.wallet, event.btc, lotCost(event.btc, event.usdPerBtc));
        break;
      case 'BtcPurchased':
        lot(event.wallet, event.btc, event.costUsd + event.feesUsd);
        break;
      case 'OpeningBalanceRecorded':
        lot(event.wallet, event.btc, event.costBasisUsd);
        break;
      case 'BtcSold':
      case 'BtcPaid':
      case 'CollateralLiquidated':
        dispose(eventId, event.wallet, event.btc);
        break;
      case 'BtcTransferred':
        if (event.feeBtc > 0n) dispose(eventId, event.fromWallet, event.feeBtc);
        for (const piece of take(event.fromWallet, event.btc)) add(event.toWallet, piece);
        break;
      default:
        break;
    }
  }

  const open = new Map<string, Map<string, { btc: bigint; costUsd: bigint }>>();
  for (const [wallet, pieces] of wallets) {
    const lots = new Map<string, { btc: bigint; costUsd: bigint }>();
    for (const p of pieces) {
      if (p.lotHeldFrom > asOf) continue;
      const sum = lots.get(p.lotEventId) ?? { btc: 0n, costUsd: 0n };
      lots.set(p.lotEventId, { btc: sum.btc + p.end - p.start, costUsd: sum.costUsd + costOf(p) });
    }
    if (lots.size > 0) open.set(wallet, lots);
  }
  return { reliefs, open };
};

/**
 * Company-wide FIFO the same slow way: every wallet folded into one queue (a transfer then moves sats
 * out of the queue and back in their place; its fee is still the oldest sats). Independent of the
 * projection's cumulative relief F(D), so a wrong relief shows as a different figure.
 */
export const naiveCompanyFifo = (events: ReadonlyArray<RecordedBookEvent>, asOf: number, knownAt: number): NaiveWalletFifo => {
  const oneWallet = events.map((e): RecordedBookEvent => {
    const event = e.event;
    if (event.type === 'BtcTransferred') return { ...e, event: { ...event, fromWallet: 'company', toWallet: 'company' } };
    return 'wallet' in event ? { ...e, event: { ...event, wallet: 'company' } as RecordedBookEvent['event'] } : e;
  });
  return naiveWalletFifo(oneWallet, asOf, knownAt);
};
