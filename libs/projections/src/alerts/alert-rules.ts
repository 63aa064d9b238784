import { AlertKind, formatBtc, formatInstant, formatRatio, formatUsd } from '@treasury/domain';
import type { BookProjection } from '../book/book-projection';
import { positionFrom } from '../book/position';
import { reconciliation } from '../reports/reconciliation';

/**
 * Alert detection, pure: what state each alert subject of a book is in now, and which of those
 * states differ from the last one raised. The application service compares, appends and remembers.
 */
export type AlertFigureMap = Readonly<Record<string, string | null>>;

export interface AlertSubjectState {
  readonly kind: AlertKind;
  /** A loan id, a reported-holdings event id, or null for the book itself (price, chain). */
  readonly subject: string | null;
  readonly state: string;
  readonly figures: AlertFigureMap;
}

export interface AlertTransition extends AlertSubjectState {
  readonly from: string;
}

/** Where every subject starts before any alert was raised about it. */
export const INITIAL_STATE: Readonly<Record<AlertKind, string>> = {
  'loan-status': 'open',
  'price-staleness': 'fresh',
  reconciliation: 'clear',
  'hash-chain': 'intact',
};

/**
 * States nobody needs telling about. Moving between two of them is not an alert (a loan drawn open,
 * repaid, closed); into or out of any other state is, and so is a move between two alarming ones.
 */
const QUIET: Readonly<Record<AlertKind, ReadonlySet<string>>> = {
  'loan-status': new Set(['open', 'repaid', 'closed']),
  'price-staleness': new Set(['fresh', 'none']),
  reconciliation: new Set(['clear', 'withdrawn']),
  'hash-chain': new Set(['intact']),
};

/** What a subject leaves to when it vanishes from the figures (a loan closed or reversed, a report reversed). */
const GONE: Readonly<Record<AlertKind, string>> = {
  'loan-status': 'closed',
  'price-staleness': 'none',
  reconciliation: 'withdrawn',
  'hash-chain': 'intact',
};

export const isQuiet = (kind: AlertKind, state: string): boolean => QUIET[kind].has(state);

export const subjectKey = (kind: AlertKind, subject: string | null): string => `${kind}|${subject ?? ''}`;

export const isTransition = (kind: AlertKind, from: string, to: string): boolean =>
  isQuiet(kind, from) !== isQuiet(kind, to) || (!isQuiet(kind, from) && from !== to);

/** The last state raised per subject key, with its kind and subject (rebuilt from the alerts stream). */
export interface RaisedState {
  readonly kind: AlertKind;
  readonly subject: string | null;
  readonly state: string;
}

/**
 * The transitions to raise: each current state that differs (as isTransition says) from the last one
 * raised (or the initial state), and each subject last raised in an alarming state that has vanished.
 */
export const alertTransitions = (
  lastRaised: ReadonlyMap<string, RaisedState>,
  current: ReadonlyArray<AlertSubjectState>,
): AlertTransition[] => {
  const transitions: AlertTransition[] = [];
  const seen = new Set<string>();
  for (const now of current) {
    const key = subjectKey(now.kind, now.subject);
    seen.add(key);
    const from = lastRaised.get(key)?.state ?? INITIAL_STATE[now.kind];
    if (isTransition(now.kind, from, now.state)) transitions.push({ ...now, from });
  }
  for (const [key, last] of lastRaised) {
    if (seen.has(key) || isQuiet(last.kind, last.state)) continue;
    transitions.push({ kind: last.kind, subject: last.subject, from: last.state, state: GONE[last.kind], figures: {} });
  }
  return transitions;
};

const orNull = <A>(value: A | null | undefined, format: (a: A) => string): string | null =>
  value === null || value === undefined ? null : format(value);

/** A broken link of the hash chain, as verification reports it; null while the chain holds. */
export interface ChainBreak {
  readonly reason: string;
  readonly eventId: string;
  readonly revision: number;
  readonly expected: string;
  readonly found: string | null;
}

/**
 * Every alert subject's state in a book at `asOf`, as known at `version`: each listed loan's status,
 * the price's freshness, each reconciliation row, and the chain as last verified.
 */
export const currentAlertStates = (book: BookProjection, asOf: number, version: number, chain: ChainBreak | null): AlertSubjectState[] => {
  const position = positionFrom(book.raw(asOf, version));
  const price = position.price;
  const states: AlertSubjectState[] = [];
  for (const [loanId, loan] of position.loans) {
    states.push({
      kind: 'loan-status',
      subject: loanId,
      state: loan.status,
      figures: {
        ltv: orNull(loan.ltv, formatRatio),
        marginCallLtv: formatRatio(loan.marginCallLtv),
        liquidationLtv: formatRatio(loan.liquidationLtv),
        outstandingUsd: formatUsd(loan.outstandingUsd),
        pledgedBtc: formatBtc(loan.pledgedBtc),
        pledgedCashUsd: formatUsd(loan.pledgedCashUsd),
        usdPerBtc: orNull(price?.usdPerBtc, formatUsd),
        priceEffectiveAt: orNull(price?.effectiveAt, formatInstant),
        marginCallPriceUsd: orNull(loan.marginCallPriceUsd, formatUsd),
        liquidationPriceUsd: orNull(loan.liquidationPriceUsd, formatUsd),
        maturityAt: orNull(loan.maturityAt, formatInstant),
        btcToCureMarginCall: orNull(loan.btcToCureMarginCall, formatBtc),
        usdToCureMarginCall: orNull(loan.usdToCureMarginCall, formatUsd),
      },
    });
  }
  states.push({
    kind: 'price-staleness',
    subject: null,
    state: price === null ? 'none' : price.stale ? 'stale' : 'fresh',
    figures:
      price === null
        ? {}
        : {
            usdPerBtc: formatUsd(price.usdPerBtc),
            priceEffectiveAt: formatInstant(price.effectiveAt),
            ageSeconds: String(price.ageSeconds),
            maxAgeSeconds: String(price.maxAgeSeconds),
          },
  });
  for (const row of reconciliation(book, version).reports) {
    const figures: Record<string, string | null> = {
      source: row.report.source,
      reportedAt: formatInstant(row.report.effectiveAt),
      toleranceBtc: formatBtc(row.tolerance.btc),
      toleranceUsd: formatUsd(row.tolerance.usd),
    };
    for (const [name, line] of Object.entries(row.lines)) {
      if (line === null) continue;
      const format = name === 'outstandingUsd' ? formatUsd : formatBtc;
      figures[`${name}.reported`] = format(line.reported);
      figures[`${name}.ledger`] = format(line.ledger);
      figures[`${name}.difference`] = format(line.difference);
    }
    states.push({
      kind: 'reconciliation',
      subject: book.eventIdAt(row.report.revision),
      state: row.flagged ? 'flagged' : 'clear',
      figures,
    });
  }
  states.push({
    kind: 'hash-chain',
    subject: null,
    state: chain === null ? 'intact' : 'broken',
    figures:
      chain === null
        ? {}
        : { reason: chain.reason, eventId: chain.eventId, revision: String(chain.revision), expected: chain.expected, found: chain.found },
  });
  return states;
};
