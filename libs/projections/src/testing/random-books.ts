import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { BookCommand, BookEventCodec, RecordedBookEvent } from '@treasury/domain';
import { RecordedBook } from './recorded-book';

/**
 * Random books for the accounting reports (USD roll-forward, P&L): every event type that moves a USD
 * term — mining with and without a pool, purchases with fees, opening balances queued at an earlier
 * acquiredAt and held from the opening or from later, sales with fees, BTC payments and cash movements
 * by category, transfers with network fees, liquidations, loans accruing from their terms or charged by
 * accrue-interest, prices — plus reversals and amendments, most of it back-dated. Every command goes
 * through the real decider, so each book is one the engine could hold.
 */
export const DAY = 86_400_000;
export const START = Date.parse('2025-01-01T00:00:00Z');

const mined = fc.bigInt({ min: 1n, max: 5_000_000_000n });
const sats = fc.bigInt({ min: 1n, max: 300_000_000n });
const cents = fc.bigInt({ min: 1n, max: 10_000_000_00n });
const wallet = fc.constantFrom('cold', 'hot', 'pool');
const loanId = fc.constantFrom('loan-a', 'loan-b');
const category = fc.constantFrom('power', 'hosting', 'payroll');

export const accountingStep = fc.record({
  recordGapMs: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 6 * DAY }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 1500 }) }),
  backdateMs: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: DAY }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 * DAY }) },
  ),
  action: fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('mine' as const), wallet, btc: mined, usdPerBtc: cents, pool: fc.option(fc.constantFrom('Foundry', 'Antpool'), { nil: undefined }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('buy' as const), wallet, btc: mined, costUsd: fc.bigInt({ min: 1n, max: 100_000_00n }), feesUsd: fc.bigInt({ min: 0n, max: 1_000_00n }) }) },
    fc.record({ kind: fc.constant('opening' as const), wallet, btc: mined, costBasisUsd: fc.bigInt({ min: 0n, max: 10_000_000_00n }), acquiredBeforeMs: fc.integer({ min: 0, max: 400 * DAY }), atOpening: fc.boolean() }),
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('sell' as const), wallet, btc: sats, proceedsUsd: cents, feesUsd: fc.bigInt({ min: 0n, max: 10_000_00n }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('pay' as const), wallet, btc: sats, usdPerBtc: cents, category }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: wallet, to: wallet, btc: sats, feeBtc: fc.bigInt({ min: 0n, max: 3_000_000n }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('price' as const), usdPerBtc: cents }) },
    fc.record({ kind: fc.constant('cash' as const), amountUsd: fc.bigInt({ min: -1_000_000_00n, max: 1_000_000_00n }).filter((n) => n !== 0n), category }),
    fc.record({ kind: fc.constant('draw' as const), loanId, principalUsd: cents, annualRate: fc.bigInt({ min: 0n, max: 150_000n }) }),
    fc.record({ kind: fc.constant('accrue' as const), loanId, interestUsd: fc.bigInt({ min: 1n, max: 100_000_00n }) }),
    fc.record({ kind: fc.constant('pledge' as const), loanId, wallet, btc: sats }),
    fc.record({ kind: fc.constant('liquidate' as const), loanId, wallet, btc: fc.bigInt({ min: 1n, max: 30_000_000n }), proceedsUsd: cents }),
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('amend' as const), pick: fc.nat(), percent: fc.integer({ min: 1, max: 200 }), shiftMs: fc.integer({ min: -10 * DAY, max: 10 * DAY }) }) },
  ),
});
export type AccountingStep = typeof accountingStep extends fc.Arbitrary<infer S> ? S : never;

const SCALED = ['btc', 'proceedsUsd', 'costUsd', 'costBasisUsd', 'usdPerBtc', 'amountUsd', 'principalUsd', 'interestUsd'] as const;

