import * as E from 'fp-ts/Either';
import { BalanceKind, formatBtc, formatInstant, formatRatio, formatUsd, parseBalanceKey } from '@treasury/domain';
import type { BookProjection, EventContribution } from '../book/book-projection';
import { Position, positionFrom } from '../book/position';

export type FigureUnit = 'BTC' | 'USD' | 'ratio';

/** An event's part in a figure, with what else an auditor needs to check it (lot, proceeds...). */
export interface ContributionLine extends EventContribution {
  readonly detail?: Readonly<Record<string, bigint>>;
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
    weight: (wallet) => (kind, parts) => ((kind === 'unencumbered-btc' && parts[0] === wallet) || (kind === 'pledged-btc' && parts[1] === wallet) ? 1n : 0n),
  },
  { match: /^holdings\.wallets\.(.+)\.pledgedBtc$/, unit: 'BTC', weight: (wallet) => (kind, parts) => (kind === 'pledged-btc' && parts[1] === wallet ? 1n : 0n) },
  { match: /^(?:cash\.totalUsd|liquidity\.cashUsd)$/, unit: 'USD', weight: () => (kind) => (kind === 'cash' ? 1n : 0n) },
  { match: /^cash\.accounts\.(.+)$/, unit: 'USD', weight: (account) => (kind, parts) => (kind === 'cash' && parts[0] === account ? 1n : 0n) },
  { match: /^loans\.(.+)\.principalUsd$/, unit: 'USD', weight: (loan) => (kind, parts) => (kind === 'principal' && parts[0] === loan ? 1n : 0n) },
  { match: /^loans\.(.+)\.accruedInterestUsd$/, unit: 'USD', weight: (loan) => (kind, parts) => (kind === 'interest' && parts[0] === loan ? 1n : 0n) },
  { match: /^loans\.(.+)\.outstandingUsd$/, unit: 'USD', weight: (loan) => (kind, parts) => ((kind === 'principal' || kind === 'interest') && parts[0] === loan ? 1n : 0n) },
  { match: /^loans\.(.+)\.pledgedBtc$/, unit: 'BTC', weight: (loan) => (kind, parts) => (kind === 'pledged-btc' && parts[0] === loan ? 1n : 0n) },
  { match: /^leverage\.totalDebtUsd$/, unit: 'USD', weight: () => (kind) => (kind === 'principal' || kind === 'interest' ? 1n : 0n) },
  // Net debt: debt up, cash down.
  { match: /^leverage\.netDebtUsd$/, unit: 'USD', weight: () => (kind) => (kind === 'principal' || kind === 'interest' ? 1n : kind === 'cash' ? -1n : 0n) },
];

