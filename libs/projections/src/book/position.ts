import { RATIO_ONE, SATS_PER_BTC, divRoundHalfEven, formatBtc, formatInstant, formatRatio, formatUsd, parseBalanceKey } from '@treasury/domain';
import type { RawPosition } from './raw-position';

export type LoanStatus = 'open' | 'margin-call' | 'liquidatable' | 'repaid';

export interface LoanPosition {
  readonly lender: string;
  readonly drawnAt: number;
  readonly maturityAt: number | null;
  readonly annualRate: bigint;
  readonly principalUsd: bigint;
  readonly accruedInterestUsd: bigint;
  readonly outstandingUsd: bigint;
  readonly pledgedBtc: bigint;
  readonly ltv: bigint | null;
  readonly marginCallLtv: bigint;
  readonly liquidationLtv: bigint;
  readonly marginCallPriceUsd: bigint | null;
  readonly liquidationPriceUsd: bigint | null;
  readonly status: LoanStatus;
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
  readonly price: { readonly usdPerBtc: bigint; readonly effectiveAt: number } | null;
  readonly costBasis: { readonly totalUsd: bigint; readonly realizedGainUsd: bigint; readonly unrealizedGainUsd: bigint | null };
  readonly cash: { readonly totalUsd: bigint; readonly accounts: ReadonlyMap<string, bigint> };
  readonly loans: ReadonlyMap<string, LoanPosition>;
  readonly leverage: {
    readonly totalDebtUsd: bigint;
    readonly totalAssetsUsd: bigint | null;
    readonly netDebtUsd: bigint;
    readonly debtToAssets: bigint | null;
    readonly aggregateLtv: bigint | null;
  };
  readonly liquidity: { readonly cashUsd: bigint; readonly unencumberedBtcValueUsd: bigint | null; readonly availableLiquidityUsd: bigint | null };
}

/** Sats at a price in cents per BTC, in cents, rounded half-even. */
const valueOf = (sats: bigint, usdPerBtc: bigint): bigint => divRoundHalfEven(sats * usdPerBtc, SATS_PER_BTC);

/** debt / (sats x price) as a ratio in micros, from exact integers, rounded once. */
const ltvOf = (debtCents: bigint, sats: bigint, usdPerBtc: bigint): bigint | null =>
  sats === 0n ? null : divRoundHalfEven(debtCents * RATIO_ONE * SATS_PER_BTC, sats * usdPerBtc);

/** The BTC price (cents) at which debt / (sats x price) equals the threshold. */
const priceAtLtv = (debtCents: bigint, sats: bigint, thresholdMicros: bigint): bigint | null =>
  sats === 0n ? null : divRoundHalfEven(debtCents * RATIO_ONE * SATS_PER_BTC, thresholdMicros * sats);

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
  const principal = new Map<string, bigint>();
  const interest = new Map<string, bigint>();
  let unencumbered = 0n;
  let pledged = 0n;
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
    else if (kind === 'principal') addTo(principal, parts[0]!, amount);
    else if (kind === 'interest') addTo(interest, parts[0]!, amount);
  }
  const price = raw.price;
  const cashTotal = [...accounts.values()].reduce((a, b) => a + b, 0n);
  const holdingsBtc = unencumbered + pledged;

  const loans = new Map<string, LoanPosition>();
  let totalDebt = 0n;
  for (const terms of raw.loans) {
    const principalUsd = principal.get(terms.loanId) ?? 0n;
    const accruedInterestUsd = interest.get(terms.loanId) ?? 0n;
    const outstandingUsd = principalUsd + accruedInterestUsd;
    const pledgedBtc = pledgedByLoan.get(terms.loanId) ?? 0n;
    // A loan repaid and released is closed: it leaves the position (its history stays in the log).
    if (outstandingUsd === 0n && pledgedBtc === 0n) continue;
    totalDebt += outstandingUsd;
    const ltv = price === null ? null : ltvOf(outstandingUsd, pledgedBtc, price.usdPerBtc);
    // Status compares exact products, not the rounded LTV, so a loan is never flagged by rounding.
    const reaches = (threshold: bigint) =>
      price !== null && pledgedBtc > 0n && outstandingUsd * RATIO_ONE * SATS_PER_BTC >= threshold * pledgedBtc * price.usdPerBtc;
    const status: LoanStatus =
      outstandingUsd === 0n ? 'repaid' : reaches(terms.liquidationLtv) ? 'liquidatable' : reaches(terms.marginCallLtv) ? 'margin-call' : 'open';
    loans.set(terms.loanId, {
      lender: terms.lender,
      drawnAt: terms.drawnAt,
      maturityAt: terms.maturityAt ?? null,
      annualRate: terms.annualRate,
      principalUsd,
      accruedInterestUsd,
      outstandingUsd,
      pledgedBtc,
      ltv,
      marginCallLtv: terms.marginCallLtv,
      liquidationLtv: terms.liquidationLtv,
      marginCallPriceUsd: outstandingUsd === 0n ? null : priceAtLtv(outstandingUsd, pledgedBtc, terms.marginCallLtv),
      liquidationPriceUsd: outstandingUsd === 0n ? null : priceAtLtv(outstandingUsd, pledgedBtc, terms.liquidationLtv),
      status,
    });
  }

  const openCost = raw.acquiredCostUsd - raw.relievedCostUsd;
  const btcValue = price === null ? null : valueOf(holdingsBtc, price.usdPerBtc);
  const unencumberedValue = price === null ? null : valueOf(unencumbered, price.usdPerBtc);
  const totalAssets = btcValue === null ? null : cashTotal + btcValue;
  return {
    asOf: raw.asOf,
    version: raw.version,
    holdings: { btc: holdingsBtc, pledgedBtc: pledged, unencumberedBtc: unencumbered, wallets },
    price,
    costBasis: {
      totalUsd: openCost,
      realizedGainUsd: raw.proceedsUsd - raw.relievedCostUsd,
      unrealizedGainUsd: btcValue === null ? null : btcValue - openCost,
    },
    cash: { totalUsd: cashTotal, accounts },
    loans,
    leverage: {
      totalDebtUsd: totalDebt,
      totalAssetsUsd: totalAssets,
      netDebtUsd: totalDebt - cashTotal,
      debtToAssets: totalAssets === null || totalAssets <= 0n ? null : divRoundHalfEven(totalDebt * RATIO_ONE, totalAssets),
      aggregateLtv: price === null ? null : ltvOf(totalDebt, pledged, price.usdPerBtc),
    },
    liquidity: {
      cashUsd: cashTotal,
      unencumberedBtcValueUsd: unencumberedValue,
      availableLiquidityUsd: unencumberedValue === null ? null : cashTotal + unencumberedValue,
    },
  };
};

