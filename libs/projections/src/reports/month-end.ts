import { UTC, localTimeAt, startOfMonth } from '@treasury/domain';
import type { BookProjection } from '../book/book-projection';
import { positionFrom } from '../book/position';
import { LotBook, fifoLotBook } from '../lots/lot-method';
import { UsdRollforward, usdBoundary, usdRollforwardBetween } from './usd-rollforward';

/** A calendar month, as "YYYY-MM": in the book's time zone (UTC unless it was opened with one). */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const MAX_REPORT_MONTHS = 1_200;

export const parseMonth = (text: string): { year: number; month: number } | undefined => {
  const match = MONTH.exec(text);
  return match === null ? undefined : { year: Number(match[1]), month: Number(match[2]) };
};

export interface YearMonth {
  readonly year: number;
  readonly month: number;
}
export interface ReportMonth {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/** How many months `from` to `to` inclusive name (0 or less when `to` is before `from`). */
export const monthCount = (from: YearMonth, to: YearMonth): number => to.year * 12 + to.month - (from.year * 12 + from.month) + 1;

/**
 * The months from `from` to `to` inclusive with their first and last millisecond in the zone (local
 * midnight to the millisecond before the next local midnight); undefined when too many.
 */
export const monthsBetween = (from: YearMonth, to: YearMonth, timeZone: string = UTC) => {
  const months: ReportMonth[] = [];
  for (let index = from.year * 12 + from.month - 1; index <= to.year * 12 + to.month - 1; index++) {
    if (months.length === MAX_REPORT_MONTHS) return undefined;
    const year = Math.floor(index / 12);
    const month = index % 12;
    months.push({
      label: `${year}-${String(month + 1).padStart(2, '0')}`,
      start: startOfMonth(timeZone, year, month + 1),
      end: startOfMonth(timeZone, year, month + 2) - 1,
    });
  }
  return months;
};

/**
 * The months of a report on a book's calendar. A book has no months before the one it opened in: the
 * report starts there, whatever `from` asks (`firstMonth` says where it started); a range that ends
 * before the book opened has no months at all (undefined). Events an old log holds effective before the
 * opening are not lost: they are in the first month's opening balance.
 */
export const reportMonths = (from: YearMonth, to: YearMonth, calendar: { readonly timeZone: string; readonly openedAt: number }) => {
  const opened = localTimeAt(calendar.timeZone, calendar.openedAt);
  const openingMonth = { year: opened.year, month: opened.month };
  const start = monthCount(openingMonth, from) > 0 ? from : openingMonth;
  if (monthCount(start, to) <= 0) return undefined;
  return { firstMonth: start, months: monthsBetween(start, to, calendar.timeZone) };
};

/**
 * One month of the month-end report (values: the API's view, apps/api/src/reports/month-end.view.ts,
 * formats them). BTC in sats, USD in cents, ratios in micros; null where there is no price.
 */
export interface MonthEndRow {
  readonly month: string;
  /** The month's last millisecond in the book's zone. */
  readonly asOf: number;
  readonly openingBtc: bigint;
  readonly openingBalancesBtc: bigint;
  readonly minedBtc: bigint;
  readonly purchasedBtc: bigint;
  readonly soldBtc: bigint;
  readonly paidBtc: bigint;
  readonly liquidatedBtc: bigint;
  readonly transferredOutBtc: bigint;
  readonly transferredInBtc: bigint;
  readonly closingBtc: bigint;
  readonly rollforwardCheckBtc: bigint;
  readonly pledgedBtc: bigint;
  readonly usdPerBtc: bigint | null;
  readonly cashUsd: bigint;
  readonly totalDebtUsd: bigint;
  readonly debtToAssets: bigint | null;
  readonly availableLiquidityUsd: bigint | null;
  readonly usd: UsdRollforward;
}

/**
 * One row per month, as known at version: the BTC roll-forward (opening + opening balances + mined +
 * purchased − sold − paid in BTC − liquidated − transferred out + transferred in = closing, where out − in
 * is the network fees; opening balances are lots the company held before the book, never mined) and the month-end
 * position. `rollforwardCheckBtc` is closing minus the roll-forward: zero unless the ledger is broken.
 * `usd`: the USD roll-forward beside it under the lot method (usd-rollforward.ts).
 */
export const monthEndReport = (
  projection: BookProjection,
  months: ReadonlyArray<{ label: string; start: number; end: number }>,
  version: number,
  lots: LotBook = fifoLotBook(projection, version),
): MonthEndRow[] => {
  // Each month opens where the previous one closed (the months are consecutive): one position per boundary.
  let opening = months[0] === undefined ? undefined : positionFrom(projection.raw(months[0].start - 1, version));
  const boundaryOf = (position: NonNullable<typeof opening>) =>
    usdBoundary(projection, lots, version, position.asOf, position.holdings.btc, position.price === null ? null : position.price.usdPerBtc);
  let openingUsd = opening === undefined ? undefined : boundaryOf(opening);
  return months.map(({ label, start, end }) => {
    const closing = positionFrom(projection.raw(end, version));
    const openingBtc = opening!.holdings.btc;
    opening = closing;
    const closingUsd = boundaryOf(closing);
    const usd = usdRollforwardBetween(projection, version, openingUsd!, closingUsd);
    openingUsd = closingUsd;
    const flow = (kind: Parameters<BookProjection['flow']>[0]) => projection.flow(kind, start - 1, end, version);
    const mined = flow('mined');
    const openingBalances = flow('opening');
    const purchased = flow('purchased');
    const paid = flow('paid');
    const sold = flow('sold');
    const liquidated = flow('liquidated');
    const out = flow('transferredOut');
    const inflow = flow('transferredIn');
    const check = closing.holdings.btc - (openingBtc + openingBalances + mined + purchased - sold - paid - liquidated - out + inflow);
    return {
      month: label,
      asOf: end,
      openingBtc,
      openingBalancesBtc: openingBalances,
      minedBtc: mined,
      purchasedBtc: purchased,
      soldBtc: sold,
      paidBtc: paid,
      liquidatedBtc: liquidated,
      transferredOutBtc: out,
      transferredInBtc: inflow,
      closingBtc: closing.holdings.btc,
      rollforwardCheckBtc: check,
      pledgedBtc: closing.holdings.pledgedBtc,
      usdPerBtc: closing.price === null ? null : closing.price.usdPerBtc,
      cashUsd: closing.cash.totalUsd,
      totalDebtUsd: closing.leverage.totalDebtUsd,
      debtToAssets: closing.leverage.debtToAssets,
      availableLiquidityUsd: closing.liquidity.availableLiquidityUsd,
      usd,
    };
  });
};