const formulas: ReadonlyArray<{ readonly match: RegExp; readonly unit: FigureUnit; readonly formula: string; readonly inputs: (id: string) => ReadonlyArray<readonly [string, FigureUnit]> }> = [
  { match: /^costBasis\.unrealizedGainUsd$/, unit: 'USD', formula: 'holdings.btc × price.usdPerBtc − costBasis.totalUsd', inputs: () => [['holdings.btc', 'BTC'], ['price.usdPerBtc', 'USD'], ['costBasis.totalUsd', 'USD']] },
  { match: /^leverage\.totalAssetsUsd$/, unit: 'USD', formula: 'cash.totalUsd + holdings.btc × price.usdPerBtc', inputs: () => [['cash.totalUsd', 'USD'], ['holdings.btc', 'BTC'], ['price.usdPerBtc', 'USD']] },
  { match: /^leverage\.debtToAssets$/, unit: 'ratio', formula: 'leverage.totalDebtUsd / leverage.totalAssetsUsd', inputs: () => [['leverage.totalDebtUsd', 'USD'], ['leverage.totalAssetsUsd', 'USD']] },
  { match: /^leverage\.aggregateLtv$/, unit: 'ratio', formula: 'leverage.totalDebtUsd / (holdings.pledgedBtc × price.usdPerBtc)', inputs: () => [['leverage.totalDebtUsd', 'USD'], ['holdings.pledgedBtc', 'BTC'], ['price.usdPerBtc', 'USD']] },
  { match: /^liquidity\.unencumberedBtcValueUsd$/, unit: 'USD', formula: 'holdings.unencumberedBtc × price.usdPerBtc', inputs: () => [['holdings.unencumberedBtc', 'BTC'], ['price.usdPerBtc', 'USD']] },
  { match: /^liquidity\.availableLiquidityUsd$/, unit: 'USD', formula: 'liquidity.cashUsd + liquidity.unencumberedBtcValueUsd', inputs: () => [['liquidity.cashUsd', 'USD'], ['liquidity.unencumberedBtcValueUsd', 'USD']] },
  { match: /^loans\.(.+)\.ltv$/, unit: 'ratio', formula: 'loans.<id>.outstandingUsd / (loans.<id>.pledgedBtc × price.usdPerBtc)', inputs: (id) => [[`loans.${id}.outstandingUsd`, 'USD'], [`loans.${id}.pledgedBtc`, 'BTC'], ['price.usdPerBtc', 'USD']] },
  { match: /^loans\.(.+)\.marginCallPriceUsd$/, unit: 'USD', formula: 'loans.<id>.outstandingUsd / (loans.<id>.marginCallLtv × loans.<id>.pledgedBtc)', inputs: (id) => [[`loans.${id}.outstandingUsd`, 'USD'], [`loans.${id}.marginCallLtv`, 'ratio'], [`loans.${id}.pledgedBtc`, 'BTC']] },
  { match: /^loans\.(.+)\.liquidationPriceUsd$/, unit: 'USD', formula: 'loans.<id>.outstandingUsd / (loans.<id>.liquidationLtv × loans.<id>.pledgedBtc)', inputs: (id) => [[`loans.${id}.outstandingUsd`, 'USD'], [`loans.${id}.liquidationLtv`, 'ratio'], [`loans.${id}.pledgedBtc`, 'BTC']] },
];

/** Reads a figure of a position by its path; undefined when the position has no such figure. */
export const figureValue = (position: Position, figure: string): bigint | null | undefined => {
  const loan = /^loans\.(.+)\.(principalUsd|accruedInterestUsd|outstandingUsd|pledgedBtc|ltv|marginCallLtv|liquidationLtv|marginCallPriceUsd|liquidationPriceUsd)$/.exec(figure);
  if (loan !== null) {
    const found = position.loans.get(loan[1]!);
    return found === undefined ? undefined : found[loan[2] as 'principalUsd'];
  }
  const wallet = /^holdings\.wallets\.(.+)\.(btc|pledgedBtc)$/.exec(figure);
  if (wallet !== null) return position.holdings.wallets.get(wallet[1]!)?.[wallet[2] as 'btc'] ?? 0n;
  const account = /^cash\.accounts\.(.+)$/.exec(figure);
  if (account !== null) return position.cash.accounts.get(account[1]!) ?? 0n;
  if (figure === 'price.usdPerBtc') return position.price?.usdPerBtc ?? null;
  const [group, name] = figure.split('.');
  const section = (position as unknown as Record<string, Record<string, unknown>>)[group ?? ''];
  const value = section === undefined || name === undefined || figure.split('.').length !== 2 ? undefined : section[name];
  return typeof value === 'bigint' || value === null ? value : undefined;
};

/**
 * Why a figure of the position at (asOf, v) is what it is: the events that sum to it, the observation
 * that set it, or the formula and the figures it is computed from. Left: the figure is unknown.
 */
