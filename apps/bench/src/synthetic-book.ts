import * as E from 'fp-ts/Either';
import {
  BookCommand,
  BookEvent,
  BookState,
  decide,
  decodeBookCommand,
  divRoundHalfEven,
  evolve,
  initialState,
  recordingTime,
} from '@treasury/domain';

/**
 * A synthetic mining treasury, ten years long: two pools paying every 10 minutes, a daily price,
 * weekly sales and sweeps to cold storage, a quarterly BTC-backed loan (drawn, collateralised, accruing
 * monthly, repaid and released), 1% of payouts recorded late (back-dated up to three days) and one
 * payout in 5,000 reversed. Every command goes through the real decider, so the book is one the
 * engine would accept.
 */
export interface SyntheticOptions {
  readonly years: number;
  readonly seed: number;
}

export interface DecidedEvent {
  readonly recordedAt: number;
  readonly event: BookEvent;
  readonly command: BookCommand['name'];
}

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;
const START = Date.parse('2016-01-01T00:00:00Z');

/** mulberry32: a tiny seeded PRNG, so every run builds the same book. */
const random = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const iso = (ms: number) => new Date(ms).toISOString();
const btc = (sats: bigint) => `${sats / 100_000_000n}.${(sats % 100_000_000n).toString().padStart(8, '0')}`;
const usd = (cents: bigint) => `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;

export interface SyntheticBook {
  readonly refused: number;
  readonly decideMs: number;
}

/** Decides the whole history, handing each accepted event (with its id) to `onEvent` in log order. */
export const buildSyntheticBook = (
  options: SyntheticOptions,
  onEvent: (decided: DecidedEvent, eventId: string, revision: number) => void,
): SyntheticBook => {
  const rand = random(options.seed);
  const state: BookState = initialState();
  let refused = 0;
  let revision = -1;
  const started = performance.now();
  const record = (now: number, name: BookCommand['name'], body: Record<string, unknown>): string | undefined => {
    const command = decodeBookCommand(name, body);
    if (E.isLeft(command)) throw new Error(`synthetic ${name} does not decode: ${JSON.stringify(command.left)}`);
    const at = recordingTime(state, now);
    const decision = decide(command.right, state, { now: at });
    if (E.isLeft(decision)) {
      refused += 1;
      return undefined;
    }
    let last: string | undefined;
    for (const event of decision.right) {
      revision += 1;
      const eventId = `00000000-0000-4000-8000-${revision.toString(16).padStart(12, '0')}`;
      evolve(state, { eventId, revision, recordedAt: at, event });
      onEvent({ recordedAt: at, event, command: name }, eventId, revision);
      last = eventId;
    }
    return last;
  };

  record(START, 'open-book', { name: 'Synthetic Mining Co.', effectiveAt: iso(START) });
  let price = 43_000n; // cents per BTC: $430 at the start of 2016
  let payouts = 0;
  let cashCents = 0n;
  let loan: { id: string; principal: bigint; interest: bigint; pledged: bigint; drawnAt: number } | undefined;
  const end = START + Math.round(options.years * 365.25 * DAY);
  for (let now = START + 10 * MINUTE; now <= end; now += 10 * MINUTE) {
    const minuteOfDay = (now - START) % DAY;
    const day = Math.floor((now - START) / DAY);
    if (minuteOfDay === 0) {
      // A bounded random walk, drifting up: about $100k after ten years.
      const drift = 1.0012 + (rand() - 0.5) * 0.06;
      price = BigInt(Math.max(10_000, Math.round(Number(price) * drift)));
      if (price > 20_000_000n) price = 20_000_000n;
      record(now, 'record-btc-price', { effectiveAt: iso(now), usdPerBtc: usd(price), source: 'synthetic close' });
    }
    for (const pool of ['foundry', 'antpool']) {
      const sats = BigInt(4_000_000 + Math.floor(rand() * 2_000_000));
      // 1% arrive late: recorded now, effective up to three days earlier.
      const effectiveAt = rand() < 0.01 ? now - Math.floor(rand() * 3 * DAY) : now;
      const id = record(now, 'record-mining-output', {
        effectiveAt: iso(effectiveAt),
        wallet: pool,
        btc: btc(sats),
        usdPerBtc: usd(price),
        pool,
      });
      payouts += 1;
      if (id !== undefined && payouts % 5_000 === 0)
        record(now + MINUTE, 'reverse-event', { eventId: id, reason: 'duplicate pool statement line' });
    }
    // Weekly on day 7k at noon: sell from one pool wallet, sweep the other to cold storage.
    if (day % 7 === 6 && minuteOfDay === 720 * MINUTE) {
      const sold = 4_000_000_000n;
      const proceeds = (sold * price * 99n) / 100n / 100_000_000n;
      if (
        record(now, 'record-btc-sale', {
          effectiveAt: iso(now),
          wallet: 'foundry',
          btc: btc(sold),
          proceedsUsd: usd(proceeds),
          feesUsd: usd(proceeds / 200n),
          venue: 'OTC',
        }) !== undefined
      ) {
        cashCents += proceeds;
      }
      record(now, 'transfer-btc', { effectiveAt: iso(now), fromWallet: 'antpool', toWallet: 'cold', btc: '40', feeBtc: '0.0001' });
    }
    // Quarterly loans accruing 9% act/365 from their terms, with a monthly fee charged on top: drawn on
    // day 91k, repaid (principal, the terms' interest and the fees) and released on day 91k + 90.
    if (minuteOfDay === 360 * MINUTE) {
      const quarterDay = day % 91;
      if (quarterDay === 1 && loan === undefined) {
        const id = `loan-${day}`;
        const principal = (100n * price * 40n) / 100n; // 40% LTV on 100 BTC
        if (
          record(now, 'draw-loan', {
            effectiveAt: iso(now),
            loanId: id,
            lender: 'Synthetic Credit',
            principalUsd: usd(principal),
            annualRate: '0.09',
            marginCallLtv: '0.70',
            liquidationLtv: '0.85',
          }) !== undefined
        ) {
          loan = { id, principal, interest: 0n, pledged: 0n, drawnAt: now };
          cashCents += principal;
          if (record(now, 'pledge-collateral', { effectiveAt: iso(now), loanId: id, wallet: 'cold', btc: '100' }) !== undefined)
            loan.pledged = 10_000_000_000n;
        }
      } else if (loan !== undefined && quarterDay % 30 === 0 && quarterDay < 90) {
        const interest = loan.principal / 1200n; // a monthly fee of 0.0833%
        if (
          interest > 0n &&
          record(now, 'accrue-interest', { effectiveAt: iso(now), loanId: loan.id, interestUsd: usd(interest) }) !== undefined
        )
          loan.interest += interest;
      } else if (loan !== undefined && quarterDay === 90 && cashCents >= loan.principal + loan.interest + loan.principal / 40n) {
        // What the terms accrued, rounded half-even once as the position shows it: paying it closes the loan.
        const fromTerms = divRoundHalfEven(loan.principal * 90_000n * BigInt(now - loan.drawnAt), 1_000_000n * 365n * BigInt(DAY));
        const interest = loan.interest + fromTerms;
        if (
          record(now, 'repay-loan', {
            effectiveAt: iso(now),
            loanId: loan.id,
            principalUsd: usd(loan.principal),
            interestUsd: usd(interest),
          }) !== undefined
        ) {
          cashCents -= loan.principal + interest;
          if (loan.pledged > 0n)
            record(now, 'release-collateral', { effectiveAt: iso(now), loanId: loan.id, wallet: 'cold', btc: btc(loan.pledged) });
          loan = undefined;
        }
      }
    }
  }
  return { refused, decideMs: performance.now() - started };
};
