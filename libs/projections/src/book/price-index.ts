import { upperBound } from '@treasury/domain/search/upper-bound';
import { BookColumns, liveAt } from './book-columns';
import type { PriceRecord } from './book-projection.records';

/** Files a price observation: in effective order it is appended, a back-dated one joins the late list sorted. */
export const addPrice = (c: BookColumns, price: PriceRecord): void => {
  const last = c.prices[c.prices.length - 1];
  if (last === undefined || price.effectiveAt >= last.effectiveAt) {
    c.prices.push(price);
    return;
  }
  // A back-dated price: kept sorted by key among the (few) late ones.
  let index = c.latePrices.length;
  while (index > 0 && c.latePrices[index - 1]!.effectiveAt > price.effectiveAt) index -= 1;
  c.latePrices.splice(index, 0, price);
};

/** The last price observation with effectiveAt <= asOf known (and not reversed) at version. */
export const priceAt = (c: BookColumns, asOf: number, version: number): PriceRecord | undefined => {
  const pick = (list: PriceRecord[]): PriceRecord | undefined => {
    for (let i = upperBound(list.length, (j) => list[j]!.effectiveAt <= asOf) - 1; i >= 0; i--)
      if (liveAt(c, list[i]!.revision, version)) return list[i];
    return undefined;
  };
  const a = pick(c.prices);
  const b = pick(c.latePrices);
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.effectiveAt > a.effectiveAt || (b.effectiveAt === a.effectiveAt && b.revision > a.revision) ? b : a;
};
