/** The API's answers as the console reads them: decimal strings stay strings (exact), never floats. */
export type Role = 'viewer' | 'auditor' | 'bookkeeper' | 'treasurer' | 'admin';

export interface Me {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly grants: ReadonlyArray<{ readonly role: Role; readonly books: '*' | ReadonlyArray<string> }>;
}

export interface Book {
  readonly bookId: string;
  readonly name: string;
  readonly timeZone: string;
  readonly openedAt: string;
}

export interface Loan {
  readonly lender: string;
  readonly maturityAt: string | null;
  readonly principalUsd: string;
  readonly outstandingUsd: string;
  readonly pledgedBtc: string;
  readonly ltv: string | null;
  readonly marginCallLtv: string;
  readonly liquidationLtv: string;
  readonly status: string;
  readonly daysToMaturity: number | null;
  readonly priceDropToMarginCallPct: string | null;
  readonly btcToCureMarginCall: string | null;
  readonly usdToCureMarginCall: string | null;
  readonly marginCallPriceUsd: string | null;
  readonly liquidationPriceUsd: string | null;
}

export interface Position {
  readonly asOf: string;
  readonly knownAt: string;
  readonly holdings: { readonly btc: string; readonly pledgedBtc: string; readonly unencumberedBtc: string };
  readonly price: { readonly usdPerBtc: string; readonly effectiveAt: string; readonly stale: boolean } | null;
  readonly costBasis: {
    readonly totalUsd: string | null;
    readonly realizedGainUsd: string | null;
    readonly unrealizedGainUsd: string | null;
  } | null;
  readonly cash: { readonly totalUsd: string; readonly pledgedUsd: string };
  readonly loans: Readonly<Record<string, Loan>>;
  readonly leverage: Readonly<Record<string, string | null>>;
  readonly liquidity: Readonly<Record<string, string | null>>;
}

export interface SeriesPoint {
  readonly asOf: string;
  readonly btc: string;
  readonly pledgedBtc: string;
  readonly unencumberedBtc: string;
  readonly usdPerBtc: string | null;
  readonly aggregateLtv: string | null;
  readonly availableLiquidityUsd: string | null;
  /** Each open loan's LTV and its lines at this point. */
  readonly loans: Readonly<
    Record<string, { readonly ltv: string | null; readonly marginCallLtv: string; readonly liquidationLtv: string }>
  >;
}

export interface StoredEvent {
  readonly eventId: string;
  readonly revision: number;
  readonly type: string;
  readonly effectiveAt: string;
  readonly recordedAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly reverses: string | null;
  readonly reversedBy: { readonly eventId: string; readonly revision: number } | null;
  readonly amends: string | null;
  readonly amendedBy: { readonly eventId: string; readonly revision: number } | null;
}

/** The cut a page reads at: `asOf` and `knownAt` as the API takes them (a date or nothing for now). */
export interface Cut {
  readonly asOf: string;
  readonly knownAt: string;
}
