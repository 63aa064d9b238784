import { BookEvent, balanceKey, localTimeAt, startOfMonth } from '@treasury/domain';
import type { BookProjection } from '../book/book-projection';
import { lotCost } from '../book/fifo';
import type { LotBook } from '../lots/lot-method';
import type { ChartOfAccounts, LedgerAccount } from './chart-of-accounts';
import { openingLotRevaluation } from '../reports/opening-revaluation';
import { EntryEffect, JournalLine, entryOf, isDisposal } from './journal-entries';

export type { JournalLine } from './journal-entries';

/**
 * The journal: double-entry lines per live event (journal-entries.ts) plus two kinds of period-end
 * adjustment, at every month end (in the book's time zone) and at `to`:
 * - remeasurement: digital assets are carried at fair value, so the account is moved by the change in
 *   unrealized gain (fair value − carrying cost) since the last remeasurement, against remeasurement
 *   gain; after it, the account's balance is holdings × the price at that instant. No price known: no
 *   remeasurement (the assets stay where they were). An opening lot enters at its fair value when held
 *   (against opening balance equity): that gain was posted with it and is not remeasured again.
 * - interest accrual: loans accruing from their terms accrue at read time, so each loan's interest
 *   payable is trued up to the position's accrued-and-unpaid interest, against interest expense.
 * The writer walks the book from its first event (the adjustments need balances before `from`), in
 * effective order, and keeps the entries dated in [from, to]. Every entry's debits equal its credits
 * (checked: a violation is a bug, and throws).
 */
export interface JournalEvent {
  readonly eventId: string;
  readonly revision: number;
  readonly event: BookEvent;
  readonly reference?: string;
}

export type EntryType = BookEvent['type'] | 'Remeasurement' | 'InterestAccrual';

export interface JournalEntry {
  /** The event id, or the adjustment's kind, subject and instant ("remeasurement@…", "interest:<loanId>@…"). */
  readonly entryId: string;
  readonly date: number;
  readonly eventId: string | null;
  readonly type: EntryType;
  readonly reference?: string;
  readonly memo?: string;
  /** An adjustment at a `to` that is not a month end: a later journal's month end replaces it (import month-aligned ranges). */
  readonly interim?: true;
  readonly lines: ReadonlyArray<JournalLine>;
}

export interface AccountTotals {
  readonly account: LedgerAccount;
  /** Signed balances, debit positive: before `from`, and at `to`. */
  readonly openingUsd: bigint;
  readonly debitUsd: bigint;
  readonly creditUsd: bigint;
  readonly closingUsd: bigint;
}

export interface PeriodTotals {
  readonly period: string;
  readonly start: number;
  readonly end: number;
  readonly entries: number;
  readonly debitUsd: bigint;
  readonly creditUsd: bigint;
}

export interface Journal {
  readonly entries: ReadonlyArray<JournalEntry>;
  readonly periods: ReadonlyArray<PeriodTotals>;
  readonly accounts: ReadonlyArray<AccountTotals>;
}

export interface JournalInput {
  readonly projection: BookProjection;
  readonly version: number;
  readonly lots: LotBook;
  readonly chart: ChartOfAccounts;
  readonly timeZone: string;
  readonly from: number;
  readonly to: number;
}

const EARLIEST = -8_640_000_000_000_000;
const monthLabel = (zone: string, instant: number) => {
  const local = localTimeAt(zone, instant);
  return `${local.year}-${String(local.month).padStart(2, '0')}`;
};
const lastInstantOfMonthHolding = (zone: string, instant: number) => {
  const local = localTimeAt(zone, instant);
  return startOfMonth(zone, local.year, local.month + 1) - 1;
};

/** Runs steps to the end in one go (a caller that is not answering HTTP). */
const complete = <R>(steps: Generator<void, R>): R => {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
};

interface Running {
  account: LedgerAccount;
  opening: bigint;
  debit: bigint;
  credit: bigint;
}

export class JournalWriter {
  private readonly entries: JournalEntry[] = [];
  private readonly accounts = new Map<string, Running>();
  private readonly periods = new Map<string, PeriodTotals>();
  private readonly reliefs: Iterator<{ disposal: { revision: number }; relievedCostUsd: bigint }>;
  private readonly pendingRelief = new Map<number, bigint>();
  /** Interest payable posted per loan (loans in drawdown order). */
  private readonly payable = new Map<string, bigint>();
  private holdings = 0n;
  private carrying = 0n;
  private unrealized = 0n;
  private nextMonthEnd: number | undefined;
  private lastKey = { effectiveAt: EARLIEST, revision: -1 };
  private lastClosed = EARLIEST;

