import { BookEventOf, DEFAULT_PRICE_MAX_AGE_SECONDS, RecordedBookEvent, balanceEffects } from '@treasury/domain';
import { lotCost, partialCost } from '../book/fifo';
import { LoanTerms, RawPosition, loanTerms } from '../book/raw-position';
import { naiveTermLoans } from './naive-loans';

/**
 * The reference: what a position means, computed the slow and obvious way. Keep the events known at
 * knownAt, drop those a known reversal took back, keep those effective at or before asOf, sort by
 * (effectiveAt, revision) and fold. The indexed projection must agree with this on every book.
 */
export const naiveRaw = (events: ReadonlyArray<RecordedBookEvent>, asOf: number, knownAt: number): RawPosition => {
  const known = events.filter((e) => e.recordedAt <= knownAt);
  const reversed = new Set(known.flatMap((e) => (e.event.type === 'EventReversed' ? [e.event.eventId] : [])));
  const live = known
    .filter((e) => e.event.type !== 'EventReversed' && !reversed.has(e.eventId) && e.event.effectiveAt <= asOf)
    .sort((a, b) => a.event.effectiveAt - b.event.effectiveAt || a.revision - b.revision);

  const balances = new Map<string, bigint>();
  // FIFO lots in queue order: by acquisition time (an opening lot's acquiredAt, any other its effectiveAt), then revision.
  const lots: Array<{ at: number; revision: number; btc: bigint; cost: bigint }> = [];
  let openingPendingUsd = 0n;
  // An opening lot is in the queue from its acquiredAt, even before the effectiveAt it is held from.
  for (const { event, revision, eventId } of known) {
    if (event.type === 'OpeningBalanceRecorded' && !reversed.has(eventId) && event.acquiredAt <= asOf) {
      lots.push({ at: event.acquiredAt, revision, btc: event.btc, cost: event.costBasisUsd });
      if (event.effectiveAt > asOf) openingPendingUsd += event.costBasisUsd;
    }
  }
  const loans: Array<LoanTerms & { drawnAt: number }> = [];
  let disposedBtc = 0n;
  let proceedsUsd = 0n;
  let price: RawPosition['price'] = null;
  for (const { event, revision } of live) {
    for (const effect of balanceEffects(event)) balances.set(effect.key, (balances.get(effect.key) ?? 0n) + effect.delta);
    switch (event.type) {
      case 'MiningOutputReceived':
        lots.push({ at: event.effectiveAt, revision, btc: event.btc, cost: lotCost(event.btc, event.usdPerBtc) });
        break;
      case 'BtcPurchased':
        lots.push({ at: event.effectiveAt, revision, btc: event.btc, cost: event.costUsd + event.feesUsd });
        break;
      case 'BtcPaid':
        disposedBtc += event.btc;
        proceedsUsd += lotCost(event.btc, event.usdPerBtc);
        break;
      case 'BtcSold':
      case 'CollateralLiquidated':
        disposedBtc += event.btc;
        proceedsUsd += event.proceedsUsd;
        break;
      case 'BtcTransferred':
        disposedBtc += event.feeBtc;
        break;
      case 'BtcPriceObserved':
        price = { usdPerBtc: event.usdPerBtc, effectiveAt: event.effectiveAt };
        break;
      case 'LoanDrawn':
        loans.push(terms(event));
        break;
      default:
        break;
    }
  }
  // FIFO relief: walk the lots oldest first until the disposed satoshis are covered.
  let relievedCostUsd = 0n;
  let remaining = disposedBtc;
  lots.sort((a, b) => a.at - b.at || a.revision - b.revision);
  for (const lot of lots) {
    if (remaining === 0n) break;
    const take = remaining < lot.btc ? remaining : lot.btc;
    relievedCostUsd += partialCost(lot.cost, lot.btc, take);
    remaining -= take;
  }
  if (remaining > 0n) throw new Error('naive replay: more disposed than acquired');
  // Loans drawn with a dayCount: accrual from the terms and the liquidation waterfall (naive-loans.ts).
  const rates = naiveTermLoans(live, asOf, balances);
  return {
    asOf,
    version: known.length,
    balances,
    loans: loans.map((loan) => (rates.has(loan.loanId) ? { ...loan, annualRate: rates.get(loan.loanId)! } : loan)),
    acquiredBtc: lots.reduce((a, l) => a + l.btc, 0n),
    acquiredCostUsd: lots.reduce((a, l) => a + l.cost, 0n),
    disposedBtc,
    proceedsUsd,
    relievedCostUsd,
    openingPendingUsd,
    price,
    // A setting applies from when it is recorded, whatever asOf: the last one known and not reversed.
    priceMaxAgeSeconds:
      known
        .filter((e) => !reversed.has(e.eventId))
        .reduce<number | undefined>((age, e) => (e.event.type === 'PriceStalenessSet' ? e.event.maxAgeSeconds : age), undefined) ??
      DEFAULT_PRICE_MAX_AGE_SECONDS,
  };
};

const terms = (event: BookEventOf<'LoanDrawn'>): LoanTerms & { drawnAt: number } => ({ ...loanTerms(event), drawnAt: event.effectiveAt });
