import { RATIO_ONE, SATS_PER_BTC, divRoundHalfEven } from '@treasury/domain';
import { Secured, aggregateLtvOf, ltvOf, triggerPrice } from '../book/loan-risk';

export type FigureUnit = 'BTC' | 'USD' | 'ratio';

/** An input of a formula: the figure's path in the position (`<id>` filled in) and its unit. */
export type FigureInput = readonly [figure: string, unit: FigureUnit];

/**
 * A figure computed from other figures, defined once: the formula `explain` shows, the figures it reads
 * (in the order `compute` takes them) and the computation the position runs. `compute` takes exactly
 * those inputs, so explaining a figure and computing it cannot drift apart (a test recomputes every
 * explained formula from its listed inputs). The one exception says so: `leverage.aggregateLtv` is
 * computed from the unrounded collateral value, which the position shows rounded to the cent.
 */
export interface DerivedFigure<Args extends ReadonlyArray<unknown>> {
  readonly unit: FigureUnit;
  readonly formula: string;
  readonly inputs: (id: string) => ReadonlyArray<FigureInput>;
  readonly compute: (...args: Args) => bigint | null;
  /** False where compute reads more precise values than the inputs shown (see aggregateLtv). */
  readonly fromShownInputs: boolean;
}

type Amount = bigint | null;

/** Sats at a price in cents per BTC, in cents, rounded half-even. */
export const valueOf = (sats: bigint, usdPerBtc: bigint): bigint => divRoundHalfEven(sats * usdPerBtc, SATS_PER_BTC);

const define = <Args extends ReadonlyArray<unknown>>(
  figure: Omit<DerivedFigure<Args>, 'fromShownInputs'> & { readonly fromShownInputs?: false },
): DerivedFigure<Args> => ({
  fromShownInputs: true,
  ...figure,
});

const btcValue = (sats: Amount, usdPerBtc: Amount): Amount => (sats === null || usdPerBtc === null ? null : valueOf(sats, usdPerBtc));

export const unrealizedGainUsd = define({
  unit: 'USD',
  formula: 'holdings.btc × price.usdPerBtc − costBasis.totalUsd',
  inputs: () => [
    ['holdings.btc', 'BTC'],
    ['price.usdPerBtc', 'USD'],
    ['costBasis.totalUsd', 'USD'],
  ],
  compute: (btc: Amount, usdPerBtc: Amount, costUsd: Amount) => {
    const value = btcValue(btc, usdPerBtc);
    return value === null || costUsd === null ? null : value - costUsd;
  },
});

export const totalAssetsUsd = define({
  unit: 'USD',
  formula: 'cash.totalUsd + holdings.btc × price.usdPerBtc',
  inputs: () => [
    ['cash.totalUsd', 'USD'],
    ['holdings.btc', 'BTC'],
    ['price.usdPerBtc', 'USD'],
  ],
  compute: (cashUsd: Amount, btc: Amount, usdPerBtc: Amount) => {
    const value = btcValue(btc, usdPerBtc);
    return value === null || cashUsd === null ? null : cashUsd + value;
  },
});

export const debtToAssets = define({
  unit: 'ratio',
  formula: 'leverage.totalDebtUsd / leverage.totalAssetsUsd',
  inputs: () => [
    ['leverage.totalDebtUsd', 'USD'],
    ['leverage.totalAssetsUsd', 'USD'],
  ],
  // No ratio of assets that are nothing or less.
  compute: (debtUsd: Amount, assetsUsd: Amount) =>
    debtUsd === null || assetsUsd === null || assetsUsd <= 0n ? null : divRoundHalfEven(debtUsd * RATIO_ONE, assetsUsd),
});

export const aggregateLtv = define({
  unit: 'ratio',
  formula: 'leverage.securedDebtUsd / leverage.collateralValueUsd (loans that owe something and hold collateral)',
  inputs: () => [
    ['leverage.securedDebtUsd', 'USD'],
    ['leverage.collateralValueUsd', 'USD'],
  ],
  // From the exact products, not the collateral's value rounded to the cent (see loan-risk.ts).
  compute: (loans: Iterable<Secured>, usdPerBtc: Amount) => aggregateLtvOf(loans, usdPerBtc).aggregateLtv,
  fromShownInputs: false,
});