export const explainFigure = (projection: BookProjection, figure: string, asOf: number, v: number): E.Either<string, Explanation> => {
  const position = positionFrom(projection.raw(asOf, v));
  const value = figureValue(position, figure);
  if (value === undefined) return E.left(`"${figure}" is not a figure of this position`);

  for (const sum of balanceSums) {
    const match = sum.match.exec(figure);
    if (match === null) continue;
    const weight = sum.weight(match[1] ?? '');
    const contributions = projection.contributions((key) => {
      const { kind, parts } = parseBalanceKey(key);
      return weight(kind, parts);
    }, asOf, v);
    return E.right({ kind: 'sum', unit: sum.unit, value: value ?? 0n, contributions });
  }
  if (figure === 'costBasis.totalUsd') {
    const contributions = [...projection.openLots(asOf, v)].map((slice): ContributionLine => ({
      ...projection.eventAt(slice.lot.revision, slice.costUsd),
      detail: { btc: slice.btc, lotBtc: slice.lot.btc, lotCostUsd: slice.lot.costUsd },
    }));
    return E.right({ kind: 'sum', unit: 'USD', value: value ?? 0n, contributions });
  }
  if (figure === 'costBasis.realizedGainUsd') {
    const contributions = [...projection.disposals(Number.MIN_SAFE_INTEGER, asOf, v)].map(({ disposal, relievedCostUsd }): ContributionLine => ({
      ...projection.eventAt(disposal.revision, disposal.proceedsUsd - relievedCostUsd),
      detail: { btc: disposal.btc, proceedsUsd: disposal.proceedsUsd, relievedCostUsd },
    }));
    return E.right({ kind: 'sum', unit: 'USD', value: value ?? 0n, contributions });
  }
  if (figure === 'price.usdPerBtc') {
    const price = projection.priceAt(asOf, v);
    return E.right({ kind: 'observation', unit: 'USD', value, source: price === undefined ? null : projection.eventAt(price.revision, price.usdPerBtc) });
  }
  for (const f of formulas) {
    const match = f.match.exec(figure);
    if (match === null) continue;
    const inputs = f.inputs(match[1] ?? '').map(([input, unit]) => ({ figure: input, unit, value: figureValue(position, input) ?? null }));
    return E.right({ kind: 'formula', unit: f.unit, value, formula: f.formula, inputs });
  }
  // What is left are a loan's terms: set by its drawdown.
  const term = /^loans\.(.+)\.(?:marginCallLtv|liquidationLtv)$/.exec(figure);
  const drawdown = term === null ? undefined : projection.drawdownOf(term[1]!);
  if (drawdown !== undefined) return E.right({ kind: 'observation', unit: 'ratio', value, source: projection.eventAt(drawdown, value ?? 0n) });
  return E.left(`"${figure}" cannot be explained`);
};

const formatIn = (unit: FigureUnit) => (value: bigint): string => (unit === 'BTC' ? formatBtc(value) : unit === 'USD' ? formatUsd(value) : formatRatio(value));

const contributionView = (unit: FigureUnit, c: ContributionLine, runningTotal: bigint | undefined) => ({
  eventId: c.eventId,
  revision: c.revision,
  type: c.type,
  effectiveAt: formatInstant(c.effectiveAt),
  recordedAt: formatInstant(c.recordedAt),
  amount: formatIn(unit)(c.amount),
  ...(runningTotal === undefined ? {} : { runningTotal: formatIn(unit)(runningTotal) }),
  ...(c.detail === undefined
    ? {}
    : { detail: Object.fromEntries(Object.entries(c.detail).map(([name, amount]) => [name, /btc/i.test(name) ? formatBtc(amount) : formatUsd(amount)])) }),
});

/**
 * The JSON view of an explanation. Contributions come `limit` at a time after the first `offset`; the
 * running total always counts from the first contribution, so the last one's equals the figure.
 */
export const explanationView = (figure: string, explanation: Explanation, offset: number, limit: number) => {
  const format = formatIn(explanation.unit);
  const base = { figure, unit: explanation.unit, kind: explanation.kind, value: explanation.value === null ? null : format(explanation.value) };
  switch (explanation.kind) {
    case 'sum': {
      let running = 0n;
      for (let i = 0; i < offset && i < explanation.contributions.length; i++) running += explanation.contributions[i]!.amount;
      const page = explanation.contributions.slice(offset, offset + limit).map((c) => contributionView(explanation.unit, c, (running += c.amount)));
      const next = offset + limit < explanation.contributions.length ? offset + limit : null;
      return { ...base, count: explanation.contributions.length, contributions: page, next };
    }
    case 'observation':
      return { ...base, source: explanation.source === null ? null : contributionView(explanation.unit, explanation.source, undefined) };
    case 'formula':
      return { ...base, formula: explanation.formula, inputs: explanation.inputs.map((i) => ({ figure: i.figure, unit: i.unit, value: i.value === null ? null : formatIn(i.unit)(i.value) })) };
  }
};