const orNull = <A>(value: A | null, format: (a: A) => string): string | null => (value === null ? null : format(value));
const sortedObject = <V, W>(map: ReadonlyMap<string, V>, format: (v: V) => W): Record<string, W> =>
  Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, format(v)]));

/** The JSON view: fixed decimals (BTC 8, USD 2, ratios 6), ISO instants, null where no price. */
export const positionView = (position: Position) => ({
  asOf: formatInstant(position.asOf),
  holdings: {
    btc: formatBtc(position.holdings.btc),
    pledgedBtc: formatBtc(position.holdings.pledgedBtc),
    unencumberedBtc: formatBtc(position.holdings.unencumberedBtc),
    wallets: sortedObject(position.holdings.wallets, (w) => ({ btc: formatBtc(w.btc), pledgedBtc: formatBtc(w.pledgedBtc) })),
  },
  price: position.price === null ? null : { usdPerBtc: formatUsd(position.price.usdPerBtc), effectiveAt: formatInstant(position.price.effectiveAt) },
  costBasis: {
    totalUsd: formatUsd(position.costBasis.totalUsd),
    realizedGainUsd: formatUsd(position.costBasis.realizedGainUsd),
    unrealizedGainUsd: orNull(position.costBasis.unrealizedGainUsd, formatUsd),
  },
  cash: { totalUsd: formatUsd(position.cash.totalUsd), accounts: sortedObject(position.cash.accounts, formatUsd) },
  loans: sortedObject(position.loans, (loan) => ({
    lender: loan.lender,
    drawnAt: formatInstant(loan.drawnAt),
    maturityAt: orNull(loan.maturityAt, formatInstant),
    annualRate: formatRatio(loan.annualRate),
    principalUsd: formatUsd(loan.principalUsd),
    accruedInterestUsd: formatUsd(loan.accruedInterestUsd),
    outstandingUsd: formatUsd(loan.outstandingUsd),
    pledgedBtc: formatBtc(loan.pledgedBtc),
    ltv: orNull(loan.ltv, formatRatio),
    marginCallLtv: formatRatio(loan.marginCallLtv),
    liquidationLtv: formatRatio(loan.liquidationLtv),
    marginCallPriceUsd: orNull(loan.marginCallPriceUsd, formatUsd),
    liquidationPriceUsd: orNull(loan.liquidationPriceUsd, formatUsd),
    status: loan.status,
  })),
  leverage: {
    totalDebtUsd: formatUsd(position.leverage.totalDebtUsd),
    totalAssetsUsd: orNull(position.leverage.totalAssetsUsd, formatUsd),
    netDebtUsd: formatUsd(position.leverage.netDebtUsd),
    debtToAssets: orNull(position.leverage.debtToAssets, formatRatio),
    aggregateLtv: orNull(position.leverage.aggregateLtv, formatRatio),
  },
  liquidity: {
    cashUsd: formatUsd(position.liquidity.cashUsd),
    unencumberedBtcValueUsd: orNull(position.liquidity.unencumberedBtcValueUsd, formatUsd),
    availableLiquidityUsd: orNull(position.liquidity.availableLiquidityUsd, formatUsd),
  },
});
export type PositionView = ReturnType<typeof positionView>;
