import * as E from 'fp-ts/Either';
import { MAX_USD_CENTS } from '../codecs/bounds';
import { formatInstant } from '../codecs/instant';
import { DomainError, invalidCommand } from '../errors';
import { formatUsd, valueInCents } from '../money/decimal';
import { AcquisitionCommandName, isAcquisitionCommandName } from './acquisitions.codecs';
import { balanceEffects } from './balance-effects';
import { checkBalances } from './balance-rules';
import type { BalanceTimeline } from './balance-timeline';
import { BookCommand, DEFAULT_CASH_ACCOUNT } from './book.commands';
import type { BookEvent } from './book.events';
import { BookCalendar, beforeOpeningRefusal } from './calendar.rules';

/**
 * The rules of record-opening-balance, record-opening-cash, record-btc-purchase and record-btc-payment.
 * The book's usual ones: effective neither in the future nor before the book opened, and no balance
 * (a wallet's unencumbered BTC, a cash account) below zero at any effective time. Plus their own:
 * an opening lot was acquired by the time it is held; a purchase's or a payment's USD stays within the
 * USD bound.
 */

export type AcquisitionCommand = Extract<BookCommand, { readonly name: AcquisitionCommandName }>;

/** Narrows a command to the four of this file, so the decider dispatches them in one line. */
export const isAcquisitionCommand = <C extends { readonly name: string }>(
  command: C,
): command is Extract<C, { readonly name: AcquisitionCommandName }> => isAcquisitionCommandName(command.name);

export interface AcquisitionState {
  readonly balances: ReadonlyMap<string, BalanceTimeline>;
  readonly revision: number;
  readonly calendar: BookCalendar;
}

type Decision = E.Either<DomainError, ReadonlyArray<BookEvent>>;

const acceptIfBalancesHold = (state: AcquisitionState, event: BookEvent): Decision =>
  E.map(() => [event])(checkBalances(state, balanceEffects(event), event.effectiveAt, state.revision + 1, 1n));

const usdBound = (field: string, what: string, cents: bigint): DomainError | undefined =>
  cents > MAX_USD_CENTS
    ? invalidCommand(field, `${what} (${formatUsd(cents)} USD) must be at most ${formatUsd(MAX_USD_CENTS)} USD`)
    : undefined;

export const decideAcquisition = (
  command: AcquisitionCommand,
  state: AcquisitionState,
  now: number,
  futureToleranceMs: number,
): Decision => {
  // An opening balance without effectiveAt is held from the instant the book opened.
  const effectiveAt = command.body.effectiveAt ?? state.calendar.openedAt;
  if (effectiveAt > now + futureToleranceMs) {
    return E.left(invalidCommand('effectiveAt', `must not be in the future (server time is ${formatInstant(now)})`));
  }
  const beforeOpening = beforeOpeningRefusal(state.calendar, effectiveAt);
  if (beforeOpening !== undefined) return E.left(beforeOpening);
  const memo = command.body.memo === undefined ? {} : { memo: command.body.memo };

  switch (command.name) {
    case 'record-opening-balance': {
      const { wallet, btc, costBasisUsd, acquiredAt } = command.body;
      if (acquiredAt > effectiveAt) {
        return E.left(
          invalidCommand('acquiredAt', `must not be after the time the lot is held from (effectiveAt ${formatInstant(effectiveAt)})`),
        );
      }
      return E.right([{ type: 'OpeningBalanceRecorded', effectiveAt, wallet, btc, costBasisUsd, acquiredAt, ...memo }]);
    }
    case 'record-opening-cash': {
      const { cashAccount, amountUsd } = command.body;
      return E.right([{ type: 'OpeningCashRecorded', effectiveAt, cashAccount, amountUsd, ...memo }]);
    }
    case 'record-btc-purchase': {
      const { wallet, btc, costUsd, feesUsd, venue, cashAccount } = command.body;
      const refusal = usdBound('feesUsd', "costUsd + feesUsd, the lot's cost", costUsd + (feesUsd ?? 0n));
      if (refusal !== undefined) return E.left(refusal);
      return acceptIfBalancesHold(state, {
        type: 'BtcPurchased',
        effectiveAt,
        wallet,
        btc,
        costUsd,
        feesUsd: feesUsd ?? 0n,
        cashAccount: cashAccount ?? DEFAULT_CASH_ACCOUNT,
        ...(venue === undefined ? {} : { venue }),
        ...memo,
      });
    }
    case 'record-btc-payment': {
      const { wallet, btc, usdPerBtc, category, counterparty } = command.body;
      const refusal = usdBound('btc', "btc × usdPerBtc, the payment's fair value", valueInCents(btc, usdPerBtc));
      if (refusal !== undefined) return E.left(refusal);
      return acceptIfBalancesHold(state, {
        type: 'BtcPaid',
        effectiveAt,
        wallet,
        btc,
        usdPerBtc,
        category,
        ...(counterparty === undefined ? {} : { counterparty }),
        ...memo,
      });
    }
  }
};