/** amend-event on an earlier event: its own fields as the replacement, one amount scaled, moved in time. */
const amendment = (a: { pick: number; percent: number; shiftMs: number }, recorded: ReadonlyArray<RecordedBookEvent>): BookCommand | undefined => {
  if (recorded.length < 3) return undefined;
  const target = recorded[2 + (a.pick % (recorded.length - 2))]!;
  const changed: Record<string, unknown> = { ...target.event, effectiveAt: target.event.effectiveAt + a.shiftMs };
  const field = SCALED.find((name) => typeof changed[name] === 'bigint');
  if (field !== undefined) {
    const scaled = ((changed[field] as bigint) * BigInt(a.percent)) / 100n;
    changed[field] = scaled === 0n ? (changed[field] as bigint) : scaled;
  }
  const { type: _type, ...replacement } = BookEventCodec.encode(changed as RecordedBookEvent['event']);
  return { name: 'amend-event', body: { eventId: target.eventId, replacement, reason: 'test' } };
};

const toCommand = (s: AccountingStep, effectiveAt: number, recorded: ReadonlyArray<RecordedBookEvent>): BookCommand | undefined => {
  const a = s.action;
  switch (a.kind) {
    case 'mine':
      return { name: 'record-mining-output', body: { effectiveAt, wallet: a.wallet, btc: a.btc, usdPerBtc: a.usdPerBtc, ...(a.pool === undefined ? {} : { pool: a.pool }) } };
    case 'buy':
      return { name: 'record-btc-purchase', body: { effectiveAt, wallet: a.wallet, btc: a.btc, costUsd: a.costUsd, feesUsd: a.feesUsd } };
    case 'opening': {
      const heldFrom = a.atOpening ? START : effectiveAt;
      const body = { wallet: a.wallet, btc: a.btc, costBasisUsd: a.costBasisUsd, acquiredAt: heldFrom - a.acquiredBeforeMs };
      return { name: 'record-opening-balance', body: a.atOpening ? body : { ...body, effectiveAt } };
    }
    case 'sell':
      return { name: 'record-btc-sale', body: { effectiveAt, wallet: a.wallet, btc: a.btc, proceedsUsd: a.proceedsUsd, feesUsd: a.feesUsd } };
    case 'pay':
      return { name: 'record-btc-payment', body: { effectiveAt, wallet: a.wallet, btc: a.btc, usdPerBtc: a.usdPerBtc, category: a.category } };
    case 'transfer':
      return { name: 'transfer-btc', body: { effectiveAt, fromWallet: a.from, toWallet: a.to, btc: a.btc, feeBtc: a.feeBtc } };
    case 'price':
      return { name: 'record-btc-price', body: { effectiveAt, usdPerBtc: a.usdPerBtc } };
    case 'cash':
      return { name: 'record-cash-movement', body: { effectiveAt, cashAccount: 'operating', amountUsd: a.amountUsd, category: a.category } };
    case 'draw':
      return { name: 'draw-loan', body: { effectiveAt, loanId: a.loanId, lender: 'L', principalUsd: a.principalUsd, annualRate: a.annualRate, marginCallLtv: 700_000n, liquidationLtv: 850_000n } };
    case 'accrue':
      return { name: 'accrue-interest', body: { effectiveAt, loanId: a.loanId, interestUsd: a.interestUsd } };
    case 'pledge':
      return { name: 'pledge-collateral', body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc } };
    case 'liquidate':
      return { name: 'liquidate-collateral', body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc, proceedsUsd: a.proceedsUsd } };
    case 'reverse':
      return recorded.length < 3 ? undefined : { name: 'reverse-event', body: { eventId: recorded[2 + (a.pick % (recorded.length - 2))]!.eventId, reason: 'test' } };
    case 'amend':
      return amendment(a, recorded);
  }
};

/**
 * Runs the steps through the decider, keeping what it accepts. The book opens on START with a price
 * (so most month boundaries have one; a reversal never targets it), then each step is recorded.
 */
export const buildAccountingBook = (steps: ReadonlyArray<AccountingStep>, firstPriceUsd = 5_000_000n): RecordedBook => {
  const book = new RecordedBook();
  if (E.isLeft(book.tryRecord(START, { name: 'open-book', body: { name: 'P', effectiveAt: START } }))) throw new Error('open-book refused');
  if (E.isLeft(book.tryRecord(START, { name: 'record-btc-price', body: { effectiveAt: START, usdPerBtc: firstPriceUsd } }))) throw new Error('price refused');
  let now = START;
  for (const s of steps) {
    now += s.recordGapMs;
    const effectiveAt = Math.max(START, now - s.backdateMs);
    const cmd = toCommand(s, effectiveAt, book.events);
    if (cmd !== undefined) book.tryRecord(now, cmd);
  }
  return book;
};
