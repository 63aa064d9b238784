import { RecordedBookEvent, balanceEffects } from '@treasury/domain';
import { FifoRecord, NO_FIFO, fifoPlan, openingLotDeltas } from './fifo-plan';
import { loanTerms } from './raw-position';
import { reportRecordOf, toleranceRecordOf } from '../reports/report-records';
import { ApplyPlan, LotPoint } from './book-projection.records';
import { BookColumns } from './book-columns';

/**
 * Planning one event's fold (book-projection.ts's apply): everything that can throw happens here,
 * before anything is committed; only the metric registry (names to ids) grows meanwhile.
 */

/** Balances are listed when something visible touched them, even if they net to zero. */
export const touches = (key: string) => `touch|${key}`;

/** The metric id of the "touched" counter of a metric (a balance is listed once touched, even at zero). */
export const touchIdOf = (c: BookColumns, metric: number): number => {
  let id = c.touchIds[metric];
  if (id === undefined) {
    id = metricId(c, touches(c.metricNames[metric]!));
    c.touchIds[metric] = id;
  }
  return id;
};

/** A metric's id, registering the name on first use. */
export const metricId = (c: BookColumns, name: string): number => {
  let id = c.metricIds.get(name);
  if (id === undefined) {
    id = c.metricNames.length;
    c.metricIds.set(name, id);
    c.metricNames.push(name);
  }
  return id;
};

/** What folding an event changes, computed without changing anything but the metric registry. */
export const planEvent = (c: BookColumns, recorded: RecordedBookEvent): ApplyPlan => {
  const { event, revision } = recorded;
  if (event.type === 'EventReversed') {
    const target = c.revisionOf.get(event.eventId);
    if (target === undefined || c.reversedAt[target] !== Number.POSITIVE_INFINITY) return { fifo: NO_FIFO, deltas: [] };
    // The negative point sits at the target's key, so the two cancel exactly from this revision on.
    const negated: Array<readonly [number, bigint]> = [];
    for (let i = c.deltaStart[target]!; i < c.deltaStart[target + 1]!; i++) negated.push([c.deltaMetric[i]!, -c.deltaValue.get(i)]);
    const termLoan = c.termLoans.plan(event, revision, { target, effectiveAt: c.effectiveAt[target]! });
    const lotTime = c.lotTimes.get(target);
    const lotAt =
      lotTime === undefined ? undefined : lotPoint(c, lotTime, openingLotDeltas(-c.fifoBtc.get(target), -c.fifoCost.get(target)));
    return {
      fifo: NO_FIFO,
      deltas: [],
      reversal: { target, negated, ...(lotAt === undefined ? {} : { lotAt }) },
      ...(termLoan === undefined ? {} : { termLoan }),
    };
  }

  const deltas: Array<readonly [number, bigint]> = [];
  for (const effect of balanceEffects(event)) {
    const id = metricId(c, effect.key);
    deltas.push([id, effect.delta], [touchIdOf(c, id), 1n]);
  }
  const fifoChange = fifoPlan(event);
  for (const [name, delta] of fifoChange.deltas) deltas.push([metricId(c, name), delta]);
  if (event.type === 'LoanDrawn') deltas.push([metricId(c, touches(`loan|${event.loanId}`)), 1n]);
  const fifo: FifoRecord = fifoChange.fifo;
  const lotAt = fifoChange.lotAt === undefined ? undefined : lotPoint(c, fifoChange.lotAt.time, fifoChange.lotAt.deltas);
  const termLoan = c.termLoans.plan(event, revision);
  for (const key of termLoan?.touches ?? []) deltas.push([touchIdOf(c, metricId(c, key)), 1n]);
  const plan: ApplyPlan = { fifo, deltas, ...(termLoan === undefined ? {} : { termLoan }), ...(lotAt === undefined ? {} : { lotAt }) };
  switch (event.type) {
    case 'BtcPriceObserved':
      return { ...plan, price: { effectiveAt: event.effectiveAt, revision, usdPerBtc: event.usdPerBtc } };
    case 'HoldingsReported':
      return { ...plan, report: reportRecordOf(event, revision) };
    case 'ReconciliationToleranceSet':
      return { ...plan, tolerance: toleranceRecordOf(event, revision) };
    case 'PriceStalenessSet':
      return { ...plan, priceMaxAge: { revision, value: event.maxAgeSeconds } };
    case 'AccountMappingSet': {
      const { type: _type, effectiveAt: _at, memo: _memo, ...mapping } = event;
      return { ...plan, accountMapping: { revision, value: mapping } };
    }
    case 'LoanDrawn':
      return { ...plan, loan: [event.loanId, { terms: loanTerms(event), revision }] };
    default:
      return plan;
  }
};

const lotPoint = (c: BookColumns, time: number, deltas: ReadonlyArray<readonly [string, bigint]>): LotPoint => {
  return { time, deltas: deltas.map(([name, delta]) => [metricId(c, name), delta] as const) };
};
