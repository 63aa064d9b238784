import type { BookEvent } from '@treasury/domain';
import { lotCost } from './fifo';

/**
 * What an event means for FIFO and for the month-end flows: which lot it acquires (mining output at
 * fair value on receipt, a purchase at cost + fees, an opening balance at its cost basis) or which
 * disposal it makes (a sale, a liquidation, a network fee, a BTC payment at fair value), and the flow
 * metrics it moves. Kept apart from BookProjection, which only commits what this returns.
 */

/** FIFO running totals, as metrics beside the balances of balanceEffects. */
export const FIFO = {
  acquiredBtc: 'fifo|acquired-btc',
  acquiredCost: 'fifo|acquired-cost',
  disposedBtc: 'fifo|disposed-btc',
  proceeds: 'fifo|proceeds',
} as const;

/** Flow metrics of their own (new with acquisitions: a log from before them moves none). */
const FLOW = {
  sold: 'flow|sold',
  liquidated: 'flow|liquidated',
  transferredOut: 'flow|transferred-out',
  transferredIn: 'flow|transferred-in',
  /** Opening balances by the time they are held from (effectiveAt): the month-end column. */
  opening: 'flow|opening-btc',
  /** The same lots by their acquiredAt, where they sit in the FIFO queue: taken out of "mined". */
  openingAcquired: 'flow|opening-acquired-btc',
  purchased: 'flow|purchased-btc',
  paid: 'flow|paid-btc',
  /** The fair value of BTC paid out, in total and by category (the expense). */
  paidUsd: 'flow|paid-usd',
  // The USD side of the roll-forward and the P&L (new with them: a snapshot from before lacks them, see SNAPSHOT_FORMAT).
  /** Net proceeds of sales and of liquidations, apart (fifo|proceeds adds them and the payments together). */
  soldUsd: 'flow|sold-usd',
  liquidatedUsd: 'flow|liquidated-usd',
  /** Sale fees: proceedsUsd is net of them (the cash the sale brought in). */
  saleFeesUsd: 'flow|sale-fees-usd',
  /** Purchases at cost + fees (the lot's cost). */
  purchasedUsd: 'flow|purchased-usd',
  /** Opening lots' cost basis, when they are held from (effectiveAt) and where they sit in FIFO (acquiredAt). */
  openingUsd: 'flow|opening-usd',
  openingAcquiredUsd: 'flow|opening-acquired-usd',
} as const;

/** The metric of the expense a BTC payment books in its category (its fair value, in cents). */
export const btcExpenseMetric = (category: string): string => `flow|btc-expense|${category}`;
export const BTC_EXPENSE_PREFIX = 'flow|btc-expense|';

/** Mining revenue (fair value on receipt) by pool; a payout with no pool is under the empty name (a pool is never blank). */
export const MINING_USD_PREFIX = 'flow|mining-usd|';
/** Cash movements by category, each the positive amount: out (negative amountUsd, an expense) and in (other income). */
export const CASH_OUT_PREFIX = 'flow|cash-out|';
export const CASH_IN_PREFIX = 'flow|cash-in|';
/** Interest charged by accrue-interest (InterestAccrued), by loan: the legacy loans' whole expense, term loans' charges. */
export const INTEREST_CHARGED_PREFIX = 'flow|interest-charged|';

/**
 * BTC flows by kind, each a signed sum of metrics. Mined BTC is what FIFO acquires less the lots that
 * were bought or brought in as opening balances: a log written before those existed holds only mining
 * lots, so its "mined" reads exactly as before (the same metric, nothing subtracted).
 */
export const FLOWS = {
  mined: [
    [FIFO.acquiredBtc, 1n],
    [FLOW.purchased, -1n],
    [FLOW.openingAcquired, -1n],
  ],
  sold: [[FLOW.sold, 1n]],
  liquidated: [[FLOW.liquidated, 1n]],
  transferredOut: [[FLOW.transferredOut, 1n]],
  transferredIn: [[FLOW.transferredIn, 1n]],
  opening: [[FLOW.opening, 1n]],
  purchased: [[FLOW.purchased, 1n]],
  paid: [[FLOW.paid, 1n]],
  paidUsd: [[FLOW.paidUsd, 1n]],
  soldUsd: [[FLOW.soldUsd, 1n]],
  liquidatedUsd: [[FLOW.liquidatedUsd, 1n]],
  saleFeesUsd: [[FLOW.saleFeesUsd, 1n]],
  purchasedUsd: [[FLOW.purchasedUsd, 1n]],
  openingUsd: [[FLOW.openingUsd, 1n]],
  /** Opening lots in the FIFO queue (acquiredAt passed) but not yet held (effectiveAt not reached): read cumulatively. */
  openingPendingBtc: [
    [FLOW.openingAcquired, 1n],
    [FLOW.opening, -1n],
  ],
  openingPendingUsd: [
    [FLOW.openingAcquiredUsd, 1n],
    [FLOW.openingUsd, -1n],
  ],
} as const satisfies Record<string, ReadonlyArray<readonly [string, bigint]>>;
export type FlowKind = keyof typeof FLOWS;

