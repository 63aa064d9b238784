import { AlertRaisedData } from '@treasury/domain';
import { RecordedBook } from '../testing/recorded-book';
import { AlertSubjectState, RaisedState, alertTransitions, currentAlertStates, isTransition, subjectKey } from './alert-rules';

/** The README's loan: $50,000,000 against 600 BTC at 107,135.33: LTV 0.777832, in margin call when drawn. */
const readmeBook = () => {
  const book = new RecordedBook();
  book.record('2025-06-01T00:00:00Z', 'open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
  book.record('2025-07-01T00:00:00Z', 'record-mining-output', {
    effectiveAt: '2025-06-30T23:59:59Z',
    wallet: 'cold',
    btc: '716.5',
    usdPerBtc: '107135.33',
  });
  book.record('2025-07-01T00:00:00Z', 'record-btc-price', { effectiveAt: '2025-06-30T23:59:59Z', usdPerBtc: '107135.33' });
  book.record('2025-07-01T00:00:00Z', 'draw-loan', {
    effectiveAt: '2025-07-01T00:00:00Z',
    loanId: 'coinbase',
    lender: 'Coinbase Credit',
    principalUsd: '50000000.00',
    annualRate: '0',
    marginCallLtv: '0.70',
    liquidationLtv: '0.85',
    maturityAt: '2026-07-01T00:00:00Z',
  });
  book.record('2025-07-01T00:00:00Z', 'pledge-collateral', {
    effectiveAt: '2025-07-01T00:00:00Z',
    loanId: 'coinbase',
    wallet: 'cold',
    btc: '600',
  });
  return book;
};

const statesAt = (book: RecordedBook, asOf: string) => {
  const projection = book.projection();
  return currentAlertStates(projection, Date.parse(asOf), projection.revision + 1, null);
};
const remember = (raised: Map<string, RaisedState>, transitions: ReadonlyArray<AlertSubjectState>) => {
  for (const t of transitions) raised.set(subjectKey(t.kind, t.subject), { kind: t.kind, subject: t.subject, state: t.state });
};
const pick = (transitions: ReturnType<typeof alertTransitions>) =>
  transitions.map((t) => `${t.kind}:${t.subject ?? ''}:${t.from}->${t.state}`);

describe('alert states', () => {
  it('the README loan is in margin call when drawn, with the figures that say so', () => {
    const states = statesAt(readmeBook(), '2025-07-01T12:00:00Z');
    const loan = states.find((s) => s.kind === 'loan-status')!;
    expect(loan).toMatchObject({ subject: 'coinbase', state: 'margin-call' });
    expect(loan.figures).toMatchObject({
      ltv: '0.777832',
      marginCallLtv: '0.700000',
      liquidationLtv: '0.850000',
      usdPerBtc: '107135.33',
      marginCallPriceUsd: '119047.61',
      outstandingUsd: '50000000.00',
    });
    expect(states.find((s) => s.kind === 'price-staleness')).toMatchObject({ state: 'fresh' });
    expect(states.find((s) => s.kind === 'hash-chain')).toMatchObject({ state: 'intact' });
  });

  it('a price older than the limit is stale, a book with no price has none', () => {
    const stale = statesAt(readmeBook(), '2025-07-02T00:00:00Z').find((s) => s.kind === 'price-staleness')!;
    expect(stale).toMatchObject({ state: 'stale', figures: { ageSeconds: '86401', maxAgeSeconds: '86400', usdPerBtc: '107135.33' } });
    const fresh = statesAt(readmeBook(), '2025-07-01T23:59:59Z').find((s) => s.kind === 'price-staleness')!;
    expect(fresh.state).toBe('fresh');
    const empty = new RecordedBook();
    empty.record('2025-06-01T00:00:00Z', 'open-book', { name: 'Empty', effectiveAt: '2025-06-01T00:00:00Z' });
    expect(statesAt(empty, '2025-07-01T00:00:00Z').find((s) => s.kind === 'price-staleness')!.state).toBe('none');
  });

  it('a reported figure beyond the tolerance flags its row, named by the report event, with the difference', () => {
    const book = readmeBook();
    const [reportId] = book.record('2025-07-02T00:00:00Z', 'record-reported-holdings', {
      effectiveAt: '2025-07-01T12:00:00Z',
      btc: '716.0',
      source: 'custodian-statement',
    });
    const row = statesAt(book, '2025-07-01T12:00:00Z').find((s) => s.kind === 'reconciliation')!;
    expect(row).toMatchObject({
      subject: reportId,
      state: 'flagged',
      figures: {
        'btc.reported': '716.00000000',
        'btc.ledger': '716.50000000',
        'btc.difference': '-0.50000000',
        toleranceBtc: '0.10000000',
      },
    });
  });

  it('a broken chain is named with its link', () => {
    const projection = readmeBook().projection();
    const chain = currentAlertStates(projection, Date.parse('2025-07-01T12:00:00Z'), projection.revision + 1, {
      reason: 'hash-mismatch',
      eventId: 'e1',
      revision: 3,
      expected: 'aa',
      found: 'bb',
    }).find((s) => s.kind === 'hash-chain')!;
    expect(chain).toMatchObject({ state: 'broken', figures: { reason: 'hash-mismatch', eventId: 'e1', revision: '3' } });
  });
});

describe('transitions', () => {
  it('raises each transition once: drawn in margin call, the same state again raises nothing, back to open raises the way back', () => {
    const book = readmeBook();
    const raised = new Map<string, RaisedState>();
    const first = alertTransitions(raised, statesAt(book, '2025-07-01T12:00:00Z'));
    expect(pick(first)).toEqual(['loan-status:coinbase:open->margin-call']);
    remember(raised, first);
    // A second identical price: nothing changes, nothing is raised.
    book.record('2025-07-01T13:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-01T12:00:00Z', usdPerBtc: '107135.33' });
    expect(alertTransitions(raised, statesAt(book, '2025-07-01T13:00:00Z'))).toEqual([]);
    // Past the liquidation price (98,039.21), then back above the margin-call price (119,047.61).
    book.record('2025-07-01T14:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-01T13:30:00Z', usdPerBtc: '98039.21' });
    const down = alertTransitions(raised, statesAt(book, '2025-07-01T14:00:00Z'));
    expect(pick(down)).toEqual(['loan-status:coinbase:margin-call->liquidatable']);
    remember(raised, down);
    book.record('2025-07-01T15:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-01T14:30:00Z', usdPerBtc: '119047.62' });
    const back = alertTransitions(raised, statesAt(book, '2025-07-01T15:00:00Z'));
    expect(pick(back)).toEqual(['loan-status:coinbase:liquidatable->open']);
    remember(raised, back);
    expect(alertTransitions(raised, statesAt(book, '2025-07-01T15:00:00Z'))).toEqual([]);
  });

  it('maturity passing is a transition; a loan closed while alarming leaves to closed', () => {
    const book = readmeBook();
    const raised = new Map<string, RaisedState>();
    remember(raised, alertTransitions(raised, statesAt(book, '2025-07-01T12:00:00Z')));
    book.record('2025-07-01T13:00:00Z', 'record-btc-price', { effectiveAt: '2025-07-01T12:00:00Z', usdPerBtc: '200000.00' });
    // Open again, then matured on 2026-07-01 (the price is long stale by then too).
    const later = alertTransitions(raised, statesAt(book, '2026-07-01T00:00:00Z'));
    expect(pick(later).sort()).toEqual(['loan-status:coinbase:margin-call->matured', 'price-staleness::fresh->stale']);
    const gone = alertTransitions(
      new Map([[subjectKey('loan-status', 'old'), { kind: 'loan-status', subject: 'old', state: 'margin-call' }]]),
      [],
    );
    expect(pick(gone)).toEqual(['loan-status:old:margin-call->closed']);
  });

  it('quiet states are not alerts among themselves; alarming ones are, in and out and between', () => {
    expect(isTransition('loan-status', 'open', 'repaid')).toBe(false);
    expect(isTransition('loan-status', 'open', 'margin-call')).toBe(true);
    expect(isTransition('loan-status', 'margin-call', 'liquidatable')).toBe(true);
    expect(isTransition('loan-status', 'margin-call', 'repaid')).toBe(true);
    expect(isTransition('loan-status', 'margin-call', 'margin-call')).toBe(false);
    expect(isTransition('price-staleness', 'none', 'fresh')).toBe(false);
    expect(isTransition('price-staleness', 'fresh', 'stale')).toBe(true);
    expect(isTransition('reconciliation', 'clear', 'flagged')).toBe(true);
    expect(isTransition('hash-chain', 'broken', 'intact')).toBe(true);
  });
});

describe('the AlertRaised codec', () => {
  it('round-trips both causes (an event, a timer instant) and refuses unknown fields', () => {
    const base = {
      kind: 'price-staleness',
      subject: null,
      from: 'fresh',
      to: 'stale',
      figures: { ageSeconds: '86401' },
      detectedAt: '2026-03-02T11:00:01.000Z',
    };
    for (const causedBy of [{ timer: '2026-03-02T11:00:01.000Z' }, { eventId: 'e-1', logPosition: '42' }]) {
      const decoded = AlertRaisedData.decode({ ...base, causedBy });
      expect(decoded._tag).toBe('Right');
      if (decoded._tag === 'Right') expect(AlertRaisedData.encode(decoded.right)).toEqual({ ...base, causedBy });
    }
    expect(AlertRaisedData.decode({ ...base, causedBy: { timer: '2026-03-02T11:00:01.000Z', extra: 1 } })._tag).toBe('Left');
    expect(AlertRaisedData.decode({ ...base, kind: 'weather', causedBy: { timer: '2026-03-02T11:00:01.000Z' } })._tag).toBe('Left');
  });
});
