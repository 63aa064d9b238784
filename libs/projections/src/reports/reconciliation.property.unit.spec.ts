import fc from 'fast-check';
import { BookCommand, RecordedBookEvent } from '@treasury/domain';
import { RecordedBook } from '../testing/recorded-book';
import { BookProjection } from '../book/book-projection';
import { positionFrom } from '../book/position';
import { naiveRaw } from '../testing/naive-replay';
import { DEFAULT_RECONCILIATION_TOLERANCE_CENTS, DEFAULT_RECONCILIATION_TOLERANCE_SATS, reconciliation } from './reconciliation';

/**
 * Property: reconciliation by scope on random books (mining into two wallets, transfers, sales, a loan
 * with pledged BTC, reports of every scope and source, tolerance settings per source, back-dating and
 * reversals, all decided by the real decider) equals a naive recomputation: each live report beside the
 * naive replay's figures for the same scope, date and period, held to the tolerance that applies.
 */
const DAY = 86_400_000;
const START = Date.parse('2025-03-01T00:00:00Z');
const wallet = fc.constantFrom('cold', 'hot');
const source = fc.constantFrom('operational-update', 'custodian-statement', 'lender-statement');
const sats = fc.bigInt({ min: 1n, max: 3_000_000_000n });

const step = fc.record({
  recordGapMs: fc.integer({ min: 0, max: DAY }),
  backdateMs: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: DAY }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 * DAY }) },
  ),
  action: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('mine' as const), wallet, btc: fc.bigInt({ min: 10_000_000n, max: 5_000_000_000n }) }),
    },
    fc.record({ kind: fc.constant('transfer' as const), from: wallet, btc: sats }),
    fc.record({ kind: fc.constant('sell' as const), wallet, btc: sats }),
    fc.record({ kind: fc.constant('pledge' as const), wallet, btc: sats }),
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('report' as const),
        scope: fc.constantFrom<'company' | 'wallet' | 'loan'>('company', 'wallet', 'loan'),
        wallet,
        source,
        btc: fc.bigInt({ min: 0n, max: 20_000_000_000n }),
        withFlows: fc.boolean(),
        outstanding: fc.option(fc.bigInt({ min: 0n, max: 200_000_000n })),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('tolerance' as const),
        source: fc.option(source),
        btc: fc.bigInt({ min: 0n, max: 500_000_000n }),
        usd: fc.option(fc.bigInt({ min: 0n, max: 1_000_000n })),
      }),
    },
    fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }),
  ),
});
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const toCommand = (s: Step, effectiveAt: number, eventIds: ReadonlyArray<string>): BookCommand | undefined => {
  const a = s.action;
  switch (a.kind) {
    case 'mine':
      return { name: 'record-mining-output', body: { effectiveAt, wallet: a.wallet, btc: a.btc, usdPerBtc: 5_000_000n } };
    case 'transfer':
      return {
        name: 'transfer-btc',
        body: { effectiveAt, fromWallet: a.from, toWallet: a.from === 'cold' ? 'hot' : 'cold', btc: a.btc },
      } as BookCommand;
    case 'sell':
      return { name: 'record-btc-sale', body: { effectiveAt, wallet: a.wallet, btc: a.btc, proceedsUsd: 100n } } as BookCommand;
    case 'pledge':
      return { name: 'pledge-collateral', body: { effectiveAt, loanId: 'l1', wallet: a.wallet, btc: a.btc } };
    case 'report': {
      const scope = a.scope === 'company' ? 'company' : a.scope === 'wallet' ? { wallet: a.wallet } : { loanId: 'l1' };
      return {
        name: 'record-reported-holdings',
        body: {
          effectiveAt,
          btc: a.btc,
          source: a.source,
          scope,
          ...(a.scope !== 'loan' && a.withFlows ? { pledgedBtc: a.btc / 3n } : {}),
          ...(a.scope === 'company' && a.withFlows ? { minedBtc: a.btc / 2n, soldBtc: a.btc / 5n } : {}),
          ...(a.scope === 'loan' && a.outstanding !== null ? { outstandingUsd: a.outstanding } : {}),
        },
      } as BookCommand;
    }
    case 'tolerance':
      return {
        name: 'set-reconciliation-tolerance',
        body: { btc: a.btc, ...(a.source === null ? {} : { source: a.source }), ...(a.usd === null ? {} : { usd: a.usd }) },
      } as BookCommand;
    case 'reverse':
      return eventIds.length < 2
        ? undefined
        : { name: 'reverse-event', body: { eventId: eventIds[1 + (a.pick % (eventIds.length - 1))]!, reason: 'test' } };
  }
};

const buildBook = (steps: ReadonlyArray<Step>): ReadonlyArray<RecordedBookEvent> => {
  const book = new RecordedBook();
  let now = START;
  const record = (cmd: BookCommand) => book.tryRecord(now, cmd);
  record({ name: 'open-book', body: { name: 'R', effectiveAt: START - 365 * DAY } });
  record({
    name: 'record-mining-output',
    body: { effectiveAt: START - 100 * DAY, wallet: 'cold', btc: 4_000_000_000n, usdPerBtc: 5_000_000n },
  });
  record({
    name: 'draw-loan',
    body: {
      effectiveAt: START - 100 * DAY,
      loanId: 'l1',
      lender: 'L',
      principalUsd: 50_000_000n,
      annualRate: 80_000n,
      marginCallLtv: 700_000n,
      liquidationLtv: 850_000n,
      dayCount: 'act/365',
    },
  } as BookCommand);
  for (const s of steps) {
    now += s.recordGapMs;
    const cmd = toCommand(
      s,
      now - s.backdateMs,
      book.events.map((r) => r.eventId),
    );
    if (cmd !== undefined) record(cmd);
  }
  return book.events;
};

