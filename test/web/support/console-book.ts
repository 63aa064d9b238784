/**
 * The book the browser tests look at: eight months of a miner's history loaded in migration mode, so
 * each command is recorded when the old system knew it (as-known-then has something to show). It holds
 * a loan with collateral, a sale, a reversed cash movement, an amended mining output and a published
 * holdings report the ledger disagrees with (a flagged reconciliation row).
 */
export const CONSOLE_BOOK = 'acme';

interface Sent {
  readonly events: ReadonlyArray<{ readonly eventId: string }>;
}

type Post = (command: string, body: unknown, knownAt?: string) => Promise<Sent>;

const poster =
  (baseUrl: string, token: string, bookId: string): Post =>
  async (command, body, knownAt) => {
    const query = knownAt === undefined ? '' : `?knownAt=${encodeURIComponent(knownAt)}`;
    const response = await fetch(`${baseUrl}/v1/books/${bookId}/commands/${command}${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`${command}: ${response.status} ${text}`);
    return JSON.parse(text) as Sent;
  };

/** Month ends, June 2025 to January 2026, with the price each closed at. */
export const MONTH_PRICES: ReadonlyArray<readonly [string, string]> = [
  ['2025-06-30', '107135.33'],
  ['2025-07-31', '115758.20'],
  ['2025-08-31', '108236.71'],
  ['2025-09-30', '114056.08'],
  ['2025-10-31', '109556.16'],
  ['2025-11-30', '90394.31'],
  ['2025-12-31', '87508.83'],
  ['2026-01-31', '78621.12'],
];

/** A day after each month end: when the old system knew that month's figures. */
const knownAfter = (monthEnd: string): string => new Date(Date.parse(`${monthEnd}T12:00:00Z`) + 86_400_000).toISOString();

export const populateConsoleBook = async (baseUrl: string, adminKey: string, bookId = CONSOLE_BOOK): Promise<void> => {
  const post = poster(baseUrl, adminKey, bookId);
  await post('open-book', { name: 'Acme Mining Corp.', effectiveAt: '2025-06-01T00:00:00Z', mode: 'migrating' }, '2025-06-01T12:00:00Z');
  await post(
    'record-opening-cash',
    { effectiveAt: '2025-06-01T00:00:00Z', cashAccount: 'operating', amountUsd: '5000000.00' },
    '2025-06-01T12:00:00Z',
  );
  await post('set-reconciliation-tolerance', { btc: '0.5' }, '2025-06-01T12:00:00Z');
  for (const [monthEnd, price] of MONTH_PRICES) {
    const known = knownAfter(monthEnd);
    const at = `${monthEnd}T23:59:00Z`;
    await post('record-btc-price', { effectiveAt: at, usdPerBtc: price, source: 'month-end close' }, known);
    // October's payout is first keyed wrong (25 BTC) and amended in December.
    await post(
      'record-mining-output',
      {
        effectiveAt: at,
        wallet: 'custody-cold',
        btc: monthEnd === '2025-10-31' ? '25' : '50',
        usdPerBtc: price,
        pool: 'Foundry USA',
        reference: `pool-${monthEnd.slice(0, 7)}`,
      },
      known,
    );
    if (monthEnd === '2025-06-30') {
      await post(
        'draw-loan',
        {
          effectiveAt: '2025-07-01T00:00:00Z',
          loanId: 'coinbase-2025',
          lender: 'Coinbase Credit',
          principalUsd: '3000000.00',
          annualRate: '0.085',
          marginCallLtv: '0.70',
          liquidationLtv: '0.85',
          maturityAt: '2027-07-01T00:00:00Z',
        },
        '2025-07-01T12:00:00Z',
      );
      await post(
        'pledge-collateral',
        { effectiveAt: '2025-07-01T00:00:00Z', loanId: 'coinbase-2025', wallet: 'custody-cold', btc: '45' },
        '2025-07-01T12:00:00Z',
      );
    }
    if (monthEnd === '2025-08-31') {
      const power = await post(
        'record-cash-movement',
        {
          effectiveAt: '2025-08-31T20:00:00Z',
          cashAccount: 'operating',
          amountUsd: '-48000.00',
          category: 'power',
          reference: 'utility-2025-08',
        },
        known,
      );
      // Keyed twice by mistake: the second is reversed.
      const twice = await post(
        'record-cash-movement',
        {
          effectiveAt: '2025-08-31T20:00:00Z',
          cashAccount: 'operating',
          amountUsd: '-48000.00',
          category: 'power',
          reference: 'utility-2025-08',
        },
        known,
      );
      void power;
      await post('reverse-event', { eventId: twice.events[0]!.eventId, reason: 'entered twice' }, knownAfter('2025-09-02'));
    }
    if (monthEnd === '2025-09-30') {
      await post(
        'record-btc-sale',
        {
          effectiveAt: '2025-09-15T14:00:00Z',
          wallet: 'custody-cold',
          btc: '10',
          proceedsUsd: '1150000.00',
          feesUsd: '575.00',
          venue: 'Coinbase Prime',
        },
        known,
      );
    }
    if (monthEnd === '2025-11-30') {
      // October's payout, corrected to what the pool paid.
      const october = await eventOf(baseUrl, adminKey, bookId, 'pool-2025-10');
      await post(
        'amend-event',
        {
          eventId: october,
          replacement: {
            effectiveAt: '2025-10-31T23:59:00Z',
            wallet: 'custody-cold',
            btc: '50',
            usdPerBtc: '109556.16',
            pool: 'Foundry USA',
            reference: 'pool-2025-10',
          },
          reason: 'pool statement keyed as 25',
        },
        '2025-12-03T12:00:00Z',
      );
    }
    if (monthEnd === '2025-12-31') {
      // The custodian says 5 BTC less than the ledger: beyond the 0.5 BTC tolerance, so flagged.
      await post(
        'record-reported-holdings',
        { effectiveAt: '2025-12-31T23:59:59Z', btc: '330', source: 'custodian-statement', reference: 'custodian-2025-12' },
        known,
      );
    }
  }
  await post('go-live', {});
};

const eventOf = async (baseUrl: string, token: string, bookId: string, reference: string): Promise<string> => {
  const response = await fetch(`${baseUrl}/v1/books/${bookId}/events?reference=${reference}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const page = (await response.json()) as { events: ReadonlyArray<{ eventId: string }> };
  const found = page.events[0];
  if (found === undefined) throw new Error(`no event with reference ${reference}`);
  return found.eventId;
};
