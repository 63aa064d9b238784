import * as E from 'fp-ts/Either';
import { formatInstant } from '../codecs/instant';
import { DomainError, ruleViolated } from '../errors';
import { formatDecimal } from '../money/decimal';
import { BalanceTimeline } from './balance-timeline';
import { BalanceEffect, parseBalanceKey } from './balance-effects';

/** The "never below zero at any effective time" rule, with one message per kind of balance. */
const shortfallMessages: Record<string, { code: string; say: (parts: string[], amount: string, at: string) => string }> = {
  'unencumbered-btc': {
    code: 'insufficient-unencumbered-btc',
    say: ([wallet], amount, at) => `wallet "${wallet}" would hold ${amount} BTC of unencumbered BTC at ${at}`,
  },
  'pledged-btc': {
    code: 'insufficient-pledged-collateral',
    say: ([loan, wallet], amount, at) => `loan "${loan}" would have ${amount} BTC pledged from wallet "${wallet}" at ${at}`,
  },
  principal: {
    code: 'exceeds-outstanding-principal',
    say: ([loan], amount, at) => `loan "${loan}" would have ${amount} USD of principal outstanding at ${at}`,
  },
  interest: {
    code: 'exceeds-accrued-interest',
    say: ([loan], amount, at) => `loan "${loan}" would have ${amount} USD of accrued interest unpaid at ${at}`,
  },
  'pledged-cash': {
    code: 'insufficient-pledged-cash',
    say: ([loan, account], amount, at) => `loan "${loan}" would have ${amount} USD pledged from cash account "${account}" at ${at}`,
  },
  cash: {
    code: 'insufficient-cash',
    say: ([account], amount, at) => `cash account "${account}" would hold ${amount} USD at ${at}`,
  },
};

/**
 * Checks that applying `sign * effects` at (time, revision) leaves every balance at or above zero at
 * every effective time from there on. sign -1 is a reversal taking the effects out again.
 */
export const checkBalances = (
  state: { readonly balances: ReadonlyMap<string, BalanceTimeline> },
  effects: ReadonlyArray<BalanceEffect>,
  time: number,
  revision: number,
  sign: 1n | -1n,
): E.Either<DomainError, void> => {
  const perKey = new Map<string, bigint>();
  for (const { key, delta } of effects) perKey.set(key, (perKey.get(key) ?? 0n) + sign * delta);
  for (const [key, delta] of perKey) {
    const shortfall = (state.balances.get(key) ?? new BalanceTimeline()).firstShortfall(time, revision, delta);
    if (shortfall !== undefined) {
      const { kind, parts } = parseBalanceKey(key);
      const message = shortfallMessages[kind]!;
      const scale = kind === 'unencumbered-btc' || kind === 'pledged-btc' ? 8 : 2;
      return E.left(ruleViolated(message.code, message.say(parts, formatDecimal(shortfall.balance, scale), formatInstant(shortfall.at))));
    }
  }
  return E.right(undefined);
};
