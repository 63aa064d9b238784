import * as E from 'fp-ts/Either';
import { BalanceKind, parseBalanceKey } from '@treasury/domain';
import type { BookProjection, EventContribution } from '../book/book-projection';
import { Position, positionFrom } from '../book/position';
import { FigureUnit, derivedFigures } from '../figures/derived-figures';
import { termLoanContributions } from '../loans/term-loan-explain';

export type { FigureUnit } from '../figures/derived-figures';

/** An event's part in a figure, with what else an auditor needs to check it (lot, proceeds...). */
export interface ContributionLine extends EventContribution {
  readonly detail?: Readonly<Record<string, bigint>>;
  /** How the amount is computed, when it is not an event's own delta (a loan's accrual from its terms). */
  readonly formula?: string;
}

export type Explanation =
  /** The figure is the sum of the events' amounts: they are listed, in effective order. */
  | { readonly kind: 'sum'; readonly unit: FigureUnit; readonly value: bigint; readonly contributions: ReadonlyArray<ContributionLine> }
  /** The figure is one observation: the event that set it. */
  | { readonly kind: 'observation'; readonly unit: FigureUnit; readonly value: bigint | null; readonly source: EventContribution | null }
  /** The figure is computed from other figures, each of which can be explained in turn. */
  | {
      readonly kind: 'formula';
      readonly unit: FigureUnit;
      readonly value: bigint | null;
      readonly formula: string;
      readonly inputs: ReadonlyArray<{ readonly figure: string; readonly unit: FigureUnit; readonly value: bigint | null }>;
    };

type Weight = (kind: BalanceKind, parts: ReadonlyArray<string>) => bigint;

/** Figures that are sums of balances: which balances, with which sign. */
const balanceSums: ReadonlyArray<{ readonly match: RegExp; readonly unit: FigureUnit; readonly weight: (name: string) => Weight }> = [
  { match: /^holdings\.btc$/, unit: 'BTC', weight: () => (kind) => (kind === 'unencumbered-btc' || kind === 'pledged-btc' ? 1n : 0n) },
  { match: /^holdings\.unencumberedBtc$/, unit: 'BTC', weight: () => (kind) => (kind === 'unencumbered-btc' ? 1n : 0n) },
  { match: /^holdings\.pledgedBtc$/, unit: 'BTC', weight: () => (kind) => (kind === 'pledged-btc' ? 1n : 0n) },
  {
    match: /^holdings\.wallets\.(.+)\.btc$/,
    unit: 'BTC',
    weight: (wallet) => (kind, parts) =>
      (kind === 'unencumbered-btc' && parts[0] === wallet) || (kind === 'pledged-btc' && parts[1] === wallet) ? 1n : 0n,
  },
  {
    match: /^holdings\.wallets\.(.+)\.pledgedBtc$/,
    unit: 'BTC',
    weight: (wallet) => (kind, parts) => (kind === 'pledged-btc' && parts[1] === wallet ? 1n : 0n),
  },
  // Cash pledged to loans is still the company's (cash.totalUsd) but cannot be spent (liquidity.cashUsd).
  { match: /^cash\.totalUsd$/, unit: 'USD', weight: () => (kind) => (kind === 'cash' || kind === 'pledged-cash' ? 1n : 0n) },
  { match: /^liquidity\.cashUsd$/, unit: 'USD', weight: () => (kind) => (kind === 'cash' ? 1n : 0n) },
  { match: /^cash\.pledgedUsd$/, unit: 'USD', weight: () => (kind) => (kind === 'pledged-cash' ? 1n : 0n) },
  {
    match: /^loans\.(.+)\.pledgedCashUsd$/,
    unit: 'USD',
    weight: (loan) => (kind, parts) => (kind === 'pledged-cash' && parts[0] === loan ? 1n : 0n),
  },
  {
    match: /^cash\.accounts\.(.+)$/,
    unit: 'USD',
    weight: (account) => (kind, parts) => (kind === 'cash' && parts[0] === account ? 1n : 0n),
  },
  {
    match: /^loans\.(.+)\.principalUsd$/,
    unit: 'USD',
    weight: (loan) => (kind, parts) => (kind === 'principal' && parts[0] === loan ? 1n : 0n),
  },
  {
    match: /^loans\.(.+)\.accruedInterestUsd$/,
    unit: 'USD',
    weight: (loan) => (kind, parts) => (kind === 'interest' && parts[0] === loan ? 1n : 0n),
  },
  {
    match: /^loans\.(.+)\.outstandingUsd$/,
    unit: 'USD',
    weight: (loan) => (kind, parts) => ((kind === 'principal' || kind === 'interest') && parts[0] === loan ? 1n : 0n),
  },
  {
    match: /^loans\.(.+)\.pledgedBtc$/,
    unit: 'BTC',
    weight: (loan) => (kind, parts) => (kind === 'pledged-btc' && parts[0] === loan ? 1n : 0n),
  },
  { match: /^leverage\.totalDebtUsd$/, unit: 'USD', weight: () => (kind) => (kind === 'principal' || kind === 'interest' ? 1n : 0n) },
  // Net debt: debt up, cash down.
  {
    match: /^leverage\.netDebtUsd$/,
    unit: 'USD',
    weight: () => (kind) => (kind === 'principal' || kind === 'interest' ? 1n : kind === 'cash' || kind === 'pledged-cash' ? -1n : 0n),
  },
];

