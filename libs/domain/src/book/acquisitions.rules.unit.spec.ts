import { at, command, eventsOf, given, refusalOf } from '../testing/book-spec';

const BTC = 100_000_000n;
const opened = command('open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });

describe('record-opening-balance', () => {
  it('is one lot with its acquiredAt and cost, held from the book opening unless effectiveAt says otherwise', () => {
    const spec = given(opened);
    expect(
      eventsOf(
        spec.when(
          command('record-opening-balance', { wallet: 'cold', btc: '2', costBasisUsd: '20000.00', acquiredAt: '2021-03-01T00:00:00Z' }),
        ),
      ),
    ).toEqual([
      {
        type: 'OpeningBalanceRecorded',
        effectiveAt: at('2025-06-01T00:00:00Z'),
        wallet: 'cold',
        btc: 2n * BTC,
        costBasisUsd: 2_000_000n,
        acquiredAt: at('2021-03-01T00:00:00Z'),
      },
    ]);
    const later = eventsOf(
      spec.when(
        command('record-opening-balance', {
          wallet: 'cold',
          btc: '1',
          costBasisUsd: '0',
          acquiredAt: '2025-06-03T00:00:00Z',
          effectiveAt: '2025-06-05T00:00:00Z',
        }),
      ),
    );
    expect(later[0]).toMatchObject({ effectiveAt: at('2025-06-05T00:00:00Z'), costBasisUsd: 0n });
  });

  it('refuses a lot acquired after it is held, or held before the book opened', () => {
    const spec = given(opened);
    const late = refusalOf(
      spec.when(command('record-opening-balance', { wallet: 'cold', btc: '1', costBasisUsd: '1.00', acquiredAt: '2025-06-02T00:00:00Z' })),
    );
    expect(late).toMatchObject({ _tag: 'InvalidCommand', errors: [{ path: 'acquiredAt' }] });
    const early = refusalOf(
      spec.when(
        command('record-opening-balance', {
          wallet: 'cold',
          btc: '1',
          costBasisUsd: '1.00',
          acquiredAt: '2020-01-01T00:00:00Z',
          effectiveAt: '2025-05-01T00:00:00Z',
        }),
      ),
    );
    expect(early).toMatchObject({ _tag: 'RuleViolated', code: 'before-book-opened' });
  });
});

describe('record-btc-purchase and record-btc-payment', () => {
  const book = () =>
    given(
      opened,
      command('record-opening-cash', { effectiveAt: '2025-06-01T00:00:00Z', cashAccount: 'operating', amountUsd: '50000.00' }),
      command('record-opening-balance', { wallet: 'cold', btc: '1', costBasisUsd: '30000.00', acquiredAt: '2020-01-01T00:00:00Z' }),
    );

  it('pays a purchase at cost + fees from the cash account, never below zero', () => {
    const spec = book();
    expect(
      eventsOf(
        spec.when(
          command('record-btc-purchase', {
            effectiveAt: '2025-06-15T00:00:00Z',
            wallet: 'hot',
            btc: '0.5',
            costUsd: '40000.00',
            feesUsd: '100.00',
            venue: 'Kraken',
          }),
        ),
      ),
    ).toEqual([
      {
        type: 'BtcPurchased',
        effectiveAt: at('2025-06-15T00:00:00Z'),
        wallet: 'hot',
        btc: BTC / 2n,
        costUsd: 4_000_000n,
        feesUsd: 10_000n,
        cashAccount: 'operating',
        venue: 'Kraken',
      },
    ]);
    const short = refusalOf(
      spec.when(
        command('record-btc-purchase', {
          effectiveAt: '2025-06-15T00:00:00Z',
          wallet: 'hot',
          btc: '1',
          costUsd: '49950.00',
          feesUsd: '50.01',
        }),
      ),
    );
    expect(short).toMatchObject({ code: 'insufficient-cash' });
    // Before the opening cash there is none.
    const noCash = refusalOf(
      given(opened).when(command('record-btc-purchase', { effectiveAt: '2025-06-15T00:00:00Z', wallet: 'hot', btc: '1', costUsd: '1.00' })),
    );
    expect(noCash).toMatchObject({ code: 'insufficient-cash' });
  });

  it('pays BTC out of unencumbered BTC only, never below zero', () => {
    const spec = book();
    expect(
      eventsOf(
        spec.when(
          command('record-btc-payment', {
            effectiveAt: '2025-06-20T00:00:00Z',
            wallet: 'cold',
            btc: '0.25',
            usdPerBtc: '100000.00',
            category: 'hosting',
            counterparty: 'HostCo',
          }),
        ),
      ),
    ).toEqual([
      {
        type: 'BtcPaid',
        effectiveAt: at('2025-06-20T00:00:00Z'),
        wallet: 'cold',
        btc: BTC / 4n,
        usdPerBtc: 10_000_000n,
        category: 'hosting',
        counterparty: 'HostCo',
      },
    ]);
    expect(
      refusalOf(
        spec.when(
          command('record-btc-payment', {
            effectiveAt: '2025-06-20T00:00:00Z',
            wallet: 'cold',
            btc: '1.00000001',
            usdPerBtc: '1.00',
            category: 'power',
          }),
        ),
      ),
    ).toMatchObject({
      code: 'insufficient-unencumbered-btc',
    });
    const pledged = given(
      opened,
      command('record-opening-balance', { wallet: 'cold', btc: '1', costBasisUsd: '1.00', acquiredAt: '2020-01-01T00:00:00Z' }),
      command('draw-loan', {
        effectiveAt: '2025-06-02T00:00:00Z',
        loanId: 'L1',
        lender: 'B',
        principalUsd: '1000.00',
        annualRate: '0.1',
        marginCallLtv: '0.7',
        liquidationLtv: '0.8',
      }),
      command('pledge-collateral', { effectiveAt: '2025-06-03T00:00:00Z', loanId: 'L1', wallet: 'cold', btc: '1' }),
    );
    expect(
      refusalOf(
        pledged.when(
          command('record-btc-payment', {
            effectiveAt: '2025-06-20T00:00:00Z',
            wallet: 'cold',
            btc: '0.1',
            usdPerBtc: '1.00',
            category: 'power',
          }),
        ),
      ),
    ).toMatchObject({
      code: 'insufficient-unencumbered-btc',
    });
  });

  it('refuses reversing an opening balance that a later payment spent', () => {
    const spec = given(
      opened,
      command('record-opening-balance', { wallet: 'cold', btc: '1', costBasisUsd: '1.00', acquiredAt: '2020-01-01T00:00:00Z' }),
      command('record-btc-payment', {
        effectiveAt: '2025-06-20T00:00:00Z',
        wallet: 'cold',
        btc: '0.5',
        usdPerBtc: '1.00',
        category: 'power',
      }),
    );
    expect(refusalOf(spec.when(command('reverse-event', { eventId: spec.eventIds[1], reason: 'typo' })))).toMatchObject({
      code: 'insufficient-unencumbered-btc',
    });
  });
});

describe('amend-event on an opening balance', () => {
  it('replaces a migrated lot in one step, even when a payment depends on it, and refuses a replacement the payment cannot stand', () => {
    const spec = given(
      opened,
      command('record-opening-balance', { wallet: 'cold', btc: '1', costBasisUsd: '1.00', acquiredAt: '2020-01-01T00:00:00Z' }),
      command('record-btc-payment', {
        effectiveAt: '2025-06-20T00:00:00Z',
        wallet: 'cold',
        btc: '0.5',
        usdPerBtc: '1.00',
        category: 'power',
      }),
    );
    const replacement = { wallet: 'cold', btc: '0.75', costBasisUsd: '9000.00', acquiredAt: '2019-06-01T00:00:00Z' };
    const events = eventsOf(
      spec.when(command('amend-event', { eventId: spec.eventIds[1], replacement, reason: 'migrated cost was wrong' })),
    );
    expect(events.map((e) => e.type)).toEqual(['EventReversed', 'OpeningBalanceRecorded']);
    expect(events[1]).toMatchObject({
      btc: 75_000_000n,
      costBasisUsd: 900_000n,
      acquiredAt: at('2019-06-01T00:00:00Z'),
      effectiveAt: at('2025-06-01T00:00:00Z'),
    });
    const tooSmall = { ...replacement, btc: '0.4' };
    expect(refusalOf(spec.when(command('amend-event', { eventId: spec.eventIds[1], replacement: tooSmall, reason: 'x' })))).toMatchObject({
      code: 'insufficient-unencumbered-btc',
    });
  });
});
