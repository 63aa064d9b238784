import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { BookCommand, BookEventCodec, RecordedBookEvent } from '@treasury/domain';
import { RecordedBook } from './recorded-book';

/**
 * The one generator of random books the property tests share. A step is recorded some time after the
 * previous one and dated back from its recording (mostly recent, sometimes weeks back); its action is
 * any command that moves a figure: mining (with or without a pool), purchases and sales with fees,
 * opening lots queued at an earlier acquiredAt and held from the opening or from later, BTC payments and
 * cash movements by category, opening cash, transfers with network fees, prices, loans (drawn with or
 * without a day count, repriced, pledged, released, accrued, repaid, liquidated), reversals and
 * amendments. Each test picks the actions it draws and their weights (a `Mix`); every command goes
 * through the real decider, so each book is one the engine could hold.
 */
export const DAY = 86_400_000;
export const START = Date.parse('2025-01-01T00:00:00Z');
/** Where the books of the projection and lot-method properties open: a year before their first step. */
export const OPENED = START - 365 * DAY;

// Mining and purchases bring whole coins; what leaves is smaller, so most generated disposals are accepted.
const mined = fc.bigInt({ min: 1n, max: 5_000_000_000n });
const sats = fc.bigInt({ min: 1n, max: 300_000_000n });
const cents = fc.bigInt({ min: 1n, max: 10_000_000_00n });
const loanId = fc.constantFrom('loan-a', 'loan-b');
const category = fc.constantFrom('power', 'hosting', 'payroll');
const rate = fc.bigInt({ min: 0n, max: 250_000n });

const actions = (wallet: fc.Arbitrary<string>) => ({
  mine: fc.record({
    kind: fc.constant('mine' as const),
    wallet,
    btc: mined,
    usdPerBtc: cents,
    pool: fc.option(fc.constantFrom('Foundry', 'Antpool'), { nil: undefined }),
  }),
  buy: fc.record({
    kind: fc.constant('buy' as const),
    wallet,
    btc: mined,
    costUsd: fc.bigInt({ min: 1n, max: 100_000_00n }),
    feesUsd: fc.bigInt({ min: 0n, max: 1_000_00n }),
  }),
  opening: fc.record({
    kind: fc.constant('opening' as const),
    wallet,
    btc: mined,
    costBasisUsd: fc.bigInt({ min: 0n, max: 10_000_000_00n }),
    acquiredBeforeMs: fc.integer({ min: 0, max: 400 * DAY }),
    atOpening: fc.boolean(),
  }),
  'opening-cash': fc.record({ kind: fc.constant('opening-cash' as const), amountUsd: cents }),
  sell: fc.record({
    kind: fc.constant('sell' as const),
    wallet,
    btc: sats,
    proceedsUsd: cents,
    feesUsd: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10_000_00n })),
  }),
  pay: fc.record({ kind: fc.constant('pay' as const), wallet, btc: sats, usdPerBtc: cents, category }),
  transfer: fc.record({
    kind: fc.constant('transfer' as const),
    from: wallet,
    to: wallet,
    btc: sats,
    feeBtc: fc.oneof(fc.bigInt({ min: 0n, max: 100_000n }), fc.bigInt({ min: 0n, max: 3_000_000n })),
  }),
  price: fc.record({ kind: fc.constant('price' as const), usdPerBtc: cents }),
  cash: fc.record({
    kind: fc.constant('cash' as const),
    amountUsd: fc.bigInt({ min: -1_000_000_00n, max: 10_000_000_00n }).filter((n) => n !== 0n),
    category,
  }),
  // Loans accrue from their terms (under each day count, or the default), or by accrue-interest.
  draw: fc.record({
    kind: fc.constant('draw' as const),
    loanId,
    principalUsd: cents,
    annualRate: rate,
    dayCount: fc.option(fc.constantFrom('act/365', 'act/360', '30/360'), { nil: undefined }),
  }),
  reprice: fc.record({ kind: fc.constant('reprice' as const), loanId, annualRate: rate }),
  accrue: fc.record({ kind: fc.constant('accrue' as const), loanId, interestUsd: fc.bigInt({ min: 1n, max: 100_000_00n }) }),
  // Interest paid in amounts that often fit, sometimes far more than owed.
  repay: fc.record({
    kind: fc.constant('repay' as const),
    loanId,
    principalUsd: fc.bigInt({ min: 0n, max: 100_000_00n }),
    interestUsd: fc.oneof(fc.bigInt({ min: 0n, max: 1_000_00n }), fc.bigInt({ min: 0n, max: 10_000_000_00n })),
  }),
  pledge: fc.record({ kind: fc.constant('pledge' as const), loanId, wallet, btc: sats }),
  // Smaller than most pledges, so releases and liquidations are often accepted.
  release: fc.record({ kind: fc.constant('release' as const), loanId, wallet, btc: fc.bigInt({ min: 1n, max: 30_000_000n }) }),
  liquidate: fc.record({
    kind: fc.constant('liquidate' as const),
    loanId,
    wallet,
    btc: fc.bigInt({ min: 1n, max: 30_000_000n }),
    proceedsUsd: cents,
  }),
  reverse: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }),
  // An earlier event again with one amount scaled and its effectiveAt moved (many are refused).
  amend: fc.record({
    kind: fc.constant('amend' as const),
    pick: fc.nat(),
    percent: fc.integer({ min: 1, max: 200 }),
    shiftMs: fc.integer({ min: -10 * DAY, max: 10 * DAY }),
  }),
});