  constructor(private readonly input: JournalInput) {
    this.reliefs = input.lots.reliefs(EARLIEST, input.to)[Symbol.iterator]();
  }

  /** Entries kept so far (dated in [from, to]): the caller bounds the answer with it. */
  get entryCount(): number {
    return this.entries.length;
  }

  /** The next live event, in effective order (ties: revision), effective at or before `to`. */
  add(event: JournalEvent): void {
    complete(this.addSteps(event));
  }

  /** add() as steps: it yields after each month end it closes (an event after a long gap closes many). */
  *addSteps({ eventId, revision, event, reference }: JournalEvent): Generator<void, void> {
    const { effectiveAt } = event;
    if (effectiveAt > this.input.to) throw new Error(`journal: event ${eventId} is effective after to`);
    if (effectiveAt < this.lastKey.effectiveAt || (effectiveAt === this.lastKey.effectiveAt && revision <= this.lastKey.revision))
      throw new Error('journal: events out of effective order');
    this.lastKey = { effectiveAt, revision };
    yield* this.closeMonthsBefore(effectiveAt);
    if (event.type === 'LoanDrawn') this.payable.set(event.loanId, 0n);
    const facts = {
      relievedCostUsd: isDisposal(event) ? this.reliefOf(revision) : 0n,
      ...this.splitOf(event, revision),
      ...this.openingValueOf(event, revision),
    };
    const effect = entryOf(event, facts, this.input.chart);
    this.apply(effect);
    const memo = 'memo' in event ? event.memo : undefined;
    this.post({
      entryId: eventId,
      date: effectiveAt,
      eventId,
      type: event.type,
      ...(reference === undefined ? {} : { reference }),
      ...(memo === undefined ? {} : { memo }),
      lines: effect.lines,
    });
  }

  finish(): Journal {
    return complete(this.finishSteps());
  }

  /**
   * finish() as steps: every month end from the last event to `to` is closed, each with a position read
   * when there are loans; one month per step, so a `to` years after the last event does not hold the loop.
   */
  *finishSteps(): Generator<void, Journal> {
    yield* this.closeMonthsBefore(this.input.to + 1);
    if (this.lastClosed !== this.input.to) this.closePoint(this.input.to, true);
    const accounts = [...this.accounts.values()]
      .sort((a, b) => (a.account.code < b.account.code ? -1 : a.account.code > b.account.code ? 1 : 0))
      .map(({ account, opening, debit, credit }) => ({
        account,
        openingUsd: opening,
        debitUsd: debit,
        creditUsd: credit,
        closingUsd: opening + debit - credit,
      }));
    return { entries: this.entries, periods: [...this.periods.values()], accounts };
  }

  private reliefOf(revision: number): bigint {
    while (!this.pendingRelief.has(revision)) {
      const next = this.reliefs.next();
      if (next.done === true) throw new Error(`journal: no relief for the disposal at revision ${revision}`);
      this.pendingRelief.set(next.value.disposal.revision, next.value.relievedCostUsd);
    }
    const relieved = this.pendingRelief.get(revision)!;
    this.pendingRelief.delete(revision);
    return relieved;
  }

  /** A liquidation of a loan accruing from its terms is split at read time, on the loan's whole timeline at the version. */
  private splitOf(event: BookEvent, revision: number) {
    if (event.type !== 'CollateralLiquidated' || event.waterfall !== 'projected') return {};
    const split = this.input.projection
      .termLoanFigures(event.loanId, event.effectiveAt, this.input.version)
      ?.splits.find((s) => s.revision === revision);
    return split === undefined ? {} : { split: { interest: split.interest, principal: split.principal, excess: split.excess } };
  }

  /** An opening lot's fair value when it is held from, by the book's price then. */
  private openingValueOf(event: BookEvent, revision: number) {
    if (event.type !== 'OpeningBalanceRecorded') return {};
    return { openingFairValueUsd: openingLotRevaluation(this.input.projection, this.input.version, revision).fairValueUsd };
  }

  private apply(effect: EntryEffect): void {
    this.holdings += effect.btcDelta;
    this.carrying += effect.costDelta;
    this.unrealized += effect.unrealizedPosted ?? 0n;
    if (effect.interest !== undefined)
      this.payable.set(effect.interest.loanId, (this.payable.get(effect.interest.loanId) ?? 0n) + effect.interest.delta);
  }

