import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import type { BookEvent } from '@treasury/domain';
import { priceIndex } from './book-context';
import { CsvProfile, decodeProfileJson } from './profile.codec';
import { loadProfile } from './profiles';
import { readCsv } from './read-csv';
import { BookPriceLookup, MappedRow, RowError, describeRowError, rowMapper } from './row-mapping';

const profileOf = (json: unknown): CsvProfile => {
  const decoded = decodeProfileJson(json);
  if (E.isLeft(decoded)) throw new Error(JSON.stringify(decoded.left));
  return decoded.right;
};
const shipped = (name: string): CsvProfile => {
  const loaded = loadProfile(name);
  if (E.isLeft(loaded)) throw new Error(loaded.left);
  return loaded.right;
};
const at = (iso: string) => Date.parse(iso);
const price = (eventId: string, iso: string, usdPerBtc: bigint): { eventId: string; event: BookEvent } => ({
  eventId,
  event: { type: 'BtcPriceObserved', effectiveAt: at(iso), usdPerBtc },
});

/** Maps every row of a CSV text; the first error, or the rows. */
const mapAll = (profile: CsvProfile, text: string, prices?: BookPriceLookup): E.Either<RowError, MappedRow[]> => {
  const table = readCsv(text, {
    ...(profile.delimiter === undefined ? {} : { delimiter: profile.delimiter }),
    skipRows: profile.skipRows ?? 0,
  });
  if (E.isLeft(table)) return table;
  const mapper = rowMapper(profile, table.right.header, table.right.headerRow, {
    timeZone: 'UTC',
    ...(prices === undefined ? {} : { prices }),
  });
  if (E.isLeft(mapper)) return mapper;
  const rows: MappedRow[] = [];
  for (const { row, cells } of table.right.rows) {
    const mapped = mapper.right.map(cells, row);
    if (E.isLeft(mapped)) return mapped;
    rows.push(mapped.right);
  }
  return E.right(rows);
};
const errorOf = (result: E.Either<RowError, unknown>): string => (E.isLeft(result) ? describeRowError(result.left) : 'no error');
const sample = (name: string) => readFileSync(join(__dirname, '..', '..', '..', '..', 'examples', 'statements', name), 'utf8');

const fills = shipped('exchange-fills');
const FILLS_HEADER = 'Time,Side,BTC,USD,Fee,Trade ID';

