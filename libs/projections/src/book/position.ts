import { parseBalanceKey } from '@treasury/domain';
import * as derived from '../figures/derived-figures';
import { LoanStatus, Secured, aggregateLtvOf, btcToCure, daysToMaturity, loanStatus, priceDropToMarginCall, usdToCure } from './loan-risk';
import type { RawPosition } from './raw-position';

export type { LoanStatus } from './loan-risk';

export interface LoanPosition {
  readonly lender: string;
  readonly drawnAt: number;
  readonly maturityAt: number | null;
  readonly annualRate: bigint;
  readonly principalUsd: bigint;
  readonly accruedInterestUsd: bigint;
  readonly outstandingUsd: bigint;
  readonly pledgedBtc: bigint;
  readonly pledgedCashUsd: bigint;
  readonly ltv: bigint | null;
  readonly marginCallLtv: bigint;
  readonly liquidationLtv: bigint;
  readonly marginCallPriceUsd: bigint | null;
  readonly liquidationPriceUsd: bigint | null;
  readonly status: LoanStatus;
  /** Whole days to maturity, rounded down (negative once past); null without a maturity. */
  readonly daysToMaturity: number | null;
  /** Micros: how far the price may fall before margin call (see loan-risk.ts). */
  readonly priceDropToMarginCall: bigint | null;
  readonly btcToCureMarginCall: bigint | null;
  readonly usdToCureMarginCall: bigint | null;
}

/** Every figure of a position in minor units (sats, cents, micros); null where a price is needed and missing. */
export interface Position {
  readonly asOf: number;
  readonly version: number;
  readonly holdings: {
    readonly btc: bigint;
    readonly pledgedBtc: bigint;
    readonly unencumberedBtc: bigint;
    readonly wallets: ReadonlyMap<string, { btc: bigint; pledgedBtc: bigint }>;
  };
  readonly price: {
    readonly usdPerBtc: bigint;
    readonly effectiveAt: number;
    /** Whole seconds from the price's effectiveAt to asOf, rounded down. */
    readonly ageSeconds: number;
    readonly maxAgeSeconds: number;
    /** ageSeconds > maxAgeSeconds (the book's setting, one day unless set). */
    readonly stale: boolean;
  } | null;
  readonly costBasis: { readonly totalUsd: bigint; readonly realizedGainUsd: bigint; readonly unrealizedGainUsd: bigint | null };
  /** totalUsd = the accounts (what can be spent) + pledgedUsd (cash pledged to loans: still the company's). */
  readonly cash: { readonly totalUsd: bigint; readonly pledgedUsd: bigint; readonly accounts: ReadonlyMap<string, bigint> };
  readonly loans: ReadonlyMap<string, LoanPosition>;
  readonly leverage: {
    readonly totalDebtUsd: bigint;
    readonly totalAssetsUsd: bigint | null;
    readonly netDebtUsd: bigint;
    readonly debtToAssets: bigint | null;
    /** Debt of the loans that owe something and hold collateral, and that collateral's value. */
    readonly securedDebtUsd: bigint;
    readonly collateralValueUsd: bigint | null;
    readonly aggregateLtv: bigint | null;
  };
  readonly liquidity: {
    readonly cashUsd: bigint;
    readonly unencumberedBtcValueUsd: bigint | null;
    readonly availableLiquidityUsd: bigint | null;
  };
}

const addTo = <K>(map: Map<K, bigint>, key: K, delta: bigint) => map.set(key, (map.get(key) ?? 0n) + delta);