type Actions = ReturnType<typeof actions>;
export type ActionKind = keyof Actions;
export type Action = Actions[ActionKind] extends fc.Arbitrary<infer A> ? A : never;
/** The actions a test draws and their weights; an action left out is never drawn. */
export type Mix = Partial<Record<ActionKind, number>>;

export interface BookStep {
  readonly recordGapMs: number;
  readonly backdateMs: number;
  readonly action: Action;
}

/**
 * Steps drawing the mix's actions over the given wallets, recorded up to `maxGapDays` apart, or within
 * 1.5 s (same-instant ties); `longGaps` weighs the first against the second (books spanning more months).
 */
export const bookStep = (
  mix: Mix,
  options: { readonly wallets?: ReadonlyArray<string>; readonly maxGapDays?: number; readonly longGaps?: number } = {},
): fc.Arbitrary<BookStep> => {
  const all = actions(fc.constantFrom(...(options.wallets ?? ['cold', 'hot', 'pool'])));
  const drawn = (Object.entries(mix) as Array<[ActionKind, number]>)
    .filter(([, weight]) => weight > 0)
    .map(([kind, weight]) => ({ weight, arbitrary: all[kind] as fc.Arbitrary<Action> }));
  return fc.record({
    recordGapMs: fc.oneof(
      { weight: options.longGaps ?? 1, arbitrary: fc.integer({ min: 0, max: (options.maxGapDays ?? 3) * DAY }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 1500 }) },
    ),
    backdateMs: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: DAY }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 2000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 * DAY }) },
    ),
    action: fc.oneof(...drawn),
  });
};

/** The accounting reports' books: every action that moves a USD term, over months. */
export const ACCOUNTING_MIX: Mix = {
  mine: 4,
  buy: 2,
  opening: 1,
  sell: 4,
  pay: 2,
  transfer: 2,
  price: 3,
  cash: 1,
  draw: 1,
  accrue: 1,
  pledge: 1,
  liquidate: 1,
  reverse: 2,
  amend: 2,
};
/** The lot methods' books: BTC movements (lots, disposals, transfers, pledges), no prices. */
export const BTC_MIX: Mix = {
  mine: 4,
  buy: 2,
  opening: 1,
  sell: 4,
  pay: 2,
  transfer: 4,
  draw: 1,
  pledge: 2,
  release: 1,
  liquidate: 2,
  reverse: 2,
  amend: 2,
};
/** Every action: the projection against its naive replay. */
export const EVERYTHING_MIX: Mix = {
  mine: 3,
  sell: 3,
  transfer: 1,
  price: 1,
  draw: 1,
  reprice: 1,
  pledge: 1,
  release: 1,
  accrue: 1,
  repay: 1,
  liquidate: 1,
  opening: 1,
  'opening-cash': 1,
  buy: 2,
  pay: 2,
  cash: 1,
  reverse: 2,
  amend: 2,
};

const SCALED = ['btc', 'amountUsd', 'proceedsUsd', 'costUsd', 'costBasisUsd', 'usdPerBtc', 'principalUsd', 'interestUsd'] as const;

/** An event a reversal or an amendment may target: never the book's set-up (its opening, its first price). */
const target = (pick: number, recorded: ReadonlyArray<RecordedBookEvent>, fixed: number): RecordedBookEvent | undefined =>
  recorded.length <= fixed ? undefined : recorded[fixed + (pick % (recorded.length - fixed))];

/** amend-event on an earlier event: its own fields as the replacement, one amount scaled, moved in time. */
const amendment = (
  a: Extract<Action, { kind: 'amend' }>,
  recorded: ReadonlyArray<RecordedBookEvent>,
  fixed: number,
): BookCommand | undefined => {
  const amended = target(a.pick, recorded, fixed);
  if (amended === undefined) return undefined;
  const changed: Record<string, unknown> = { ...amended.event, effectiveAt: amended.event.effectiveAt + a.shiftMs };
  const field = SCALED.find((name) => typeof changed[name] === 'bigint');
  if (field !== undefined) {
    const scaled = ((changed[field] as bigint) * BigInt(a.percent)) / 100n;
    changed[field] = scaled === 0n ? (changed[field] as bigint) : scaled;
  }
  const { type: _type, ...replacement } = BookEventCodec.encode(changed as RecordedBookEvent['event']);
  return { name: 'amend-event', body: { eventId: amended.eventId, replacement, reason: 'test' } };
};

