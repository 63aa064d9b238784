import { BookEvent, UTC } from '@treasury/domain';
import { BitemporalSums } from '../bitemporal/bitemporal-sums';
import { IntegerColumn } from '../bitemporal/integer-column';
import { TermLoans } from '../loans/term-loans';
import { BookColumns, emptyColumns } from './book-columns';
import type { BookProjectionSnapshot } from './book-projection.records';
import { eventTypeCode, eventTypeOfCode } from './event-type-codes';
import { RestoredEventIds } from './restored-event-ids';
import { SettingHistory } from './setting-history';

/**
 * The snapshot format of one book: its columns as typed arrays and small lists. Event types are
 * stored as their fixed codes (event-type-codes.ts); a code no type has throws, which makes the whole
 * projection snapshot unusable and the projector rebuilds from the log.
 */

/**
 * Columns of a million values are copied by plain loops and typed-array constructors: Array.from and
 * TypedArray.from go through the iterator protocol and are several times slower (a restart waits on this).
 */
const toNumbers = (values: ArrayLike<number>): number[] => {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) out.push(values[i]!);
  return out;
};

const toTypeCodes = (types: ReadonlyArray<BookEvent['type']>): Uint8Array => {
  const codes = new Uint8Array(types.length);
  for (let i = 0; i < types.length; i++) codes[i] = eventTypeCode(types[i]!);
  return codes;
};

/** Each code is looked up once (eventTypeOfCode throws on a code no type has); a book has a few dozen distinct codes. */
const toTypes = (codes: Uint8Array): Array<BookEvent['type']> => {
  const known: Array<BookEvent['type'] | undefined> = [];
  const types: Array<BookEvent['type']> = [];
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    types.push((known[code] ??= eventTypeOfCode(code)));
  }
  return types;
};

export const toSnapshot = (c: BookColumns): BookProjectionSnapshot => ({
  metricNames: [...c.metricNames],
  touchIds: c.touchIds.flatMap((touch, metric) => (touch === undefined ? [] : [[metric, touch] as const])),
  recordedAt: new Float64Array(c.recordedAt),
  effectiveAt: new Float64Array(c.effectiveAt),
  reversedAt: new Float64Array(c.reversedAt),
  eventIds: c.eventIds.slice(),
  typeCodes: toTypeCodes(c.types),
  deltaStart: new Int32Array(c.deltaStart),
  deltaMetric: new Int32Array(c.deltaMetric),
  deltaValue: c.deltaValue.toArray(),
  fifoKind: new Uint8Array(c.fifoKind),
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
  // The eventId index is hashed from the snapshot's own list (RestoredEventIds), not filled into a Map one id at a time.
  const c: BookColumns = { ...emptyColumns(), revisionOf: new RestoredEventIds(snapshot.eventIds) };
  for (const name of snapshot.metricNames) {
    c.metricIds.set(name, c.metricNames.length);
    c.metricNames.push(name);
  }
  for (const [metric, touch] of snapshot.touchIds) c.touchIds[metric] = touch;
  c.recordedAt = toNumbers(snapshot.recordedAt);
  c.effectiveAt = toNumbers(snapshot.effectiveAt);
  c.reversedAt = toNumbers(snapshot.reversedAt);
  c.eventIds = snapshot.eventIds.slice();
  c.types = toTypes(snapshot.typeCodes);
  c.deltaStart = toNumbers(snapshot.deltaStart);
  c.deltaMetric = toNumbers(snapshot.deltaMetric);
  c.deltaValue = IntegerColumn.of(snapshot.deltaValue);
  c.fifoKind = toNumbers(snapshot.fifoKind);
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
