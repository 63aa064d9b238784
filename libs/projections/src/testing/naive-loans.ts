import { RecordedBookEvent, balanceKey, dayCountTime } from '@treasury/domain';

/**
 * The reference for loans drawn with a dayCount, written the slow and obvious way: walk the loan's
 * live events in effective order and integrate segment by segment, interest as an exact fraction
 * (numerator over one denominator per convention: 1e6 micros × days in the year × ms in a day). Each
 * liquidation takes the interest owed just before it, rounded half-even to the cent, then principal;
 * the rest is cash. Nothing here shares code with the indexed projection but the day-count clock.
 */
const DAY_MS = 86_400_000n;

const roundHalfEven = (n: bigint, d: bigint): bigint => {
  const floor = n >= 0n ? n / d : -((-n + d - 1n) / d);
  const remainder2 = (n - floor * d) * 2n;
  if (remainder2 > d || (remainder2 === d && floor % 2n !== 0n)) return floor + 1n;
  return floor;
};

/**
 * Folds term loans into `balances` (keys as balanceEffects): principal, interest, the liquidations'
 * excess in their cash accounts. `live` are the live events at or before asOf in effective order.
 * Returns each term loan's rate at asOf.
 */
export const naiveTermLoans = (
  live: ReadonlyArray<RecordedBookEvent>,
  asOf: number,
  balances: Map<string, bigint>,
): Map<string, bigint> => {
  const rates = new Map<string, bigint>();
  const add = (key: string, delta: bigint) => balances.set(key, (balances.get(key) ?? 0n) + delta);
  for (const draw of live) {
    if (draw.event.type !== 'LoanDrawn' || draw.event.dayCount === undefined) continue;
    const { loanId, dayCount } = draw.event;
    const year = (dayCount === 'act/365' ? 365n : 360n) * DAY_MS * 1_000_000n;
    let principal = 0n;
    let interest = 0n; // × year
    let rate = 0n;
    let last: bigint | undefined;
    const advance = (to: number) => {
      const tau = BigInt(dayCountTime(dayCount, to));
      if (last !== undefined)
        for (let at = last; at < tau; at += tau - at > DAY_MS ? DAY_MS : tau - at)
          interest += rate * principal * (tau - at > DAY_MS ? DAY_MS : tau - at);
      last = tau;
    };
    for (const { event } of live) {
      if (!('loanId' in event) || event.loanId !== loanId) continue;
      advance(event.effectiveAt);
      switch (event.type) {
        case 'LoanDrawn':
          principal += event.principalUsd;
          rate = event.annualRate;
          break;
        case 'LoanRepriced':
          rate = event.annualRate;
          break;
        case 'LoanRepaid':
          principal -= event.principalUsd;
          interest -= event.interestUsd * year;
          break;
        case 'InterestAccrued':
          interest += event.interestUsd * year;
          break;
        case 'CollateralLiquidated': {
          const owed = roundHalfEven(interest, year);
          const toInterest = event.proceedsUsd < owed ? event.proceedsUsd : owed > 0n ? owed : 0n;
          const rest = event.proceedsUsd - toInterest;
          const toPrincipal = rest < principal ? rest : principal > 0n ? principal : 0n;
          interest -= toInterest * year;
          principal -= toPrincipal;
          add(balanceKey.cash(event.cashAccount), rest - toPrincipal);
          break;
        }
        default:
          break;
      }
    }
    advance(asOf);
    balances.set(balanceKey.principal(loanId), principal);
    balances.set(balanceKey.interest(loanId), roundHalfEven(interest, year));
    rates.set(loanId, rate);
  }
  return rates;
};
