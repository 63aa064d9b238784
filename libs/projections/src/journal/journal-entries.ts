import { BookEvent, BookEventOf, formatUsd } from '@treasury/domain';
import { lotCost } from '../book/fifo';
import type { ChartOfAccounts, LedgerAccount } from './chart-of-accounts';

/**
 * The double entry of one event: which accounts it debits and credits, in cents. Pure; the values it
 * cannot read from the event itself (the cost a disposal relieves under the lot method, the split of a
 * projected liquidation) come in as `facts`. Events with no ledger effect (prices, reports, settings,
 * approvals, pledges of BTC, a transfer without a fee) have no entry.
 */
export interface JournalLine {
  readonly account: LedgerAccount;
  readonly debitUsd: bigint;
  readonly creditUsd: bigint;
  readonly memo?: string;
}

/** A liquidation's proceeds applied: interest owed, then principal, the excess to cash. */
export interface LiquidationSplit {
  readonly interest: bigint;
  readonly principal: bigint;
  readonly excess: bigint;
}

export interface EventFacts {
  /** The cost the disposal relieves under the lot method (cents); 0 for events that dispose of nothing. */
  readonly relievedCostUsd: bigint;
  /** A liquidation's split (recorded, or projected at read time for loans accruing from their terms). */
  readonly split?: LiquidationSplit;
  /** An opening lot's fair value at its effectiveAt (reports/opening-revaluation.ts); absent: its cost basis. */
  readonly openingFairValueUsd?: bigint;
}

/** What an entry changes beyond its lines: BTC held and the carrying cost of digital assets, for remeasurement. */
export interface EntryEffect {
  readonly lines: ReadonlyArray<JournalLine>;
  readonly btcDelta: bigint;
  readonly costDelta: bigint;
  /** Interest payable moved for a loan (to true its balance up at period ends). */
  readonly interest?: { readonly loanId: string; readonly delta: bigint };
  /** Unrealized gain the entry already posted (an opening lot at fair value): no period-end remeasurement of it. */
  readonly unrealizedPosted?: bigint;
}

const NONE: EntryEffect = { lines: [], btcDelta: 0n, costDelta: 0n };

const dr = (account: LedgerAccount, amount: bigint, memo?: string): JournalLine => ({
  account,
  debitUsd: amount,
  creditUsd: 0n,
  ...(memo === undefined ? {} : { memo }),
});
const cr = (account: LedgerAccount, amount: bigint, memo?: string): JournalLine => ({
  account,
  debitUsd: 0n,
  creditUsd: amount,
  ...(memo === undefined ? {} : { memo }),
});
/** A signed amount on one account: a debit when positive, a credit when negative. */
const signed = (account: LedgerAccount, amount: bigint, memo?: string): JournalLine =>
  amount >= 0n ? dr(account, amount, memo) : cr(account, -amount, memo);

/** A disposal: the digital assets leave at relieved cost, the difference to `valueUsd` is realized gain (credit) or loss (debit). */
const disposal = (chart: ChartOfAccounts, valueUsd: bigint, relieved: bigint): JournalLine[] => [
  cr(chart.role('digitalAssets'), relieved),
  signed(chart.role('realizedGain'), relieved - valueUsd),
];

