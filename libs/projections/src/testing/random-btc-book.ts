import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { BookCommand, BookEventCodec, RecordedBookEvent } from '@treasury/domain';
import { RecordedBook } from './recorded-book';

/**
 * Random books of BTC movements for the lot-method properties: lots (mining, purchases, opening
 * balances queued at an earlier acquiredAt), disposals (sales, payments, liquidations of pledged BTC),
 * transfers with network fees, pledges and releases, reversals and amendments, most of them back-dated.
 * Every command goes through the real decider, so each book is one the engine could hold.
 */
export const DAY = 86_400_000;
export const START = Date.parse('2025-01-01T00:00:00Z');
const OPENED = START - 365 * DAY;

const mined = fc.bigInt({ min: 1n, max: 5_000_000_000n });
const sats = fc.bigInt({ min: 1n, max: 300_000_000n });
const cents = fc.bigInt({ min: 1n, max: 10_000_000_00n });
const loanId = fc.constantFrom('loan-a', 'loan-b');

export const btcBookStep = (walletNames: ReadonlyArray<string>) => {
  const wallet = fc.constantFrom(...walletNames);
  return fc.record({
    recordGapMs: fc.oneof(fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 0, max: 1500 })),
    backdateMs: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: DAY }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 2000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 * DAY }) },
    ),
    action: fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('mine' as const), wallet, btc: mined, usdPerBtc: cents }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('buy' as const), wallet, btc: mined, costUsd: fc.bigInt({ min: 1n, max: 100_000_00n }), feesUsd: fc.bigInt({ min: 0n, max: 1_000_00n }) }) },
      fc.record({ kind: fc.constant('opening' as const), wallet, btc: mined, costBasisUsd: fc.bigInt({ min: 0n, max: 10_000_000_00n }), acquiredBeforeMs: fc.integer({ min: 0, max: 400 * DAY }), atOpening: fc.boolean() }),
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('sell' as const), wallet, btc: sats, proceedsUsd: cents }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('pay' as const), wallet, btc: sats, usdPerBtc: cents }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: wallet, to: wallet, btc: sats, feeBtc: fc.bigInt({ min: 0n, max: 3_000_000n }) }) },
      fc.record({ kind: fc.constant('draw' as const), loanId, principalUsd: cents }),
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('pledge' as const), loanId, wallet, btc: sats }) },
      // Smaller than most pledges, so releases and liquidations are often accepted.
      fc.record({ kind: fc.constant('release' as const), loanId, wallet, btc: fc.bigInt({ min: 1n, max: 30_000_000n }) }),
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('liquidate' as const), loanId, wallet, btc: fc.bigInt({ min: 1n, max: 30_000_000n }), proceedsUsd: cents }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('amend' as const), pick: fc.nat(), percent: fc.integer({ min: 1, max: 200 }), shiftMs: fc.integer({ min: -10 * DAY, max: 10 * DAY }) }) },
    ),
  });
};
export type BtcBookStep = ReturnType<typeof btcBookStep> extends fc.Arbitrary<infer S> ? S : never;

const SCALED = ['btc', 'proceedsUsd', 'costUsd', 'costBasisUsd', 'usdPerBtc', 'principalUsd'] as const;

/** amend-event on an earlier event: its own fields as the replacement, one amount scaled, moved in time. */
const amendment = (a: { pick: number; percent: number; shiftMs: number }, recorded: ReadonlyArray<RecordedBookEvent>): BookCommand | undefined => {
  if (recorded.length < 2) return undefined;
  const target = recorded[1 + (a.pick % (recorded.length - 1))]!;
  const changed: Record<string, unknown> = { ...target.event, effectiveAt: target.event.effectiveAt + a.shiftMs };
  const field = SCALED.find((name) => typeof changed[name] === 'bigint');
  if (field !== undefined) {
    const scaled = ((changed[field] as bigint) * BigInt(a.percent)) / 100n;
    changed[field] = scaled === 0n ? (changed[field] as bigint) : scaled;
  }
  const { type: _type, ...replacement } = BookEventCodec.encode(changed as RecordedBookEvent['event']);
  return { name: 'amend-event', body: { eventId: target.eventId, replacement, reason: 'test' } };
};

const toCommand = (s: BtcBookStep, effectiveAt: number, recorded: ReadonlyArray<RecordedBookEvent>): BookCommand | undefined => {
  const a = s.action;
  switch (a.kind) {
    case 'mine':
      return { name: 'record-mining-output', body: { effectiveAt, wallet: a.wallet, btc: a.btc, usdPerBtc: a.usdPerBtc } };
    case 'buy':
      return { name: 'record-btc-purchase', body: { effectiveAt, wallet: a.wallet, btc: a.btc, costUsd: a.costUsd, feesUsd: a.feesUsd } };
    case 'opening': {
      const heldFrom = a.atOpening ? OPENED : effectiveAt;
      const body = { wallet: a.wallet, btc: a.btc, costBasisUsd: a.costBasisUsd, acquiredAt: heldFrom - a.acquiredBeforeMs };
      return { name: 'record-opening-balance', body: a.atOpening ? body : { ...body, effectiveAt } };
    }
    case 'sell':
      return { name: 'record-btc-sale', body: { effectiveAt, wallet: a.wallet, btc: a.btc, proceedsUsd: a.proceedsUsd } };
    case 'pay':
      return { name: 'record-btc-payment', body: { effectiveAt, wallet: a.wallet, btc: a.btc, usdPerBtc: a.usdPerBtc, category: 'hosting' } };
    case 'transfer':
      return { name: 'transfer-btc', body: { effectiveAt, fromWallet: a.from, toWallet: a.to, btc: a.btc, feeBtc: a.feeBtc } };
    case 'draw':
      return { name: 'draw-loan', body: { effectiveAt, loanId: a.loanId, lender: 'L', principalUsd: a.principalUsd, annualRate: 50_000n, marginCallLtv: 700_000n, liquidationLtv: 850_000n } };
    case 'pledge':
      return { name: 'pledge-collateral', body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc } };
    case 'release':
      return { name: 'release-collateral', body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc } };
    case 'liquidate':
      return { name: 'liquidate-collateral', body: { effectiveAt, loanId: a.loanId, wallet: a.wallet, btc: a.btc, proceedsUsd: a.proceedsUsd } };
    case 'reverse':
      return recorded.length < 2 ? undefined : { name: 'reverse-event', body: { eventId: recorded[1 + (a.pick % (recorded.length - 1))]!.eventId, reason: 'test' } };
    case 'amend':
      return amendment(a, recorded);
  }
};

/** Runs the steps through the decider, keeping what it accepts, as the engine would record them. */
export const buildBtcBook = (steps: ReadonlyArray<BtcBookStep>): RecordedBook => {
  const book = new RecordedBook();
  if (E.isLeft(book.tryRecord(START, { name: 'open-book', body: { name: 'P', effectiveAt: OPENED } }))) throw new Error('open-book refused');
  let now = START;
  for (const s of steps) {
    now += s.recordGapMs;
    const cmd = toCommand(s, now - s.backdateMs, book.events);
    if (cmd !== undefined) book.tryRecord(now, cmd);
  }
  return book;
};