const toCommand = (
  a: Action,
  effectiveAt: number,
  openedAt: number,
  recorded: ReadonlyArray<RecordedBookEvent>,
  fixed: number,
): BookCommand | undefined => {
  switch (a.kind) {
    case 'mine':
      return {
        name: 'record-mining-output',
        body: { effectiveAt, wallet: a.wallet, btc: a.btc, usdPerBtc: a.usdPerBtc, ...(a.pool === undefined ? {} : { pool: a.pool }) },
      };
    case 'buy':
      return { name: 'record-btc-purchase', body: { effectiveAt, wallet: a.wallet, btc: a.btc, costUsd: a.costUsd, feesUsd: a.feesUsd } };
    case 'opening': {
      // Held from the book's opening (no effectiveAt) or from later, queued by an earlier acquiredAt.
      const heldFrom = a.atOpening ? openedAt : effectiveAt;
      const body = { wallet: a.wallet, btc: a.btc, costBasisUsd: a.costBasisUsd, acquiredAt: heldFrom - a.acquiredBeforeMs };
      return { name: 'record-opening-balance', body: a.atOpening ? body : { ...body, effectiveAt } };
    }
    case 'opening-cash':
      return { name: 'record-opening-cash', body: { effectiveAt, cashAccount: 'operating', amountUsd: a.amountUsd } };
    case 'sell':
      return {
        name: 'record-btc-sale',
        body: {
          effectiveAt,
          wallet: a.wallet,
          btc: a.btc,
          proceedsUsd: a.proceedsUsd,
          ...(a.feesUsd === 0n ? {} : { feesUsd: a.feesUsd }),
        },
      };
    case 'pay':
      return {
        name: 'record-btc-payment',
        body: { effectiveAt, wallet: a.wallet, btc: a.btc, usdPerBtc: a.usdPerBtc, category: a.category },
      };
    case 'transfer':
      return { name: 'transfer-btc', body: { effectiveAt, fromWallet: a.from, toWallet: a.to, btc: a.btc, feeBtc: a.feeBtc } };
    case 'price':
      return { name: 'record-btc-price', body: { effectiveAt, usdPerBtc: a.usdPerBtc } };
    case 'cash':
      return {
        name: 'record-cash-movement',
        body: { effectiveAt, cashAccount: 'operating', amountUsd: a.amountUsd, category: a.category },
      };
    case 'draw': {
      const terms = {
        loanId: a.loanId,
        lender: 'L',
        principalUsd: a.principalUsd,
        annualRate: a.annualRate,
        marginCallLtv: 700_000n,
        liquidationLtv: 850_000n,
      };
      return { name: 'draw-loan', body: { effectiveAt, ...terms, ...(a.dayCount === undefined ? {} : { dayCount: a.dayCount }) } };
    }
    case 'reprice':
      return { name: 'reprice-loan', body: { effectiveAt, loanId: a.loanId, annualRate: a.annualRate } };
    case 'accrue':
      return { name: 'accrue-interest', body: { effectiveAt, loanId: a.loanId, interestUsd: a.interestUsd } };
    case 'repay':
      return { name: 'repay-loan', body: { effectiveAt, loanId: a.loanId, principalUsd: a.principalUsd, interestUsd: a.interestUsd } };
    case 'pledge':
      return { name: 'pledge-collateral', body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc } };
    case 'release':
      return { name: 'release-collateral', body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc } };
    case 'liquidate':
      return {
        name: 'liquidate-collateral',
        body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc, proceedsUsd: a.proceedsUsd },
      };
    case 'reverse': {
      const reversed = target(a.pick, recorded, fixed);
      return reversed === undefined ? undefined : { name: 'reverse-event', body: { eventId: reversed.eventId, reason: 'test' } };
    }
    case 'amend':
      return amendment(a, recorded, fixed);
  }
};

export interface BookOptions {
  /** When the book opens (its open-book effectiveAt): OPENED by default. */
  readonly openedAt?: number;
  /** A price recorded at START with the opening, so most month boundaries have one. */
  readonly firstPriceUsd?: bigint;
  /** Told of every command the decider accepted (a test counting the amendments that got through). */
  readonly accepted?: (command: BookCommand) => void;
}

/**
 * Runs the steps through the decider, keeping what it accepts, as the engine would record them: the
 * book opens at `openedAt` (recorded at START), then each step is recorded in turn, dated no earlier
 * than the opening. Reversals and amendments never target the set-up events.
 */
export const buildBook = (steps: ReadonlyArray<BookStep>, options: BookOptions = {}): RecordedBook => {
  const openedAt = options.openedAt ?? OPENED;
  const book = new RecordedBook();
  if (E.isLeft(book.tryRecord(START, { name: 'open-book', body: { name: 'P', effectiveAt: openedAt } })))
    throw new Error('open-book refused');
  if (
    options.firstPriceUsd !== undefined &&
    E.isLeft(book.tryRecord(START, { name: 'record-btc-price', body: { effectiveAt: START, usdPerBtc: options.firstPriceUsd } }))
  ) {
    throw new Error('price refused');
  }
  const fixed = book.events.length;
  let now = START;
  for (const s of steps) {
    now += s.recordGapMs;
    const cmd = toCommand(s.action, Math.max(openedAt, now - s.backdateMs), openedAt, book.events, fixed);
    if (cmd !== undefined && E.isRight(book.tryRecord(now, cmd))) options.accepted?.(cmd);
  }
  return book;
};