export const entryOf = (event: BookEvent, facts: EventFacts, chart: ChartOfAccounts): EntryEffect => {
  const relieved = facts.relievedCostUsd;
  const da = chart.role('digitalAssets');
  switch (event.type) {
    case 'MiningOutputReceived': {
      // Revenue at fair value on receipt: the lot's cost, rounded once as the lot is.
      const value = lotCost(event.btc, event.usdPerBtc);
      return { lines: [dr(da, value), cr(chart.role('miningRevenue'), value)], btcDelta: event.btc, costDelta: value };
    }
    case 'OpeningBalanceRecorded': {
      // At fair value against opening equity: the gain from before the book is not this period's remeasurement.
      const value = facts.openingFairValueUsd ?? event.costBasisUsd;
      const memo = `cost basis ${formatUsd(event.costBasisUsd)}`;
      return {
        lines: [dr(da, value, memo), cr(chart.role('openingBalanceEquity'), value, memo)],
        btcDelta: event.btc,
        costDelta: event.costBasisUsd,
        unrealizedPosted: value - event.costBasisUsd,
      };
    }
    case 'OpeningCashRecorded':
      return {
        ...NONE,
        lines: [dr(chart.cash(event.cashAccount), event.amountUsd), cr(chart.role('openingBalanceEquity'), event.amountUsd)],
      };
    case 'BtcPurchased': {
      // Fees are part of the lot's cost (capitalised), as FIFO carries them.
      const cost = event.costUsd + event.feesUsd;
      return { lines: [dr(da, cost), cr(chart.cash(event.cashAccount), cost)], btcDelta: event.btc, costDelta: cost };
    }
    case 'BtcSold':
      // proceedsUsd is what reached the cash account, net of fees: the gross price is proceeds + fees.
      return {
        lines: [
          dr(chart.cash(event.cashAccount), event.proceedsUsd),
          ...(event.feesUsd > 0n ? [dr(chart.role('tradingFees'), event.feesUsd)] : []),
          ...disposal(chart, event.proceedsUsd + event.feesUsd, relieved),
        ],
        btcDelta: -event.btc,
        costDelta: -relieved,
      };
    case 'BtcPaid': {
      const value = lotCost(event.btc, event.usdPerBtc);
      return {
        lines: [dr(chart.category(event.category, 'outflow'), value, event.category), ...disposal(chart, value, relieved)],
        btcDelta: -event.btc,
        costDelta: -relieved,
      };
    }
    case 'BtcTransferred':
      // Between the company's own wallets nothing changes hands; the network fee leaves at its cost.
      if (event.feeBtc === 0n) return NONE;
      return { lines: [dr(chart.role('networkFees'), relieved), cr(da, relieved)], btcDelta: -event.feeBtc, costDelta: -relieved };
    case 'CollateralLiquidated':
      return liquidation(event, facts, chart);
    case 'LoanDrawn':
      return {
        ...NONE,
        lines: [dr(chart.cash(event.cashAccount), event.principalUsd), cr(chart.role('loansPayable'), event.principalUsd, event.loanId)],
      };
    case 'InterestAccrued':
      return {
        ...NONE,
        lines: [
          dr(chart.role('interestExpense'), event.interestUsd, event.loanId),
          cr(chart.role('interestPayable'), event.interestUsd, event.loanId),
        ],
        interest: { loanId: event.loanId, delta: event.interestUsd },
      };
    case 'LoanRepaid':
      return {
        ...NONE,
        lines: [
          ...(event.principalUsd > 0n ? [dr(chart.role('loansPayable'), event.principalUsd, event.loanId)] : []),
          ...(event.interestUsd > 0n ? [dr(chart.role('interestPayable'), event.interestUsd, event.loanId)] : []),
          cr(chart.cash(event.cashAccount), event.principalUsd + event.interestUsd),
        ],
        interest: { loanId: event.loanId, delta: -event.interestUsd },
      };
    case 'CashMoved': {
      const direction = event.amountUsd > 0n ? 'inflow' : 'outflow';
      const counter = chart.category(event.category, direction);
      const cash = chart.cash(event.cashAccount);
      const amount = event.amountUsd > 0n ? event.amountUsd : -event.amountUsd;
      return {
        ...NONE,
        lines:
          direction === 'inflow'
            ? [dr(cash, amount), cr(counter, amount, event.category)]
            : [dr(counter, amount, event.category), cr(cash, amount)],
      };
    }
    case 'CashCollateralPledged':
      return {
        ...NONE,
        lines: [dr(chart.role('restrictedCash'), event.amountUsd, event.loanId), cr(chart.cash(event.cashAccount), event.amountUsd)],
      };
    case 'CashCollateralReleased':
      return {
        ...NONE,
        lines: [dr(chart.cash(event.cashAccount), event.amountUsd), cr(chart.role('restrictedCash'), event.amountUsd, event.loanId)],
      };
    default:
      return NONE;
  }
};

const liquidation = (event: BookEventOf<'CollateralLiquidated'>, facts: EventFacts, chart: ChartOfAccounts): EntryEffect => {
  const split = facts.split ?? { interest: event.interestAppliedUsd, principal: event.principalAppliedUsd, excess: event.excessUsd };
  return {
    lines: [
      ...(split.interest > 0n ? [dr(chart.role('interestPayable'), split.interest, event.loanId)] : []),
      ...(split.principal > 0n ? [dr(chart.role('loansPayable'), split.principal, event.loanId)] : []),
      ...(split.excess > 0n ? [dr(chart.cash(event.cashAccount), split.excess)] : []),
      ...disposal(chart, event.proceedsUsd, facts.relievedCostUsd),
    ],
    btcDelta: -event.btc,
    costDelta: -facts.relievedCostUsd,
    interest: { loanId: event.loanId, delta: -split.interest },
  };
};

/** Whether an event moves BTC out of the company (its relieved cost is needed). */
export const isDisposal = (event: BookEvent): boolean =>
  event.type === 'BtcSold' ||
  event.type === 'BtcPaid' ||
  event.type === 'CollateralLiquidated' ||
  (event.type === 'BtcTransferred' && event.feeBtc > 0n);