  /** Closes each month end before `instant` (and not after `to`), yielding after each. */
  private *closeMonthsBefore(instant: number): Generator<void, void> {
    const zone = this.input.timeZone;
    this.nextMonthEnd ??= lastInstantOfMonthHolding(zone, instant);
    while (this.nextMonthEnd < instant && this.nextMonthEnd <= this.input.to) {
      this.closePoint(this.nextMonthEnd, false);
      this.nextMonthEnd = lastInstantOfMonthHolding(zone, this.nextMonthEnd + 1);
      yield;
    }
  }

  /** The period-end adjustments at `at`: remeasurement to fair value, then each loan's interest trued up. */
  private closePoint(at: number, interim: boolean): void {
    this.lastClosed = at;
    const { projection, version, chart } = this.input;
    const iso = new Date(at).toISOString();
    const flag = interim ? { interim: true as const } : {};
    const price = projection.priceAt(at, version);
    if (price !== undefined) {
      const target = lotCost(this.holdings, price.usdPerBtc) - this.carrying;
      const change = target - this.unrealized;
      this.unrealized = target;
      if (change !== 0n) {
        const lines =
          change > 0n
            ? [
                { account: chart.role('digitalAssets'), debitUsd: change, creditUsd: 0n },
                { account: chart.role('remeasurementGain'), debitUsd: 0n, creditUsd: change },
              ]
            : [
                { account: chart.role('remeasurementGain'), debitUsd: -change, creditUsd: 0n },
                { account: chart.role('digitalAssets'), debitUsd: 0n, creditUsd: -change },
              ];
        this.post({
          entryId: `remeasurement@${iso}`,
          date: at,
          eventId: null,
          type: 'Remeasurement',
          memo: `${this.holdings} sats at ${price.usdPerBtc} cents per BTC`,
          ...flag,
          lines,
        });
      }
    }
    if (this.payable.size === 0) return;
    const balances = projection.raw(at, version).balances;
    for (const [loanId, posted] of this.payable) {
      const accrued = (balances.get(balanceKey.interest(loanId)) ?? 0n) - posted;
      if (accrued === 0n) continue;
      this.payable.set(loanId, posted + accrued);
      const expense = { account: chart.role('interestExpense'), memo: loanId };
      const payable = { account: chart.role('interestPayable'), memo: loanId };
      const lines =
        accrued > 0n
          ? [
              { ...expense, debitUsd: accrued, creditUsd: 0n },
              { ...payable, debitUsd: 0n, creditUsd: accrued },
            ]
          : [
              { ...payable, debitUsd: -accrued, creditUsd: 0n },
              { ...expense, debitUsd: 0n, creditUsd: -accrued },
            ];
      this.post({ entryId: `interest:${loanId}@${iso}`, date: at, eventId: null, type: 'InterestAccrual', ...flag, lines });
    }
  }

  /** Checks the entry balances, adds it to the account totals, and keeps it when dated in [from, to]. */
  private post(entry: JournalEntry): void {
    const lines = entry.lines.filter((line) => line.debitUsd !== 0n || line.creditUsd !== 0n);
    if (lines.length === 0) return;
    let debit = 0n;
    let credit = 0n;
    for (const line of lines) {
      debit += line.debitUsd;
      credit += line.creditUsd;
    }
    if (debit !== credit) throw new Error(`journal: entry ${entry.entryId} does not balance (${debit} debit, ${credit} credit)`);
    const inRange = entry.date >= this.input.from;
    for (const line of lines) {
      let running = this.accounts.get(line.account.code);
      if (running === undefined) {
        running = { account: line.account, opening: 0n, debit: 0n, credit: 0n };
        this.accounts.set(line.account.code, running);
      }
      if (inRange) {
        running.debit += line.debitUsd;
        running.credit += line.creditUsd;
      } else running.opening += line.debitUsd - line.creditUsd;
    }
    if (!inRange) return;
    this.entries.push({ ...entry, lines });
    const zone = this.input.timeZone;
    const label = monthLabel(zone, entry.date);
    const period = this.periods.get(label);
    const local = localTimeAt(zone, entry.date);
    const start = Math.max(this.input.from, startOfMonth(zone, local.year, local.month));
    const end = Math.min(this.input.to, startOfMonth(zone, local.year, local.month + 1) - 1);
    this.periods.set(label, {
      period: label,
      start,
      end,
      entries: (period?.entries ?? 0) + 1,
      debitUsd: (period?.debitUsd ?? 0n) + debit,
      creditUsd: (period?.creditUsd ?? 0n) + credit,
    });
  }
}
