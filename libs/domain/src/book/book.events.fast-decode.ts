import * as t from 'io-ts';
import { BTC_SCALE, RATIO_SCALE, USD_SCALE } from '../money/decimal';
import {
  StoredNonNegativeBtc,
  StoredNonNegativeRatio,
  StoredNonNegativeUsd,
  StoredNonZeroSignedUsd,
  StoredPositiveBtc,
  StoredPositiveRatio,
  StoredPositiveUsd,
} from '../codecs/decimal-codecs';
import { Fast, NOT_SURE, compileFast, fastDecimal, fastInstant } from '../codecs/fast-decode';
import { StoredInstant } from '../codecs/instant';
import { BookEvent, BookEventCodec, bookEventCodecs, isBookEventType } from './book.events';
import { EventMetadata } from './event-metadata';

const positive = (units: bigint) => units > 0n;
const nonNegative = (units: bigint) => units >= 0n;
const nonZero = (units: bigint) => units !== 0n;

/** The leaves every event is made of, read without io-ts; each must agree with its codec (the property test checks it). */
const leaves = new Map<t.Mixed, Fast<unknown>>([
  [StoredInstant, fastInstant],
  [StoredPositiveBtc, fastDecimal(BTC_SCALE, positive)],
  [StoredNonNegativeBtc, fastDecimal(BTC_SCALE, nonNegative)],
  [StoredPositiveUsd, fastDecimal(USD_SCALE, positive)],
  [StoredNonNegativeUsd, fastDecimal(USD_SCALE, nonNegative)],
  [StoredNonZeroSignedUsd, fastDecimal(USD_SCALE, nonZero)],
  [StoredPositiveRatio, fastDecimal(RATIO_SCALE, positive)],
  [StoredNonNegativeRatio, fastDecimal(RATIO_SCALE, nonNegative)],
]);

const byType = new Map<string, Fast<BookEvent>>(
  Object.entries(bookEventCodecs).map(([type, codec]) => [
    type,
    compileFast(codec as unknown as t.Type<BookEvent, unknown, unknown>, leaves),
  ]),
);
const metadataFast = compileFast(EventMetadata as t.Type<EventMetadata, unknown, unknown>, leaves);

/** The fast path alone (NOT_SURE where io-ts must decide); exported for the property test. */
export const fastBookEvent: Fast<BookEvent> = (u) => {
  const type = typeof u === 'object' && u !== null ? (u as { type?: unknown }).type : undefined;
  return isBookEventType(type) ? byType.get(type)!(u) : NOT_SURE;
};
export const fastEventMetadata: Fast<EventMetadata> = metadataFast;

/**
 * A stored event's data, decoded for replay: the compiled fast path, and io-ts (BookEventCodec) for
 * whatever the fast path is not sure of, so what io-ts rejects is still rejected with its errors.
 */
export const decodeBookEventForReplay = (u: unknown): t.Validation<BookEvent> => {
  const fast = fastBookEvent(u);
  return fast === NOT_SURE ? BookEventCodec.decode(u) : t.success(fast);
};

/** A stored event's metadata, decoded for replay the same way (EventMetadata decides what the fast path is not sure of). */
export const decodeEventMetadataForReplay = (u: unknown): t.Validation<EventMetadata> => {
  const fast = metadataFast(u);
  return fast === NOT_SURE ? EventMetadata.decode(u) : t.success(fast);
};