describe('row mapping', () => {
  it('maps every row of the four sample statements (payouts valued at the book price)', () => {
    const prices = priceIndex([price('p1', '2025-12-31T23:59:59.999Z', 9_000_000n)]);
    const counts = [
      ['daily-prices', 'daily-prices.csv', 32],
      ['exchange-fills', 'exchange-fills.csv', 4],
      ['custodian-statement', 'custodian-statement.csv', 2],
    ] as const;
    for (const [profile, file, rows] of counts) {
      const mapped = mapAll(shipped(profile), sample(file));
      expect([profile, E.isRight(mapped) && mapped.right.length]).toEqual([profile, rows]);
    }
    // Only the first payout is within 48 hours of the one price.
    const payouts = mapAll(shipped('pool-payouts'), sample('pool-payouts.csv').split('\n').slice(0, 2).join('\n'), prices);
    expect(E.isRight(payouts) && payouts.right[0]).toMatchObject({
      command: 'record-mining-output',
      body: {
        effectiveAt: '2026-01-01T23:59:59.999Z',
        btc: '0.15000000',
        usdPerBtc: '90000.00',
        wallet: 'pool-payouts',
        pool: 'Foundry USA',
      },
    });
  });

  it('picks the command by the side cell, nets the fee off a sale and keeps it beside a purchase', () => {
    const rows = mapAll(
      fills,
      `${FILLS_HEADER}\n2026-01-06T14:32:10Z,buy,2.5,243430.85,608.58,T-1\n2026-01-20T16:47:02Z, Sell ,1,98109.52,245.27,T-2\n`,
    );
    expect(E.isRight(rows) && rows.right.map((r) => [r.command, r.body])).toEqual([
      [
        'record-btc-purchase',
        {
          effectiveAt: '2026-01-06T14:32:10.000Z',
          btc: '2.50000000',
          costUsd: '243430.85',
          feesUsd: '608.58',
          reference: 'T-1',
          wallet: 'exchange',
          cashAccount: 'operating',
          venue: 'Exchange (fills export)',
        },
      ],
      [
        'record-btc-sale',
        {
          effectiveAt: '2026-01-20T16:47:02.000Z',
          btc: '1.00000000',
          proceedsUsd: '97864.25',
          feesUsd: '245.27',
          reference: 'T-2',
          wallet: 'exchange',
          cashAccount: 'operating',
          venue: 'Exchange (fills export)',
        },
      ],
    ]);
  });

  it('names the row and the column at fault', () => {
    const row = (cells: string) => errorOf(mapAll(fills, `${FILLS_HEADER}\n2026-01-06T14:32:10Z,BUY,2.5,243430.85,608.58,T-1\n${cells}\n`));
    expect(row('2026-01-07T10:00:00Z,BUY,2.5x,100.00,1.00,T-2')).toBe(
      'row 3, column "BTC": not a decimal amount with at most 8 decimals (got "2.5x")',
    );
    expect(row('2026-01-07T10:00:00Z,BUY,-2.5,100.00,1.00,T-2')).toBe(
      'row 3, column "BTC": must be a decimal string in BTC with at most 8 decimals, greater than zero, e.g. "6.25"',
    );
    expect(row('2026-01-07T10:00:00Z,SELL,1,100.00,1.005,T-2')).toBe(
      'row 3, column "Fee": not a decimal amount with at most 2 decimals (got "1.005")',
    );
    // Net proceeds of zero are refused by the sale's own codec, named by the column they come from.
    expect(row('2026-01-07T10:00:00Z,SELL,1,1.00,1.00,T-2')).toContain('row 3, column "USD": must be a decimal string in USD');
    expect(row('07.01.2026,BUY,1,100.00,1.00,T-2')).toContain('row 3, column "Time": not a date and time in the form YYYY-MM-DD');
    expect(row('2026-01-07T10:00:00Z,HOLD,1,100.00,1.00,T-2')).toBe('row 3, column "Side": "HOLD" is not one of "buy", "sell"');
    expect(row('2026-01-07T10:00:00Z,BUY,1,100.00,1.00,')).toBe('row 3, column "Trade ID": is empty');
    expect(row('2008-01-07T10:00:00Z,BUY,1,100.00,1.00,T-2')).toContain(
      'row 3, column "Time": must not be before the bitcoin genesis block',
    );
  });

  it('names a bad constant as the profile constant, and a missing header column at row 1', () => {
    // A constant the command's codec refuses is refused with the profile, before any row.
    const bad = decodeProfileJson({
      name: 'p',
      command: 'record-reported-holdings',
      dateFormat: 'YYYY-MM-DD',
      columns: { effectiveAt: { column: 'Date', type: 'date' }, btc: { column: 'BTC', type: 'btc' } },
      constants: { source: 'bank-statement' },
    });
    expect(bad).toEqual(E.left([{ path: 'constants.source', message: 'is invalid' }]));
    // One a row's other fields make invalid is named as the constant.
    const profile = profileOf({
      name: 'p',
      command: 'record-reported-holdings',
      dateFormat: 'YYYY-MM-DD',
      columns: { effectiveAt: { column: 'Date', type: 'date' }, btc: { column: 'BTC', type: 'btc' } },
      constants: { source: 'custodian-statement', 'scope.wallet': 'cold wallet' },
    });
    expect(errorOf(mapAll(profile, 'Date,BTC\n2026-01-01,1.00\n'))).toContain(
      'row 2: profile constant "scope.wallet" must be 1 to 64 characters of letters',
    );
    expect(errorOf(mapAll(shipped('daily-prices'), 'Date,Price\n2026-01-01,1.00\n'))).toBe(
      'row 1: no column "Close" in the header (it has "Date", "Price")',
    );
    expect(errorOf(mapAll(shipped('daily-prices'), 'Date,Close,Close\n2026-01-01,1.00,2.00\n'))).toBe(
      'row 1, column "Close": appears more than once in the header',
    );
  });

  it('leaves an optional empty cell out, and maps a nested field', () => {
    const rows = mapAll(
      shipped('custodian-statement'),
      'Statement Date,Wallet,Asset,Closing Balance,Pledged\n01/31/2026,cold,BTC,"1,000.5",\n',
    );
    expect(E.isRight(rows) && rows.right[0]!.body).toEqual({
      effectiveAt: '2026-01-31T23:59:59.999Z',
      scope: { wallet: 'cold' },
      btc: '1000.50000000',
      source: 'custodian-statement',
    });
    expect(
      errorOf(
        mapAll(shipped('custodian-statement'), 'Statement Date,Wallet,Asset,Closing Balance,Pledged\n01/31/2026,cold wallet,BTC,1,\n'),
      ),
    ).toContain('row 2, column "Wallet": must be 1 to 64 characters of letters');
  });

  it('values a payout at the latest book price at or before it, refusing none or a stale one', () => {
    const pool = shipped('pool-payouts');
    const prices = priceIndex([
      price('a', '2026-01-01T23:59:59.999Z', 9_000_000n),
      price('b', '2026-01-02T23:59:59.999Z', 9_100_000n),
      price('c', '2026-01-02T23:59:59.999Z', 9_200_000n),
      price('d', '2026-01-03T12:00:00Z', 9_300_000n),
      { eventId: 'r', event: { type: 'EventReversed', effectiveAt: at('2026-01-04T00:00:00Z'), eventId: 'd', reason: 'typo' } },
    ]);
    const payout = (date: string) => mapAll(pool, `Date,Payout (BTC),Pool,Tx Id\n${date},0.1,F,tx\n`, prices);
    const valued = payout('2026-01-03');
    // At the same effective time the later revision wins; the reversed one is not there.
    expect(E.isRight(valued) && valued.right[0]!.body.usdPerBtc).toBe('92000.00');
    expect(errorOf(payout('2025-12-31'))).toBe(
      'row 2, column "Date": the book has no BTC price at or before 2025-12-31T23:59:59.999Z for usdPerBtc: import the daily prices first (import-csv --profile daily-prices …)',
    );
    expect(errorOf(payout('2026-01-05'))).toBe(
      'row 2, column "Date": the book\'s latest BTC price at or before 2026-01-05T23:59:59.999Z is from 2026-01-02T23:59:59.999Z, more than 48 hours earlier: import the missing daily prices first',
    );
  });
});
