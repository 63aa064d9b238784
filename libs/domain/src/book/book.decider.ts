import * as E from 'fp-ts/Either';
import { formatInstant } from '../codecs/instant';
import { DomainError, invalidCommand, ruleViolated } from '../errors';
import { MAX_USD_CENTS } from '../codecs/bounds';
import { formatUsd, minBigint, valueInCents } from '../money/decimal';
import { decideWithApprovals } from './approvals';
import type { approvalCommandCodecs } from './approval.codecs';
import { balanceEffects, balanceKey } from './balance-effects';
import { checkBalances } from './balance-rules';
import { FUTURE_TOLERANCE_MS, centuryAfter, miningPeriodRefusal } from './time.rules';
import { decideAmendment } from './amend.rules';
import { BookCommand, DEFAULT_CASH_ACCOUNT } from './book.commands';
import { BookEvent } from './book.events';
import { beforeOpeningRefusal, openBookEvent, reportedHoldingsDecision, toleranceEvent } from './calendar.rules';
import { cashCollateralEvent, priceStalenessEvent } from './collateral.rules';
import { DEFAULT_DAY_COUNT } from '../loans/day-count';
import { decideReprice, decideTermLiquidation, decideTermLoanEvent } from '../loans/loan.decisions';
import { decideAcquisition, isAcquisitionCommand } from './acquisitions.rules';
import { decideAccountMapping } from './accounting.rules';
import { decideGoLive, knownAtRefusal } from './migration.rules';
import { decideReversal } from './reversal.rules';
import type { BookState, LoanSummary } from './book.state';
import { decideWebhook, isWebhookCommand } from './webhook.rules';
import { checkOpeningWindows } from './opening-window.rules';

/**
 * The book decider: initialState / evolve / decide, read top to bottom.
 *
 * State is what the rules need and nothing more: which events are live, which loans exist, and one
 * BalanceTimeline per balance so "never below zero at any effective time" can be checked for a
 * back-dated event or a reversal as cheaply as for a new one.
 */

type ApprovalCommandName = keyof typeof approvalCommandCodecs;

export interface DecisionContext {
  /** The server clock at decision time (becomes recordedAt); passed in so decide stays deterministic. */
  readonly now: number;
  /** The authenticated principal deciding: proposals record it; an approval must come from another. */
  readonly actor?: string;
  /** Migration: when the old system knew this command; it becomes recordedAt and the decision's "now". */
  readonly knownAt?: number;
}

export { FUTURE_TOLERANCE_MS } from './time.rules';
export { KNOWN_AT_PATH, type MigrationStatus } from './migration.rules';

export { evolve, initialState, recordingTime, type BookState, type RecordedBookEvent } from './book.state';

// ---------------------------------------------------------------------------------------------------
// decide

type Decision = E.Either<DomainError, ReadonlyArray<BookEvent>>;
/** The commands the book decides itself; approval commands go through decideWithApprovals. */
type DirectCommand = Exclude<BookCommand, { readonly name: ApprovalCommandName }>;

const requireLiveLoan = (state: BookState, loanId: string, effectiveAt: number): E.Either<DomainError, LoanSummary> => {
  const loan = state.loans.get(loanId);
  if (loan === undefined || loan.reversed) return E.left(ruleViolated('unknown-loan', `loan "${loanId}" has not been drawn in this book`));
  if (effectiveAt < loan.drawnAt) {
    return E.left(
      ruleViolated(
        'before-loan-drawn',
        `loan "${loanId}" was drawn at ${formatInstant(loan.drawnAt)}, after ${formatInstant(effectiveAt)}`,
      ),
    );
  }
  return E.right(loan);
};

/** The events a new event's rules are checked against: its balances at the end of its effective instant. */
const acceptIfBalancesHold = (state: BookState, event: BookEvent): Decision =>
  E.map(() => [event])(checkBalances(state, balanceEffects(event), event.effectiveAt, state.revision + 1, 1n));

const withLoan = (state: BookState, loanId: string, effectiveAt: number, make: () => Decision): Decision =>
  E.flatMap(() => make())(requireLiveLoan(state, loanId, effectiveAt));

/**
 * Decides a command: approval commands and the policy's proposals first, then the book's own rules. A
 * migrated command (knownAt) is decided with knownAt as "now", and is never held: history is loaded, not
 * decided (a migrating book takes no approval policy: four eyes start at go-live).
 */
export const decide = (command: BookCommand, state: BookState, context: DecisionContext): Decision => {
  if (!state.opened && command.name !== 'open-book') return E.left({ _tag: 'BookNotFound' });
  const { knownAt } = context;
  const refusal = knownAt === undefined ? undefined : knownAtRefusal(state, command, knownAt, context.now);
  if (refusal !== undefined) return E.left(refusal);
  const asKnown = knownAt === undefined ? context : { ...context, now: knownAt };
  const approvalContext = { ...asKnown, migrating: state.migration === 'migrating', migrated: knownAt !== undefined };
  return decideWithApprovals(command, state.approvals, approvalContext, (direct) => decideDirect(direct as DirectCommand, state, asKnown));
};