/** Reads a figure of a position by its path; undefined when the position has no such figure. */
export const figureValue = (position: Position, figure: string): bigint | null | undefined => {
  const loan =
    /^loans\.(.+)\.(principalUsd|accruedInterestUsd|outstandingUsd|pledgedBtc|pledgedCashUsd|ltv|marginCallLtv|liquidationLtv|marginCallPriceUsd|liquidationPriceUsd)$/.exec(
      figure,
    );
  if (loan !== null) {
    const found = position.loans.get(loan[1]!);
    return found === undefined ? undefined : found[loan[2] as 'principalUsd'];
  }
  const wallet = /^holdings\.wallets\.(.+)\.(btc|pledgedBtc)$/.exec(figure);
  if (wallet !== null) return position.holdings.wallets.get(wallet[1]!)?.[wallet[2] as 'btc'] ?? 0n;
  const account = /^cash\.accounts\.(.+)$/.exec(figure);
  if (account !== null) return position.cash.accounts.get(account[1]!) ?? 0n;
  if (figure === 'price.usdPerBtc') return position.price?.usdPerBtc ?? null;
  const parts = figure.split('.');
  if (parts.length !== 2) return undefined;
  const [group, name] = parts as [string, string];
  // Own properties only (no `constructor.name`), and a section may itself be null: `price` is when
  // there is no price yet, and reading `price.effectiveAt` through it used to throw (a 500).
  const section: unknown = Object.hasOwn(position, group) ? (position as unknown as Record<string, unknown>)[group] : undefined;
  if (section === null || typeof section !== 'object' || section instanceof Map || !Object.hasOwn(section, name)) return undefined;
  const value = (section as Record<string, unknown>)[name];
  return typeof value === 'bigint' || value === null ? value : undefined;
};

/**
 * Explaining a figure of a long book is real work (every event for a sum, every open lot for the cost
 * basis), so it is written as a generator that yields after each small step: a caller that must not
 * hold the event loop (the API) resumes it in time-boxed slices, one that may (a test) runs it to the
 * end with `runSteps`. Steps read the projection at `version` only, which later events appended
 * between two slices do not change (that is what every `knownAt` query relies on).
 */
export type Steps<R> = Generator<void, R, void>;

/** How many revisions, lots or lines one step covers: a step costs well under a millisecond. */
const REVISIONS_PER_STEP = 2_000;
const ITEMS_PER_STEP = 200;

/** Runs a generator of steps to the end, in one go. */
export const runSteps = <R>(steps: Steps<R>): R => {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
};

/** Collects an iterable, yielding every `per` items. */
function* collect<A, B>(items: Iterable<A>, map: (item: A) => B, per = ITEMS_PER_STEP): Steps<B[]> {
  const out: B[] = [];
  for (const item of items) {
    out.push(map(item));
    if (out.length % per === 0) yield;
  }
  return out;
}

/**
 * Why a figure of the position at (asOf, version) is what it is: the events that sum to it, the observation
 * that set it, or the formula and the figures it is computed from. Left: the figure is unknown.
 */
