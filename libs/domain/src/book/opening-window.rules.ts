import * as E from 'fp-ts/Either';
import { formatInstant } from '../codecs/instant';
import { DomainError, ruleViolated } from '../errors';
import { BalanceEffect, balanceEffects, parseBalanceKey } from './balance-effects';
import type { BookEvent, BookEventType } from './book.events';
import { upperBound } from '../search/upper-bound';

/**
 * An opening lot sits in the FIFO queue from its acquiredAt but is held only from its effectiveAt.
 * A disposal effective in [acquiredAt, effectiveAt) would relieve a lot the company did not hold yet
 * (FIFO takes the oldest sats, and the opening lot is the oldest), so the book refuses both orders:
 * - record-opening-balance (or an amendment to one) whose window holds a live disposal;
 * - a disposal recorded, back-dated or amended into a live opening lot's window.
 * With that, at every disposal the lots in the queue are exactly the lots held, under either lot method.
 *
 * Company-wide for the disposals that relieve cost (sales, BTC payments, liquidations, a transfer's
 * network fee): company-wide FIFO relieves the company's oldest sats whichever wallet a disposal leaves
 * from, and the lot method is chosen per query, so the rule must hold for fifo. Per wallet for a
 * transfer without a fee: it relieves nothing, but wallet-fifo would move the queued lot out of its
 * wallet before it is held. A reversed disposal no longer blocks; a reversed opening lot no longer forbids.
 *
 * The state is small: the live disposals' effective times (a sorted array, appended in the usual
 * case), fee-less transfers' times per source wallet, and the live opening lots' windows (few).
 */

export const OPENING_WINDOW_RULE = 'disposal-before-opening-balance-held';

/** A sorted multiset of instants: insert, remove one, first in [from, to). */
class Instants {
  private readonly times: number[] = [];

  /** First index whose time is >= t. */
  private lowerBound(t: number): number {
    return upperBound(this.times.length, (i) => this.times[i]! < t);
  }

  insert(t: number): void {
    const last = this.times[this.times.length - 1];
    if (last === undefined || last <= t) this.times.push(t);
    else this.times.splice(this.lowerBound(t), 0, t);
  }

  remove(t: number): void {
    const index = this.lowerBound(t);
    if (this.times[index] === t) this.times.splice(index, 1);
  }

  firstIn(from: number, to: number): number | undefined {
    const t = this.times[this.lowerBound(from)];
    return t !== undefined && t < to ? t : undefined;
  }
}

interface Window {
  readonly acquiredAt: number;
  readonly heldFrom: number;
  readonly wallet: string;
}

export interface OpeningWindows {
  readonly disposals: Instants;
  readonly transfersOut: Map<string, Instants>;
  readonly windows: Map<string, Window>;
  /** The latest heldFrom of a live window: a disposal at or after it meets none (the usual case, O(1)). */
  latestHeldFrom: number;
}

export const initialOpeningWindows = (): OpeningWindows => ({
  disposals: new Instants(),
  transfersOut: new Map(),
  windows: new Map(),
  latestHeldFrom: Number.NEGATIVE_INFINITY,
});

const RELIEVING: ReadonlyArray<BookEventType> = ['BtcSold', 'BtcPaid', 'CollateralLiquidated'];

/**
 * What an event means for the rule, from its type and balance effects (what a reversal still knows of
 * its target): a cost-relieving disposal (company-wide), a fee-less transfer out of a wallet, or nothing.
 */
const disposalOf = (
  type: BookEventType,
  effects: ReadonlyArray<BalanceEffect>,
): { readonly relieving: boolean; readonly wallet: string } | undefined => {
  if (RELIEVING.includes(type)) return { relieving: true, wallet: '' };
  if (type !== 'BtcTransferred') return undefined;
  const out = effects.find((effect) => effect.delta < 0n);
  if (out === undefined) return undefined;
  // A transfer's fee is what leaves the source and reaches no wallet.
  const net = effects.reduce((sum, effect) => sum + effect.delta, 0n);
  return { relieving: net < 0n, wallet: parseBalanceKey(out.key).parts[0]! };
};

