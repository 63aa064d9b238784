import * as E from 'fp-ts/Either';
import { command, eventsOf, given, refusalOf } from '../testing/book-spec';
import { OPENING_WINDOW_RULE } from './opening-window.rules';

/**
 * The reviewer's book (finding 1): 06-10 mined 2 BTC, 06-20 sold 1 BTC, then an opening balance of 1
 * BTC acquired in 2019 and held from 07-02. FIFO would have relieved the 2019 lot by the June sale.
 */
const opened = command('open-book', { name: 'Acme', effectiveAt: '2025-06-01T00:00:00Z' });
const mined = command('record-mining-output', { effectiveAt: '2025-06-10T00:00:00Z', wallet: 'cold', btc: '2', usdPerBtc: '50000.00' });
const sale = (effectiveAt: string, wallet = 'cold') =>
  command('record-btc-sale', { effectiveAt, wallet, btc: '1', proceedsUsd: '60000.00' });
const opening = (acquiredAt: string, effectiveAt: string, wallet = 'cold') =>
  command('record-opening-balance', { wallet, btc: '1', costBasisUsd: '10000.00', acquiredAt, effectiveAt });
const rule = { _tag: 'RuleViolated', code: OPENING_WINDOW_RULE };

describe('an opening lot is never relieved before it is held', () => {
  it('refuses an opening balance whose [acquiredAt, effectiveAt) window holds a live sale', () => {
    const spec = given(opened, mined, sale('2025-06-20T00:00:00Z'));
    const refused = refusalOf(spec.when(opening('2019-01-01T00:00:00Z', '2025-07-02T00:00:00Z')));
    expect(refused).toMatchObject(rule);
    expect(JSON.stringify(refused)).toContain('2025-06-20T00:00:00.000Z');
    // Held from the sale's instant on (or acquired after it), the lot meets no disposal.
    expect(eventsOf(spec.when(opening('2019-01-01T00:00:00Z', '2025-06-20T00:00:00Z')))).toHaveLength(1);
    expect(eventsOf(spec.when(opening('2025-06-20T00:00:01Z', '2025-07-02T00:00:00Z')))).toHaveLength(1);
  });

  it('is company-wide: a sale from another wallet, a BTC payment, a liquidation or a transfer fee blocks it too', () => {
    const two = command('record-mining-output', { effectiveAt: '2025-06-10T00:00:00Z', wallet: 'hot', btc: '2', usdPerBtc: '50000.00' });
    const late = opening('2019-01-01T00:00:00Z', '2025-07-02T00:00:00Z', 'cold');
    expect(refusalOf(given(opened, two, sale('2025-06-20T00:00:00Z', 'hot')).when(late))).toMatchObject(rule);
    const payment = command('record-btc-payment', {
      effectiveAt: '2025-06-20T00:00:00Z',
      wallet: 'hot',
      btc: '0.1',
      usdPerBtc: '60000.00',
      category: 'power',
    });
    expect(refusalOf(given(opened, two, payment).when(late))).toMatchObject(rule);
    const fee = command('transfer-btc', {
      effectiveAt: '2025-06-20T00:00:00Z',
      fromWallet: 'hot',
      toWallet: 'pool',
      btc: '1',
      feeBtc: '0.0001',
    });
    expect(refusalOf(given(opened, two, fee).when(late))).toMatchObject(rule);
    const liquidation = [
      command('draw-loan', {
        effectiveAt: '2025-06-11T00:00:00Z',
        loanId: 'L1',
        lender: 'B',
        principalUsd: '1000.00',
        annualRate: '0.1',
        marginCallLtv: '0.7',
        liquidationLtv: '0.8',
      }),
      command('pledge-collateral', { effectiveAt: '2025-06-12T00:00:00Z', loanId: 'L1', wallet: 'hot', btc: '1' }),
      command('liquidate-collateral', {
        effectiveAt: '2025-06-20T00:00:00Z',
        loanId: 'L1',
        wallet: 'hot',
        btc: '0.1',
        proceedsUsd: '500.00',
      }),
    ];
    expect(refusalOf(given(opened, two, ...liquidation).when(late))).toMatchObject(rule);
  });

  it('a transfer without a fee blocks only its source wallet (wallet-fifo would move the queued lot)', () => {
    const move = command('transfer-btc', { effectiveAt: '2025-06-20T00:00:00Z', fromWallet: 'cold', toWallet: 'hot', btc: '1' });
    const spec = given(opened, mined, move);
    expect(refusalOf(spec.when(opening('2019-01-01T00:00:00Z', '2025-07-02T00:00:00Z', 'cold')))).toMatchObject(rule);
    expect(E.isRight(spec.when(opening('2019-01-01T00:00:00Z', '2025-07-02T00:00:00Z', 'hot')))).toBe(true);
  });

  it('refuses a disposal back-dated into a live window, and allows it once the window is reversed', () => {
    const spec = given(opened, mined, opening('2019-01-01T00:00:00Z', '2025-07-02T00:00:00Z'));
    expect(refusalOf(spec.when(sale('2025-06-20T00:00:00Z')))).toMatchObject(rule);
    expect(refusalOf(spec.when(sale('2025-06-20T00:00:00Z', 'cold')))).toMatchObject({
      detail: expect.stringContaining(spec.eventIds[2]!),
    });
    // At the instant the lot is held from, it is held: FIFO may relieve it.
    expect(eventsOf(spec.when(sale('2025-07-02T00:00:00Z')))).toHaveLength(1);
    const reversed = given(opened, mined, opening('2019-01-01T00:00:00Z', '2025-07-02T00:00:00Z'));
    const target = reversed.eventIds[2]!;
    const withReversal = given(
      opened,
      mined,
      opening('2019-01-01T00:00:00Z', '2025-07-02T00:00:00Z'),
      command('reverse-event', { eventId: target, reason: 'typo' }),
    );
    expect(eventsOf(withReversal.when(sale('2025-06-20T00:00:00Z')))).toHaveLength(1);
  });

  it('a reversed disposal no longer blocks', () => {
    const spec = given(opened, mined, sale('2025-06-20T00:00:00Z'));
    const saleId = spec.eventIds[2]!;
    const after = given(opened, mined, sale('2025-06-20T00:00:00Z'), command('reverse-event', { eventId: saleId, reason: 'duplicate' }));
    expect(eventsOf(after.when(opening('2019-01-01T00:00:00Z', '2025-07-02T00:00:00Z')))).toHaveLength(1);
  });

  it('amend-event goes through the same rule, both ways', () => {
    const book = given(opened, mined, sale('2025-07-05T00:00:00Z'), opening('2019-01-01T00:00:00Z', '2025-07-02T00:00:00Z'));
    const [, , saleId, openingId] = book.eventIds;
    // The sale moved back into the window: refused.
    const moved = command('amend-event', {
      eventId: saleId,
      replacement: { effectiveAt: '2025-06-20T00:00:00Z', wallet: 'cold', btc: '1', proceedsUsd: '60000.00' },
      reason: 'date',
    });
    expect(refusalOf(book.when(moved))).toMatchObject(rule);
    // The opening lot held from later, past the sale: refused.
    const later = command('amend-event', {
      eventId: openingId,
      replacement: {
        wallet: 'cold',
        btc: '1',
        costBasisUsd: '10000.00',
        acquiredAt: '2019-01-01T00:00:00Z',
        effectiveAt: '2025-07-10T00:00:00Z',
      },
      reason: 'date',
    });
    expect(refusalOf(book.when(later))).toMatchObject(rule);
    // Held from earlier: fine.
    const earlier = command('amend-event', {
      eventId: openingId,
      replacement: {
        wallet: 'cold',
        btc: '1',
        costBasisUsd: '10000.00',
        acquiredAt: '2019-01-01T00:00:00Z',
        effectiveAt: '2025-06-01T00:00:00Z',
      },
      reason: 'date',
    });
    expect(eventsOf(book.when(earlier))).toHaveLength(2);
  });
});
