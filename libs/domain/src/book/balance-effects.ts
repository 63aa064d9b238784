import type { BookEvent } from './book.events';

/**
 * Which balances an event moves, and by how much. Every "may not go below zero" rule of the book is a
 * rule over these balances, and the position projection sums the same effects, so the deciders and
 * the figures can never disagree about what an event means.
 */
export type BalanceKind = 'unencumbered-btc' | 'pledged-btc' | 'principal' | 'interest' | 'cash' | 'pledged-cash';

export interface BalanceEffect {
  readonly key: string;
  readonly delta: bigint;
}

export const balanceKey = {
  unencumbered: (wallet: string) => `unencumbered-btc|${wallet}`,
  pledged: (loanId: string, wallet: string) => `pledged-btc|${loanId}|${wallet}`,
  principal: (loanId: string) => `principal|${loanId}`,
  interest: (loanId: string) => `interest|${loanId}`,
  cash: (account: string) => `cash|${account}`,
  /** Cash pledged to a loan from an account: no longer in the account, still the company's. */
  pledgedCash: (loanId: string, account: string) => `pledged-cash|${loanId}|${account}`,
};

export const parseBalanceKey = (key: string): { kind: BalanceKind; parts: string[] } => {
  const [kind, ...parts] = key.split('|');
  return { kind: kind as BalanceKind, parts };
};

export const balanceEffects = (event: BookEvent): ReadonlyArray<BalanceEffect> => {
  const effects: BalanceEffect[] = [];
  const add = (key: string, delta: bigint) => {
    if (delta !== 0n) effects.push({ key, delta });
  };
  switch (event.type) {
    case 'MiningOutputReceived':
      add(balanceKey.unencumbered(event.wallet), event.btc);
      break;
    case 'BtcSold':
      add(balanceKey.unencumbered(event.wallet), -event.btc);
      add(balanceKey.cash(event.cashAccount), event.proceedsUsd);
      break;
    case 'BtcTransferred':
      add(balanceKey.unencumbered(event.fromWallet), -(event.btc + event.feeBtc));
      add(balanceKey.unencumbered(event.toWallet), event.btc);
      break;
    case 'LoanDrawn':
      add(balanceKey.principal(event.loanId), event.principalUsd);
      add(balanceKey.cash(event.cashAccount), event.principalUsd);
      break;
    case 'CollateralPledged':
      add(balanceKey.unencumbered(event.wallet), -event.btc);
      add(balanceKey.pledged(event.loanId, event.wallet), event.btc);
      break;
    case 'CollateralReleased':
      add(balanceKey.pledged(event.loanId, event.wallet), -event.btc);
      add(balanceKey.unencumbered(event.wallet), event.btc);
      break;
    case 'InterestAccrued':
      add(balanceKey.interest(event.loanId), event.interestUsd);
      break;
    case 'LoanRepaid':
      add(balanceKey.principal(event.loanId), -event.principalUsd);
      add(balanceKey.interest(event.loanId), -event.interestUsd);
      add(balanceKey.cash(event.cashAccount), -(event.principalUsd + event.interestUsd));
      break;
    case 'CollateralLiquidated':
      add(balanceKey.pledged(event.loanId, event.wallet), -event.btc);
      // A projected waterfall is split at read time (libs/projections/src/loans): only the BTC moves here.
      if (event.waterfall === 'projected') break;
      add(balanceKey.interest(event.loanId), -event.interestAppliedUsd);
      add(balanceKey.principal(event.loanId), -event.principalAppliedUsd);
      add(balanceKey.cash(event.cashAccount), event.excessUsd);
      break;
    case 'CashMoved':
      add(balanceKey.cash(event.cashAccount), event.amountUsd);
      break;
    case 'CashCollateralPledged':
      add(balanceKey.cash(event.cashAccount), -event.amountUsd);
      add(balanceKey.pledgedCash(event.loanId, event.cashAccount), event.amountUsd);
      break;
    case 'CashCollateralReleased':
      add(balanceKey.pledgedCash(event.loanId, event.cashAccount), -event.amountUsd);
      add(balanceKey.cash(event.cashAccount), event.amountUsd);
      break;
    case 'OpeningBalanceRecorded':
      add(balanceKey.unencumbered(event.wallet), event.btc);
      break;
    case 'OpeningCashRecorded':
      add(balanceKey.cash(event.cashAccount), event.amountUsd);
      break;
    case 'BtcPurchased':
      add(balanceKey.unencumbered(event.wallet), event.btc);
      add(balanceKey.cash(event.cashAccount), -(event.costUsd + event.feesUsd));
      break;
    case 'BtcPaid':
      add(balanceKey.unencumbered(event.wallet), -event.btc);
      break;
    case 'BookOpened':
    case 'BtcPriceObserved':
    case 'EventReversed':
    case 'HoldingsReported':
    case 'ReconciliationToleranceSet':
    case 'ApprovalPolicySet':
    case 'CommandProposed':
    case 'ProposalApproved':
    case 'ProposalRejected':
    case 'PriceStalenessSet':
    case 'LoanRepriced':
    case 'BookWentLive':
    case 'AccountMappingSet':
    case 'WebhookRegistered':
    case 'WebhookDisabled':
    case 'WebhookRedeliveryRequested':
      break;
  }
  return effects;
};

/** The loan an event belongs to, if any. */
export const loanOf = (event: BookEvent): string | undefined => ('loanId' in event ? event.loanId : undefined);