/** The naive side: live events known at `knownAt`, read straight off the list. */
const naiveReconciliation = (events: ReadonlyArray<RecordedBookEvent>, knownAt: number) => {
  const known = events.filter((e) => e.recordedAt <= knownAt);
  const reversed = new Set(known.flatMap((e) => (e.event.type === 'EventReversed' ? [e.event.eventId] : [])));
  const live = known.filter((e) => !reversed.has(e.eventId));
  const settings = live.flatMap((e) => (e.event.type === 'ReconciliationToleranceSet' ? [e.event] : []));
  const toleranceOf = (reportSource: string) => {
    const setting =
      [...settings].reverse().find((t) => t.source === reportSource) ?? [...settings].reverse().find((t) => t.source === undefined);
    return { btc: setting?.btc ?? DEFAULT_RECONCILIATION_TOLERANCE_SATS, usd: setting?.usd ?? DEFAULT_RECONCILIATION_TOLERANCE_CENTS };
  };
  const flow = (type: 'MiningOutputReceived' | 'BtcSold', from: number, through: number) =>
    live.reduce(
      (sum, e) => (e.event.type === type && e.event.effectiveAt >= from && e.event.effectiveAt <= through ? sum + e.event.btc : sum),
      0n,
    );
  return live.flatMap((e) => {
    if (e.event.type !== 'HoldingsReported') return [];
    const report = e.event;
    const position = positionFrom(naiveRaw(events, report.effectiveAt, knownAt));
    const scope = report.scope ?? 'company';
    const tolerance = toleranceOf(report.source);
    const line = (reported: bigint | undefined, ledger: bigint, limit: bigint) =>
      reported === undefined
        ? null
        : { reported, ledger, difference: reported - ledger, flagged: (reported > ledger ? reported - ledger : ledger - reported) > limit };
    let lines;
    if (scope === 'company') {
      lines = {
        btc: line(report.btc, position.holdings.btc, tolerance.btc),
        pledgedBtc: line(report.pledgedBtc, position.holdings.pledgedBtc, tolerance.btc),
        minedBtc: line(report.minedBtc, flow('MiningOutputReceived', report.periodStart, report.effectiveAt), tolerance.btc),
        soldBtc: line(report.soldBtc, flow('BtcSold', report.periodStart, report.effectiveAt), tolerance.btc),
        outstandingUsd: null,
      };
    } else if ('wallet' in scope) {
      const held = position.holdings.wallets.get(scope.wallet);
      lines = {
        btc: line(report.btc, held?.btc ?? 0n, tolerance.btc),
        pledgedBtc: line(report.pledgedBtc, held?.pledgedBtc ?? 0n, tolerance.btc),
        minedBtc: null,
        soldBtc: null,
        outstandingUsd: null,
      };
    } else {
      const loan = position.loans.get(scope.loanId);
      lines = {
        btc: line(report.btc, loan?.pledgedBtc ?? 0n, tolerance.btc),
        pledgedBtc: null,
        minedBtc: null,
        soldBtc: null,
        outstandingUsd: line(report.outstandingUsd, loan?.outstandingUsd ?? 0n, tolerance.usd),
      };
    }
    return [{ revision: e.revision, scope: typeof scope === 'string' ? scope : 'wallet' in scope ? 'wallet' : 'loan', tolerance, lines }];
  });
};

describe('reconciliation by scope (property)', () => {
  it('equals the naive recomputation for every scope, source and tolerance, at every knownAt', () => {
    let rows = 0;
    const scopes = new Set<string>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 60 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (steps, cuts) => {
        const events = buildBook(steps);
        const projection = new BookProjection();
        for (const event of events) projection.apply(event);
        for (const cut of cuts) {
          const knownAt = events[cut % events.length]!.recordedAt;
          const byRevision = (a: { revision: number }, b: { revision: number }) => a.revision - b.revision;
          const expected = naiveReconciliation(events, knownAt).sort(byRevision);
          const actual = reconciliation(projection, projection.versionAt(knownAt))
            .reports.map(({ report, tolerance, lines }) => {
              const scope = report.scope ?? 'company';
              return {
                revision: report.revision,
                scope: typeof scope === 'string' ? scope : 'wallet' in scope ? 'wallet' : 'loan',
                tolerance: { btc: tolerance.btc, usd: tolerance.usd },
                lines,
              };
            })
            .sort(byRevision);
          expect(actual).toEqual(expected);
          rows += expected.length;
          for (const row of actual) scopes.add(row.scope);
        }
      }),
      { numRuns: 200, seed: 20261125 },
    );
    // The generator must reach reports of every scope, or the property says little.
    expect(rows).toBeGreaterThan(200);
    expect([...scopes].sort()).toEqual(['company', 'loan', 'wallet']);
  });
});
