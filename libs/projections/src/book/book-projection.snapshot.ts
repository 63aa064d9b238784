import { UTC } from '@treasury/domain';
import { BitemporalSums } from '../bitemporal/bitemporal-sums';
import { IntegerColumn } from '../bitemporal/integer-column';
import { TermLoans } from '../loans/term-loans';
import { BookColumns, emptyColumns } from './book-columns';
import type { BookProjectionSnapshot } from './book-projection.records';
import { eventTypeCode, eventTypeOfCode } from './event-type-codes';
import { SettingHistory } from './setting-history';

/**
 * The snapshot format of one book: its columns as typed arrays and small lists. Event types are
 * stored as their fixed codes (event-type-codes.ts); a code no type has throws, which makes the whole
 * projection snapshot unusable and the projector rebuilds from the log.
 */

export const toSnapshot = (c: BookColumns): BookProjectionSnapshot => ({
  metricNames: [...c.metricNames],
  touchIds: c.touchIds.flatMap((touch, metric) => (touch === undefined ? [] : [[metric, touch] as const])),
  recordedAt: Float64Array.from(c.recordedAt),
  effectiveAt: Float64Array.from(c.effectiveAt),
  reversedAt: Float64Array.from(c.reversedAt),
  eventIds: [...c.eventIds],
  typeCodes: Uint8Array.from(c.types, eventTypeCode),
  deltaStart: Int32Array.from(c.deltaStart),
  deltaMetric: Int32Array.from(c.deltaMetric),
  deltaValue: c.deltaValue.toArray(),
  fifoKind: Uint8Array.from(c.fifoKind),
  fifoBtc: c.fifoBtc.toArray(),
  fifoCost: c.fifoCost.toArray(),
  fifoProceeds: c.fifoProceeds.toArray(),
  prices: [...c.prices],
  latePrices: [...c.latePrices],
  loans: [...c.loans],
  reports: [...c.reports],
  tolerances: [...c.tolerances],
  timeZone: c.timeZone,
  priceMaxAges: c.priceMaxAges.toSnapshot(),
  accountMappings: c.accountMappings.toSnapshot(),
  lotTimes: [...c.lotTimes],
  sums: c.sums.toSnapshot(),
  termLoans: c.termLoans.toSnapshot(),
});

export const fromSnapshot = (snapshot: BookProjectionSnapshot): BookColumns => {
  const c = emptyColumns();
  for (const name of snapshot.metricNames) {
    c.metricIds.set(name, c.metricNames.length);
    c.metricNames.push(name);
  }
  for (const [metric, touch] of snapshot.touchIds) c.touchIds[metric] = touch;
  c.recordedAt = Array.from(snapshot.recordedAt);
  c.effectiveAt = Array.from(snapshot.effectiveAt);
  c.reversedAt = Array.from(snapshot.reversedAt);
  c.eventIds = [...snapshot.eventIds];
  c.eventIds.forEach((eventId, revision) => c.revisionOf.set(eventId, revision));
  c.types = Array.from(snapshot.typeCodes, eventTypeOfCode);
  c.deltaStart = Array.from(snapshot.deltaStart);
  c.deltaMetric = Array.from(snapshot.deltaMetric);
  c.deltaValue = IntegerColumn.of(snapshot.deltaValue);
  c.fifoKind = Array.from(snapshot.fifoKind);
  c.fifoBtc = IntegerColumn.of(snapshot.fifoBtc);
  c.fifoCost = IntegerColumn.of(snapshot.fifoCost);
  c.fifoProceeds = IntegerColumn.of(snapshot.fifoProceeds);
  c.prices = [...snapshot.prices];
  c.latePrices = [...snapshot.latePrices];
  for (const [loanId, loan] of snapshot.loans) c.loans.set(loanId, loan);
  c.reports = [...snapshot.reports];
  c.tolerances = [...snapshot.tolerances];
  c.timeZone = snapshot.timeZone ?? UTC;
  c.priceMaxAges = new SettingHistory([...(snapshot.priceMaxAges ?? [])]);
  c.accountMappings = new SettingHistory([...(snapshot.accountMappings ?? [])]);
  c.lotTimes = new Map(snapshot.lotTimes ?? []);
  c.sums = BitemporalSums.fromSnapshot(snapshot.sums);
  c.termLoans = TermLoans.fromSnapshot(snapshot.termLoans);
  return c;
};