/** The book's own rules, then the opening-lot windows over every event they would append. */
const decideDirect = (command: DirectCommand, state: BookState, context: DecisionContext): Decision =>
  E.flatMap(checkOpeningWindows(state.openingWindows))(decideOwn(command, state, context));

const decideOwn = (command: DirectCommand, state: BookState, context: DecisionContext): Decision => {
  if (command.name === 'open-book') {
    if (state.opened) return E.left({ _tag: 'BookAlreadyOpen' });
    return E.right([openBookEvent(command.body, context.now)]);
  }
  if (!state.opened) return E.left({ _tag: 'BookNotFound' });
  if (command.name === 'reverse-event') return decideReversal(state, command.body, context.now);
  if (command.name === 'go-live') return decideGoLive(state, command.body, context.now);
  if (command.name === 'amend-event')
    return decideAmendment(state, command.body, context.now, (replacement) => decideDirect(replacement as DirectCommand, state, context));
  if (command.name === 'set-reconciliation-tolerance') {
    return E.right([toleranceEvent(command.body, context.now)]);
  }
  if (command.name === 'set-price-staleness') return E.right([priceStalenessEvent(command.body, context.now)]);
  if (command.name === 'set-account-mapping') return decideAccountMapping(command.body, context.now);
  if (isWebhookCommand(command)) return decideWebhook(command, state.webhooks, context.now);
  if (isAcquisitionCommand(command)) return decideAcquisition(command, state, context.now, FUTURE_TOLERANCE_MS);

  const { effectiveAt } = command.body;
  if (effectiveAt > context.now + FUTURE_TOLERANCE_MS) {
    return E.left(invalidCommand('effectiveAt', `must not be in the future (server time is ${formatInstant(context.now)})`));
  }
  const beforeOpening = beforeOpeningRefusal(state.calendar, effectiveAt);
  if (beforeOpening !== undefined) return E.left(beforeOpening);
  const memo = command.body.memo === undefined ? {} : { memo: command.body.memo };

  switch (command.name) {
    case 'record-mining-output': {
      const { wallet, btc, usdPerBtc, pool, periodStart, periodEnd } = command.body;
      const periodRefusal = miningPeriodRefusal(periodStart, periodEnd, context.now);
      if (periodRefusal !== undefined) return E.left(periodRefusal);
      const lotCost = valueInCents(btc, usdPerBtc);
      if (lotCost > MAX_USD_CENTS) {
        return E.left(
          invalidCommand(
            'btc',
            `btc × usdPerBtc, the lot's cost (${formatUsd(lotCost)} USD), must be at most ${formatUsd(MAX_USD_CENTS)} USD`,
          ),
        );
      }
      return E.right([
        {
          type: 'MiningOutputReceived',
          effectiveAt,
          wallet,
          btc,
          usdPerBtc,
          ...(pool === undefined ? {} : { pool }),
          ...(periodStart === undefined ? {} : { periodStart }),
          ...(periodEnd === undefined ? {} : { periodEnd }),
          ...memo,
        },
      ]);
    }
    case 'record-btc-sale': {
      const { wallet, btc, proceedsUsd, feesUsd, venue, cashAccount } = command.body;
      return acceptIfBalancesHold(state, {
        type: 'BtcSold',
        effectiveAt,
        wallet,
        btc,
        proceedsUsd,
        feesUsd: feesUsd ?? 0n,
        cashAccount: cashAccount ?? DEFAULT_CASH_ACCOUNT,
        ...(venue === undefined ? {} : { venue }),
        ...memo,
      });
    }
    case 'transfer-btc': {
      const { fromWallet, toWallet, btc, feeBtc } = command.body;
      if (fromWallet === toWallet) return E.left(invalidCommand('toWallet', 'must differ from fromWallet'));
      return acceptIfBalancesHold(state, { type: 'BtcTransferred', effectiveAt, fromWallet, toWallet, btc, feeBtc: feeBtc ?? 0n, ...memo });
    }
    case 'record-reported-holdings':
      return reportedHoldingsDecision(command.body, state.calendar, (loanId) => {
        const loan = requireLiveLoan(state, loanId, effectiveAt);
        return E.isLeft(loan) ? loan.left : undefined;
      });
    case 'record-btc-price': {
      const { usdPerBtc, source } = command.body;
      return E.right([{ type: 'BtcPriceObserved', effectiveAt, usdPerBtc, ...(source === undefined ? {} : { source }), ...memo }]);
    }
    case 'draw-loan': {
      const { loanId, lender, principalUsd, annualRate, marginCallLtv, liquidationLtv, maturityAt, cashAccount, dayCount } = command.body;
      if (state.loans.has(loanId)) return E.left(ruleViolated('duplicate-loan-id', `loan id "${loanId}" is already used in this book`));
      if (liquidationLtv <= marginCallLtv) return E.left(invalidCommand('liquidationLtv', 'must be greater than marginCallLtv'));
      if (maturityAt !== undefined && maturityAt <= effectiveAt) return E.left(invalidCommand('maturityAt', 'must be after effectiveAt'));
      if (maturityAt !== undefined && maturityAt > centuryAfter(effectiveAt)) {
        return E.left(
          invalidCommand('maturityAt', `must be within a century of effectiveAt (by ${formatInstant(centuryAfter(effectiveAt))})`),
        );
      }
      return E.right([
        {
          type: 'LoanDrawn',
          effectiveAt,
          loanId,
          lender,
          principalUsd,
          annualRate,
          marginCallLtv,
          liquidationLtv,
          cashAccount: cashAccount ?? DEFAULT_CASH_ACCOUNT,
          ...(maturityAt === undefined ? {} : { maturityAt }),
          // Recorded explicitly, so a drawdown without it can only be one from before accrual from terms.
          dayCount: dayCount ?? DEFAULT_DAY_COUNT,
          ...memo,
        },
      ]);
    }
    case 'pledge-collateral':
    case 'release-collateral': {
      const { loanId, wallet, btc } = command.body;
      const type = command.name === 'pledge-collateral' ? 'CollateralPledged' : 'CollateralReleased';
      return withLoan(state, loanId, effectiveAt, () => acceptIfBalancesHold(state, { type, effectiveAt, loanId, wallet, btc, ...memo }));
    }
    case 'pledge-cash-collateral':
    case 'release-cash-collateral': {
      const event = cashCollateralEvent(command.name, command.body, effectiveAt);
      return withLoan(state, event.loanId, effectiveAt, () => acceptIfBalancesHold(state, event));
    }
    case 'accrue-interest': {
      const { loanId, interestUsd } = command.body;
      const event: BookEvent = { type: 'InterestAccrued', effectiveAt, loanId, interestUsd, ...memo };
      return withLoan(state, loanId, effectiveAt, () => decideTermLoanEvent(state, loanId, event, () => E.right([event])));
    }
    case 'reprice-loan': {
      const { loanId, annualRate } = command.body;
      return withLoan(state, loanId, effectiveAt, () =>
        decideReprice(state, { type: 'LoanRepriced', effectiveAt, loanId, annualRate, ...memo }),
      );
    }
    case 'repay-loan': {
      const { loanId, principalUsd, interestUsd, cashAccount } = command.body;
      if (principalUsd === 0n && (interestUsd ?? 0n) === 0n) {
        return E.left(invalidCommand('principalUsd', 'principalUsd and interestUsd cannot both be zero'));
      }
      const event: BookEvent = {
        type: 'LoanRepaid',
        effectiveAt,
        loanId,
        principalUsd,
        interestUsd: interestUsd ?? 0n,
        cashAccount: cashAccount ?? DEFAULT_CASH_ACCOUNT,
        ...memo,
      };
      return withLoan(state, loanId, effectiveAt, () =>
        decideTermLoanEvent(state, loanId, event, () => acceptIfBalancesHold(state, event)),
      );
    }
    case 'liquidate-collateral': {
      const { loanId, wallet, btc, proceedsUsd, cashAccount } = command.body;
      const liquidation = {
        type: 'CollateralLiquidated' as const,
        effectiveAt,
        loanId,
        wallet,
        btc,
        proceedsUsd,
        cashAccount: cashAccount ?? DEFAULT_CASH_ACCOUNT,
        ...memo,
      };
      return withLoan(state, loanId, effectiveAt, () =>
        decideTermLiquidation(state, liquidation, () => {
          // Proceeds settle what is owed at that effective time: accrued interest first, then principal.
          const revision = state.revision + 1;
          const interestOwed = state.balances.get(balanceKey.interest(loanId))?.balanceThrough(effectiveAt, revision) ?? 0n;
          const principalOwed = state.balances.get(balanceKey.principal(loanId))?.balanceThrough(effectiveAt, revision) ?? 0n;
          const interestAppliedUsd = minBigint(proceedsUsd, interestOwed);
          const principalAppliedUsd = minBigint(proceedsUsd - interestAppliedUsd, principalOwed);
          return acceptIfBalancesHold(state, {
            type: 'CollateralLiquidated',
            effectiveAt,
            loanId,
            wallet,
            btc,
            proceedsUsd,
            interestAppliedUsd,
            principalAppliedUsd,
            excessUsd: proceedsUsd - interestAppliedUsd - principalAppliedUsd,
            cashAccount: cashAccount ?? DEFAULT_CASH_ACCOUNT,
            ...memo,
          });
        }),
      );
    }
    case 'record-cash-movement': {
      const { cashAccount, amountUsd, category, counterparty } = command.body;
      return acceptIfBalancesHold(state, {
        type: 'CashMoved',
        effectiveAt,
        cashAccount,
        amountUsd,
        category,
        ...(counterparty === undefined ? {} : { counterparty }),
        ...memo,
      });
    }
  }
};
