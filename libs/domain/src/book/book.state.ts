/**
 * The book's state and its fold (initialState / evolve): what the decider's rules need and nothing
 * more. Split from book.decider.ts, which decides against it.
 */
import { BalanceTimeline } from './balance-timeline';
import { ApprovalState, evolveApproval, initialApprovalState, isApprovalEvent } from './approvals';
import { BalanceEffect, balanceEffects, loanOf } from './balance-effects';
import { BookEvent, BookEventType } from './book.events';
import { BookCalendar, UNOPENED_CALENDAR, calendarOf } from './calendar.rules';
import { TermLoan, evolveTermLoans } from '../loans/loan.rules';
import { MigrationStatus, migrationStatusAfter } from './migration.rules';
import { WebhookRegistry, evolveWebhooks } from './webhook.rules';
import { OpeningWindows, evolveOpeningWindows, initialOpeningWindows, reverseInOpeningWindows } from './opening-window.rules';

/** An event as the decider sees it once recorded: the store assigns the revision, the server the time. */
export interface RecordedBookEvent {
  readonly eventId: string;
  readonly revision: number;
  readonly recordedAt: number;
  readonly event: BookEvent;
}

export interface EventSummary {
  readonly type: BookEventType;
  readonly effectiveAt: number;
  readonly revision: number;
  readonly effects: ReadonlyArray<BalanceEffect>;
  readonly loanId: string | undefined;
  reversed: boolean;
}

export interface LoanSummary {
  readonly drawnAt: number;
  reversed: boolean;
  /** Live events other than the drawdown that name this loan: a drawdown is reversible only at zero. */
  liveActivity: number;
}

export interface BookState {
  opened: boolean;
  /** When the book opened and its time zone (calendar.rules.ts). */
  calendar: BookCalendar;
  /** Revision of the last event, -1 before the first. */
  revision: number;
  /** recordedAt of the last event: a book's recorded times never go backwards (see recordingTime). */
  lastRecordedAt: number;
  readonly events: Map<string, EventSummary>;
  readonly loans: Map<string, LoanSummary>;
  readonly balances: Map<string, BalanceTimeline>;
  /** Loans drawn with a dayCount: their timelines, for the rules of loan.rules.ts. */
  readonly termLoans: Map<string, TermLoan>;
  /** Four eyes: the book's approval policy and its proposals. */
  readonly approvals: ApprovalState;
  /** Migration mode (migration.rules.ts): whether commands may still carry knownAt. */
  migration: MigrationStatus;
  /** Webhooks registered in the book (webhook.rules.ts). */
  readonly webhooks: WebhookRegistry;
  /** Opening lots' (acquiredAt, effectiveAt) windows and the live disposals' times (opening-window.rules.ts). */
  readonly openingWindows: OpeningWindows;
}

/**
 * The recordedAt for the next command: the server clock, but never before the book's last recordedAt.
 * A clock stepping back (NTP, another writer's skew) must not reorder what the ledger knew when:
 * knownAt queries rely on recorded time growing with the log.
 */
export const recordingTime = (state: BookState, clockNow: number): number => Math.max(clockNow, state.lastRecordedAt);

export const initialState = (): BookState => ({
  opened: false,
  calendar: UNOPENED_CALENDAR,
  revision: -1,
  lastRecordedAt: Number.NEGATIVE_INFINITY,
  events: new Map(),
  loans: new Map(),
  balances: new Map(),
  termLoans: new Map(),
  approvals: initialApprovalState(),
  migration: 'none',
  webhooks: new Map(),
  openingWindows: initialOpeningWindows(),
});

const timeline = (state: BookState, key: string): BalanceTimeline => {
  let found = state.balances.get(key);
  if (found === undefined) {
    found = new BalanceTimeline();
    state.balances.set(key, found);
  }
  return found;
};

/**
 * Folds one recorded event into the state. It updates the state in place: copying per-balance
 * timelines on every event would make loading a long book quadratic. A state object is owned by one
 * fold at a time (the application's per-book cache), and decide never mutates it.
 */
export const evolve = (state: BookState, recorded: RecordedBookEvent): BookState => {
  const { event, revision, eventId } = recorded;
  state.revision = revision;
  state.lastRecordedAt = Math.max(state.lastRecordedAt, recorded.recordedAt);
  state.migration = migrationStatusAfter(state.migration, event);
  evolveWebhooks(state.webhooks, event);
  if (event.type === 'EventReversed') {
    const target = state.events.get(event.eventId);
    if (target !== undefined && !target.reversed) {
      target.reversed = true;
      reverseInOpeningWindows(state.openingWindows, event.eventId, target);
      for (const effect of target.effects) timeline(state, effect.key).remove(target.effectiveAt, target.revision);
      const loan = target.loanId === undefined ? undefined : state.loans.get(target.loanId);
      if (loan !== undefined) {
        if (target.type === 'LoanDrawn') loan.reversed = true;
        else loan.liveActivity -= 1;
      }
      evolveTermLoans(state, event, revision, target);
    }
  } else {
    const effects = balanceEffects(event);
    for (const effect of effects) timeline(state, effect.key).insert(event.effectiveAt, revision, effect.delta);
    evolveOpeningWindows(state.openingWindows, eventId, event, effects);
    const loanId = loanOf(event);
    if (event.type === 'BookOpened') {
      state.opened = true;
      state.calendar = calendarOf(event);
    }
    if (event.type === 'LoanDrawn') state.loans.set(event.loanId, { drawnAt: event.effectiveAt, reversed: false, liveActivity: 0 });
    else if (loanId !== undefined) {
      const loan = state.loans.get(loanId);
      if (loan !== undefined) loan.liveActivity += 1;
    }
    state.events.set(eventId, { type: event.type, effectiveAt: event.effectiveAt, revision, effects, loanId, reversed: false });
    if (isApprovalEvent(event)) evolveApproval(state.approvals, eventId, event);
    evolveTermLoans(state, event, revision);
  }
  if (event.type === 'EventReversed') {
    state.events.set(eventId, {
      type: event.type,
      effectiveAt: event.effectiveAt,
      revision,
      effects: [],
      loanId: undefined,
      reversed: false,
    });
  }
  return state;
};