export const unencumberedBtcValueUsd = define({
  unit: 'USD',
  formula: 'holdings.unencumberedBtc × price.usdPerBtc',
  inputs: () => [
    ['holdings.unencumberedBtc', 'BTC'],
    ['price.usdPerBtc', 'USD'],
  ],
  compute: btcValue,
});

export const availableLiquidityUsd = define({
  unit: 'USD',
  formula: 'liquidity.cashUsd + liquidity.unencumberedBtcValueUsd',
  inputs: () => [
    ['liquidity.cashUsd', 'USD'],
    ['liquidity.unencumberedBtcValueUsd', 'USD'],
  ],
  compute: (cashUsd: Amount, btcValueUsd: Amount) => (cashUsd === null || btcValueUsd === null ? null : cashUsd + btcValueUsd),
});

const secured = (debt: Amount, sats: Amount, cash: Amount): Secured | null =>
  debt === null || sats === null || cash === null ? null : { debt, sats, cash };

export const loanLtv = define({
  unit: 'ratio',
  formula: 'loans.<id>.outstandingUsd / (loans.<id>.pledgedBtc × price.usdPerBtc + loans.<id>.pledgedCashUsd)',
  inputs: (id) => [
    [`loans.${id}.outstandingUsd`, 'USD'],
    [`loans.${id}.pledgedBtc`, 'BTC'],
    ['price.usdPerBtc', 'USD'],
    [`loans.${id}.pledgedCashUsd`, 'USD'],
  ],
  compute: (outstandingUsd: Amount, pledgedBtc: Amount, usdPerBtc: Amount, pledgedCashUsd: Amount) => {
    const loan = secured(outstandingUsd, pledgedBtc, pledgedCashUsd);
    return loan === null ? null : ltvOf(loan, usdPerBtc);
  },
});

/** The price at which a loan's LTV reaches one of its thresholds (`marginCallLtv` or `liquidationLtv`). */
const triggerPriceAt = (threshold: 'marginCallLtv' | 'liquidationLtv') =>
  define({
    unit: 'USD',
    formula: `(loans.<id>.outstandingUsd / loans.<id>.${threshold} − loans.<id>.pledgedCashUsd) / loans.<id>.pledgedBtc, rounded down to the cent`,
    inputs: (id) => [
      [`loans.${id}.outstandingUsd`, 'USD'],
      [`loans.${id}.${threshold}`, 'ratio'],
      [`loans.${id}.pledgedCashUsd`, 'USD'],
      [`loans.${id}.pledgedBtc`, 'BTC'],
    ],
    compute: (outstandingUsd: Amount, ltv: Amount, pledgedCashUsd: Amount, pledgedBtc: Amount) => {
      const loan = secured(outstandingUsd, pledgedBtc, pledgedCashUsd);
      return loan === null || ltv === null ? null : triggerPrice(loan, ltv);
    },
  });

export const marginCallPriceUsd = triggerPriceAt('marginCallLtv');
export const liquidationPriceUsd = triggerPriceAt('liquidationLtv');

/** Every derived figure by the paths it answers for (`(.+)` is a loan's id). */
export const derivedFigures: ReadonlyArray<{ readonly match: RegExp; readonly figure: DerivedFigure<never> }> = [
  { match: /^costBasis\.unrealizedGainUsd$/, figure: unrealizedGainUsd },
  { match: /^leverage\.totalAssetsUsd$/, figure: totalAssetsUsd },
  { match: /^leverage\.debtToAssets$/, figure: debtToAssets },
  { match: /^leverage\.aggregateLtv$/, figure: aggregateLtv },
  { match: /^liquidity\.unencumberedBtcValueUsd$/, figure: unencumberedBtcValueUsd },
  { match: /^liquidity\.availableLiquidityUsd$/, figure: availableLiquidityUsd },
  { match: /^loans\.(.+)\.ltv$/, figure: loanLtv },
  { match: /^loans\.(.+)\.marginCallPriceUsd$/, figure: marginCallPriceUsd },
  { match: /^loans\.(.+)\.liquidationPriceUsd$/, figure: liquidationPriceUsd },
];