export function* explainFigureSteps(
  projection: BookProjection,
  figure: string,
  asOf: number,
  version: number,
): Steps<E.Either<string, Explanation>> {
  const position = positionFrom(projection.raw(asOf, version));
  const value = figureValue(position, figure);
  if (value === undefined) return E.left(`"${figure}" is not a figure of this position`);
  yield;

  for (const sum of balanceSums) {
    const match = sum.match.exec(figure);
    if (match === null) continue;
    const weight = sum.weight(match[1] ?? '');
    const weightOf = (key: string) => {
      const { kind, parts } = parseBalanceKey(key);
      return weight(kind, parts);
    };
    const contributions: EventContribution[] = [];
    for (let from = 0; from < version; from += REVISIONS_PER_STEP) {
      contributions.push(...projection.contributionsIn(weightOf, asOf, version, from, from + REVISIONS_PER_STEP));
      yield;
    }
    // Loans drawn with a dayCount: accrual from the terms and projected liquidation splits.
    contributions.push(...termLoanContributions(projection, weightOf, asOf, version));
    yield;
    // Mostly in effective order already (late events are few), which the sort is quick on.
    contributions.sort((a, b) => a.effectiveAt - b.effectiveAt || a.revision - b.revision);
    return E.right({ kind: 'sum', unit: sum.unit, value: value ?? 0n, contributions });
  }
  if (figure === 'costBasis.totalUsd') {
    const contributions = yield* collect(projection.openLots(asOf, version), (slice): ContributionLine => ({
      ...projection.eventAt(slice.lot.revision, slice.costUsd),
      detail: { btc: slice.btc, lotBtc: slice.lot.btc, lotCostUsd: slice.lot.costUsd },
    }));
    return E.right({ kind: 'sum', unit: 'USD', value: value ?? 0n, contributions });
  }
  if (figure === 'costBasis.realizedGainUsd') {
    // Each disposal walks the lots it relieved: a step per disposal.
    const contributions = yield* collect(
      projection.disposals(Number.MIN_SAFE_INTEGER, asOf, version),
      ({ disposal, relievedCostUsd }): ContributionLine => ({
        ...projection.eventAt(disposal.revision, disposal.proceedsUsd - relievedCostUsd),
        detail: { btc: disposal.btc, proceedsUsd: disposal.proceedsUsd, relievedCostUsd },
      }),
      1,
    );
    return E.right({ kind: 'sum', unit: 'USD', value: value ?? 0n, contributions });
  }
  if (figure === 'price.usdPerBtc') {
    const price = projection.priceAt(asOf, version);
    return E.right({
      kind: 'observation',
      unit: 'USD',
      value,
      source: price === undefined ? null : projection.eventAt(price.revision, price.usdPerBtc),
    });
  }
  for (const { match: pattern, figure: f } of derivedFigures) {
    const match = pattern.exec(figure);
    if (match === null) continue;
    const inputs = f.inputs(match[1] ?? '').map(([input, unit]) => ({ figure: input, unit, value: figureValue(position, input) ?? null }));
    return E.right({ kind: 'formula', unit: f.unit, value, formula: f.formula, inputs });
  }
  // What is left are a loan's terms: set by its drawdown.
  const term = /^loans\.(.+)\.(?:marginCallLtv|liquidationLtv)$/.exec(figure);
  const drawdown = term === null ? undefined : projection.drawdownOf(term[1]!);
  if (drawdown !== undefined)
    return E.right({ kind: 'observation', unit: 'ratio', value, source: projection.eventAt(drawdown, value ?? 0n) });
  return E.left(`"${figure}" cannot be explained`);
}

/** `explainFigureSteps` in one go. */
export const explainFigure = (projection: BookProjection, figure: string, asOf: number, version: number): E.Either<string, Explanation> =>
  runSteps(explainFigureSteps(projection, figure, asOf, version));

/** A contribution on a page of a sum, with the total up to and including it. */
export type PagedContribution = ContributionLine & { readonly runningTotal: bigint };

/** One page of an explanation: a sum's contributions `limit` at a time after the first `offset`. */
export type ExplanationPage =
  | {
      readonly kind: 'sum';
      readonly unit: FigureUnit;
      readonly value: bigint;
      readonly count: number;
      readonly contributions: ReadonlyArray<PagedContribution>;
      readonly next: number | null;
    }
  | Exclude<Explanation, { readonly kind: 'sum' }>;

/**
 * The page of an explanation an answer shows. The running total always counts from the first
 * contribution, so the last one's equals the figure; summing a long prefix yields now and then.
 */
export function* explanationPageSteps(explanation: Explanation, offset: number, limit: number): Steps<ExplanationPage> {
  if (explanation.kind !== 'sum') return explanation;
  let running = 0n;
  for (let i = 0; i < offset && i < explanation.contributions.length; i++) {
    running += explanation.contributions[i]!.amount;
    if (i % (REVISIONS_PER_STEP * 10) === 0) yield;
  }
  const contributions = explanation.contributions
    .slice(offset, offset + limit)
    .map((c): PagedContribution => ({ ...c, runningTotal: (running += c.amount) }));
  const next = offset + limit < explanation.contributions.length ? offset + limit : null;
  return { kind: 'sum', unit: explanation.unit, value: explanation.value, count: explanation.contributions.length, contributions, next };
}