export const positionFrom = (raw: RawPosition): Position => {
  const wallets = new Map<string, { btc: bigint; pledgedBtc: bigint }>();
  const wallet = (name: string) => {
    let found = wallets.get(name);
    if (found === undefined) {
      found = { btc: 0n, pledgedBtc: 0n };
      wallets.set(name, found);
    }
    return found;
  };
  const accounts = new Map<string, bigint>();
  const pledgedByLoan = new Map<string, bigint>();
  const pledgedCashByLoan = new Map<string, bigint>();
  const principal = new Map<string, bigint>();
  const interest = new Map<string, bigint>();
  let unencumbered = 0n;
  let pledged = 0n;
  let pledgedCash = 0n;
  for (const [key, amount] of raw.balances) {
    const { kind, parts } = parseBalanceKey(key);
    if (kind === 'unencumbered-btc') {
      wallet(parts[0]!).btc += amount;
      unencumbered += amount;
    } else if (kind === 'pledged-btc') {
      const w = wallet(parts[1]!);
      w.btc += amount;
      w.pledgedBtc += amount;
      pledged += amount;
      addTo(pledgedByLoan, parts[0]!, amount);
    } else if (kind === 'cash') accounts.set(parts[0]!, amount);
    else if (kind === 'pledged-cash') {
      pledgedCash += amount;
      addTo(pledgedCashByLoan, parts[0]!, amount);
    } else if (kind === 'principal') addTo(principal, parts[0]!, amount);
    else if (kind === 'interest') addTo(interest, parts[0]!, amount);
  }
  const price = raw.price;
  const usdPerBtc = price === null ? null : price.usdPerBtc;
  const cashAvailable = [...accounts.values()].reduce((a, b) => a + b, 0n);
  const cashTotal = cashAvailable + pledgedCash;
  const holdingsBtc = unencumbered + pledged;

  const loans = new Map<string, LoanPosition>();
  let totalDebt = 0n;
  const secured: Secured[] = [];
  for (const terms of raw.loans) {
    const principalUsd = principal.get(terms.loanId) ?? 0n;
    const accruedInterestUsd = interest.get(terms.loanId) ?? 0n;
    const outstandingUsd = principalUsd + accruedInterestUsd;
    const pledgedBtc = pledgedByLoan.get(terms.loanId) ?? 0n;
    const pledgedCashUsd = pledgedCashByLoan.get(terms.loanId) ?? 0n;
    // A loan repaid and released is closed: it leaves the position (its history stays in the log).
    if (outstandingUsd === 0n && pledgedBtc === 0n && pledgedCashUsd === 0n) continue;
    totalDebt += outstandingUsd;
    const loan: Secured = { debt: outstandingUsd, sats: pledgedBtc, cash: pledgedCashUsd };
    secured.push(loan);
    const maturityAt = terms.maturityAt ?? null;
    loans.set(terms.loanId, {
      lender: terms.lender,
      drawnAt: terms.drawnAt,
      maturityAt,
      annualRate: terms.annualRate,
      principalUsd,
      accruedInterestUsd,
      outstandingUsd,
      pledgedBtc,
      pledgedCashUsd,
      // Status and headroom compare exact products, not the rounded LTV, so nothing flips on a rounding.
      ltv: derived.loanLtv.compute(outstandingUsd, pledgedBtc, usdPerBtc, pledgedCashUsd),
      marginCallLtv: terms.marginCallLtv,
      liquidationLtv: terms.liquidationLtv,
      marginCallPriceUsd: derived.marginCallPriceUsd.compute(outstandingUsd, terms.marginCallLtv, pledgedCashUsd, pledgedBtc),
      liquidationPriceUsd: derived.liquidationPriceUsd.compute(outstandingUsd, terms.liquidationLtv, pledgedCashUsd, pledgedBtc),
      status: loanStatus(
        loan,
        usdPerBtc,
        { marginCallLtv: terms.marginCallLtv, liquidationLtv: terms.liquidationLtv, maturityAt },
        raw.asOf,
      ),
      daysToMaturity: daysToMaturity(maturityAt, raw.asOf),
      priceDropToMarginCall: priceDropToMarginCall(loan, usdPerBtc, terms.marginCallLtv),
      btcToCureMarginCall: btcToCure(loan, usdPerBtc, terms.marginCallLtv),
      usdToCureMarginCall: usdToCure(loan, usdPerBtc, terms.marginCallLtv),
    });
  }

  // The open lots held: an opening lot queued but not held yet is neither in the holdings nor in their cost.
  const openCost = raw.acquiredCostUsd - raw.relievedCostUsd - raw.openingPendingUsd;
  // The figures computed from others: each defined once, with the formula `explain` shows for it.
  const unencumberedValue = derived.unencumberedBtcValueUsd.compute(unencumbered, usdPerBtc);
  const totalAssets = derived.totalAssetsUsd.compute(cashTotal, holdingsBtc, usdPerBtc);
  const { securedDebtUsd, collateralValueUsd } = aggregateLtvOf(secured, usdPerBtc);
  const ageSeconds = price === null ? 0 : Math.floor((raw.asOf - price.effectiveAt) / 1000);
  return {
    asOf: raw.asOf,
    version: raw.version,
    holdings: { btc: holdingsBtc, pledgedBtc: pledged, unencumberedBtc: unencumbered, wallets },
    price:
      price === null ? null : { ...price, ageSeconds, maxAgeSeconds: raw.priceMaxAgeSeconds, stale: ageSeconds > raw.priceMaxAgeSeconds },
    costBasis: {
      totalUsd: openCost,
      realizedGainUsd: raw.proceedsUsd - raw.relievedCostUsd,
      unrealizedGainUsd: derived.unrealizedGainUsd.compute(holdingsBtc, usdPerBtc, openCost),
    },
    cash: { totalUsd: cashTotal, pledgedUsd: pledgedCash, accounts },
    loans,
    leverage: {
      totalDebtUsd: totalDebt,
      totalAssetsUsd: totalAssets,
      netDebtUsd: totalDebt - cashTotal,
      debtToAssets: derived.debtToAssets.compute(totalDebt, totalAssets),
      securedDebtUsd,
      collateralValueUsd,
      aggregateLtv: derived.aggregateLtv.compute(secured, usdPerBtc),
    },
    // Pledged cash cannot be spent: liquidity counts the accounts only.
    liquidity: {
      cashUsd: cashAvailable,
      unencumberedBtcValueUsd: unencumberedValue,
      availableLiquidityUsd: derived.availableLiquidityUsd.compute(cashAvailable, unencumberedValue),
    },
  };
};