export const FIFO_NONE = 0;
export const FIFO_LOT = 1;
export const FIFO_DISPOSAL = 2;

export interface FifoRecord {
  readonly kind: number;
  readonly btc: bigint;
  readonly cost: bigint;
  readonly proceeds: bigint;
}
export const NO_FIFO: FifoRecord = { kind: FIFO_NONE, btc: 0n, cost: 0n, proceeds: 0n };

export interface FifoPlan {
  readonly fifo: FifoRecord;
  /** Metric deltas at the event's effectiveAt. */
  readonly deltas: ReadonlyArray<readonly [name: string, delta: bigint]>;
  /** An opening lot's place in the FIFO queue (its acquiredAt) and the metrics it moves there. */
  readonly lotAt?: { readonly time: number; readonly deltas: ReadonlyArray<readonly [name: string, delta: bigint]> };
}

const lot = (btc: bigint, cost: bigint): FifoRecord => ({ kind: FIFO_LOT, btc, cost, proceeds: 0n });
const disposal = (btc: bigint, proceeds: bigint): FifoRecord => ({ kind: FIFO_DISPOSAL, btc, cost: 0n, proceeds });
const acquired = (btc: bigint, cost: bigint) =>
  [
    [FIFO.acquiredBtc, btc],
    [FIFO.acquiredCost, cost],
  ] as const;
const disposed = (btc: bigint, proceeds: bigint) =>
  [
    [FIFO.disposedBtc, btc],
    [FIFO.proceeds, proceeds],
  ] as const;

/** The deltas an opening lot moves at its acquiredAt: also what its reversal takes back there. */
export const openingLotDeltas = (btc: bigint, cost: bigint): ReadonlyArray<readonly [string, bigint]> => [
  ...acquired(btc, cost),
  [FLOW.openingAcquired, btc],
  [FLOW.openingAcquiredUsd, cost],
];

export const fifoPlan = (event: BookEvent): FifoPlan => {
  switch (event.type) {
    case 'MiningOutputReceived': {
      const cost = lotCost(event.btc, event.usdPerBtc);
      return { fifo: lot(event.btc, cost), deltas: [...acquired(event.btc, cost), [MINING_USD_PREFIX + (event.pool ?? ''), cost]] };
    }
    case 'OpeningBalanceRecorded':
      return {
        fifo: lot(event.btc, event.costBasisUsd),
        deltas: [
          [FLOW.opening, event.btc],
          [FLOW.openingUsd, event.costBasisUsd],
        ],
        lotAt: { time: event.acquiredAt, deltas: openingLotDeltas(event.btc, event.costBasisUsd) },
      };
    case 'BtcPurchased': {
      const cost = event.costUsd + event.feesUsd;
      return { fifo: lot(event.btc, cost), deltas: [...acquired(event.btc, cost), [FLOW.purchased, event.btc], [FLOW.purchasedUsd, cost]] };
    }
    case 'BtcSold':
      return {
        fifo: disposal(event.btc, event.proceedsUsd),
        deltas: [
          ...disposed(event.btc, event.proceedsUsd),
          [FLOW.sold, event.btc],
          [FLOW.soldUsd, event.proceedsUsd],
          ...(event.feesUsd > 0n ? [[FLOW.saleFeesUsd, event.feesUsd] as const] : []),
        ],
      };
    case 'CollateralLiquidated':
      return {
        fifo: disposal(event.btc, event.proceedsUsd),
        deltas: [...disposed(event.btc, event.proceedsUsd), [FLOW.liquidated, event.btc], [FLOW.liquidatedUsd, event.proceedsUsd]],
      };
    case 'BtcPaid': {
      // A disposal at fair value: the proceeds are what the BTC paid for, rounded half-even once.
      const fairValue = lotCost(event.btc, event.usdPerBtc);
      return {
        fifo: disposal(event.btc, fairValue),
        deltas: [
          ...disposed(event.btc, fairValue),
          [FLOW.paid, event.btc],
          [FLOW.paidUsd, fairValue],
          [btcExpenseMetric(event.category), fairValue],
        ],
      };
    }
    case 'BtcTransferred': {
      const moved = [
        [FLOW.transferredOut, event.btc + event.feeBtc],
        [FLOW.transferredIn, event.btc],
      ] as const;
      // The network fee leaves the company: a disposal for no proceeds.
      if (event.feeBtc > 0n) return { fifo: disposal(event.feeBtc, 0n), deltas: [...disposed(event.feeBtc, 0n), ...moved] };
      return { fifo: NO_FIFO, deltas: moved };
    }
    case 'CashMoved':
      // Signed: out is an expense of its category, in is other income (the P&L's cash lines).
      return {
        fifo: NO_FIFO,
        deltas: [
          [
            (event.amountUsd < 0n ? CASH_OUT_PREFIX : CASH_IN_PREFIX) + event.category,
            event.amountUsd < 0n ? -event.amountUsd : event.amountUsd,
          ],
        ],
      };
    case 'InterestAccrued':
      return { fifo: NO_FIFO, deltas: [[INTEREST_CHARGED_PREFIX + event.loanId, event.interestUsd]] };
    default:
      return { fifo: NO_FIFO, deltas: [] };
  }
};
