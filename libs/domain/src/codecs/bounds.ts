/**
 * The domain bounds every command input is checked against, in one place. They apply to COMMANDS (what
 * a client may ask the ledger to record); events already in a log are read with the lenient `Stored*`
 * codecs, so a log written before a bound existed still reads.
 *
 * Why these numbers:
 * - BTC: no more than can ever exist (the 21,000,000 BTC supply cap).
 * - USD: $10 billion per amount. A million such amounts sum to 1e12 cents x 1e6 = 1e18 cents, below
 *   2^63 - 1 (9.22e18): no total in a book of a million events can leave a signed 64-bit integer, so
 *   the figures stay exact in every store, export and consumer that is not bigint-aware.
 * - BTC price: $10,000,000 per BTC, about 100 times the 2025 price; a price beyond it is a typo
 *   (usually cents written as dollars).
 * - Ratios: 10 (1,000%). An annual rate above 1,000% is not a treasury loan; an LTV threshold above
 *   10 would mean liquidating when the collateral is worth a tenth of the debt.
 * - Instants: from the bitcoin genesis block (nothing in a mining treasury happened before it) to
 *   before 2200-01-01 (a loan maturity within a century of today fits; a year like 9999 is a typo).
 */
export const MAX_BTC_SATS = 21_000_000n * 100_000_000n;
export const MAX_USD_CENTS = 10_000_000_000n * 100n;
export const MAX_USD_PER_BTC_CENTS = 10_000_000n * 100n;
export const MAX_RATIO_MICROS = 10n * 1_000_000n;

/** 2009-01-03T18:15:05Z, the timestamp of bitcoin's genesis block. */
export const GENESIS_MILLIS = Date.UTC(2009, 0, 3, 18, 15, 5);
/** The first instant no longer accepted: 2200-01-01T00:00:00Z. */
export const INSTANT_END_MILLIS = Date.UTC(2200, 0, 1);

/** Free text (names, memos, references): at most this many characters (Unicode code points). */
export const MAX_TEXT_CHARS = 500;