const transfersFrom = (state: OpeningWindows, wallet: string): Instants => {
  let found = state.transfersOut.get(wallet);
  if (found === undefined) {
    found = new Instants();
    state.transfersOut.set(wallet, found);
  }
  return found;
};

/** Folds a recorded (not reversal) event into the state. */
export const evolveOpeningWindows = (
  state: OpeningWindows,
  eventId: string,
  event: BookEvent,
  effects: ReadonlyArray<BalanceEffect>,
): void => {
  if (event.type === 'OpeningBalanceRecorded') {
    state.windows.set(eventId, { acquiredAt: event.acquiredAt, heldFrom: event.effectiveAt, wallet: event.wallet });
    state.latestHeldFrom = Math.max(state.latestHeldFrom, event.effectiveAt);
    return;
  }
  const disposal = disposalOf(event.type, effects);
  if (disposal === undefined) return;
  (disposal.relieving ? state.disposals : transfersFrom(state, disposal.wallet)).insert(event.effectiveAt);
};

/** Takes a reversed event's part out of the state. */
export const reverseInOpeningWindows = (
  state: OpeningWindows,
  eventId: string,
  target: { readonly type: BookEventType; readonly effectiveAt: number; readonly effects: ReadonlyArray<BalanceEffect> },
): void => {
  if (target.type === 'OpeningBalanceRecorded') {
    state.windows.delete(eventId);
    state.latestHeldFrom = Math.max(Number.NEGATIVE_INFINITY, ...[...state.windows.values()].map((w) => w.heldFrom));
    return;
  }
  const disposal = disposalOf(target.type, target.effects);
  if (disposal === undefined) return;
  (disposal.relieving ? state.disposals : transfersFrom(state, disposal.wallet)).remove(target.effectiveAt);
};

const refusal = (detail: string): DomainError => ruleViolated(OPENING_WINDOW_RULE, detail);

/** The refusal for one new event, or undefined when it meets no window. */
const refusalFor = (state: OpeningWindows, event: BookEvent): DomainError | undefined => {
  if (event.type === 'OpeningBalanceRecorded') {
    const { acquiredAt, effectiveAt, wallet } = event;
    const disposed = state.disposals.firstIn(acquiredAt, effectiveAt);
    const moved = state.transfersOut.get(wallet)?.firstIn(acquiredAt, effectiveAt);
    const at = disposed ?? moved;
    if (at === undefined) return undefined;
    return refusal(
      `${disposed !== undefined ? 'a disposal (sale, BTC payment, liquidation or network fee)' : `a transfer out of wallet "${wallet}"`} is effective at ${formatInstant(at)}, ` +
        `after the lot was acquired (${formatInstant(acquiredAt)}) and before it is held (${formatInstant(effectiveAt)}): FIFO would relieve it before the company held it. ` +
        'Hold the lot from before that disposal (an earlier effectiveAt), or correct the disposal first',
    );
  }
  const disposal = disposalOf(event.type, balanceEffects(event));
  if (disposal === undefined || event.effectiveAt >= state.latestHeldFrom) return undefined;
  for (const [eventId, window] of state.windows) {
    if (!disposal.relieving && window.wallet !== disposal.wallet) continue;
    if (window.acquiredAt <= event.effectiveAt && event.effectiveAt < window.heldFrom) {
      return refusal(
        `opening lot ${eventId} (wallet "${window.wallet}") is in the FIFO queue from ${formatInstant(window.acquiredAt)} but held only from ${formatInstant(window.heldFrom)}: ` +
          `a ${event.type} effective at ${formatInstant(event.effectiveAt)} would relieve it before the company held it. Date the disposal from ${formatInstant(window.heldFrom)} on, or amend the opening lot first`,
      );
    }
  }
  return undefined;
};

/** Checks every event a decision would append (an amendment's replacement included; its reversal meets nothing). */
export const checkOpeningWindows =
  (state: OpeningWindows) =>
  (events: ReadonlyArray<BookEvent>): E.Either<DomainError, ReadonlyArray<BookEvent>> => {
    for (const event of events) {
      const refused = refusalFor(state, event);
      if (refused !== undefined) return E.left(refused);
    }
    return E.right(events);
  };
