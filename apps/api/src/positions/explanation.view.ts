import { formatBtc, formatInstant, formatRatio, formatUsd } from '@treasury/domain';
import { ExplanationFound, runInSlices } from '@treasury/application';
import type { ContributionLine, FigureUnit } from '@treasury/projections';

/** Contributions formatted per step: a page may hold 10,000, and the loop is handed back between slices. */
const LINES_PER_STEP = 200;

const formatIn =
  (unit: FigureUnit) =>
  (value: bigint): string =>
    unit === 'BTC' ? formatBtc(value) : unit === 'USD' ? formatUsd(value) : formatRatio(value);

const contributionView = (unit: FigureUnit, c: ContributionLine & { readonly runningTotal?: bigint }) => ({
  eventId: c.eventId,
  revision: c.revision,
  type: c.type,
  effectiveAt: formatInstant(c.effectiveAt),
  recordedAt: formatInstant(c.recordedAt),
  amount: formatIn(unit)(c.amount),
  ...(c.runningTotal === undefined ? {} : { runningTotal: formatIn(unit)(c.runningTotal) }),
  ...(c.formula === undefined ? {} : { formula: c.formula }),
  ...(c.detail === undefined
    ? {}
    : {
        detail: Object.fromEntries(
          Object.entries(c.detail).map(([name, amount]) => [name, /btc/i.test(name) ? formatBtc(amount) : formatUsd(amount)]),
        ),
      }),
});

/** The JSON view of one page of an explanation: every amount in the figure's unit. */
export function* explanationViewSteps({ bookId, asOf, knownAt, revision, figure, page }: ExplanationFound) {
  const format = formatIn(page.unit);
  const base = {
    bookId,
    asOf: formatInstant(asOf),
    knownAt,
    revision,
    figure,
    unit: page.unit,
    kind: page.kind,
    value: page.value === null ? null : format(page.value),
  };
  switch (page.kind) {
    case 'sum': {
      const contributions: Array<ReturnType<typeof contributionView>> = [];
      for (const c of page.contributions) {
        contributions.push(contributionView(page.unit, c));
        if (contributions.length % LINES_PER_STEP === 0) yield;
      }
      // kind again, narrowed: the answer is a union discriminated by kind (the OpenAPI Explanation schema).
      return { ...base, kind: page.kind, count: page.count, contributions, next: page.next };
    }
    case 'observation':
      return { ...base, kind: page.kind, source: page.source === null ? null : contributionView(page.unit, page.source) };
    case 'formula':
      return {
        ...base,
        kind: page.kind,
        formula: page.formula,
        inputs: page.inputs.map((i) => ({ figure: i.figure, unit: i.unit, value: i.value === null ? null : formatIn(i.unit)(i.value) })),
      };
  }
}

/** GET /position/explain's answer, formatted in event-loop slices. */
export const explainAnswer = (found: ExplanationFound) => runInSlices(explanationViewSteps(found));
export type ExplainView = Awaited<ReturnType<typeof explainAnswer>>;
