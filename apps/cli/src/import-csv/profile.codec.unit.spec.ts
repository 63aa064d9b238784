import * as E from 'fp-ts/Either';
import { MAX_PROFILE_BYTES, decodeProfile, decodeProfileJson, mappingsOf } from './profile.codec';
import { SHIPPED_PROFILES, loadProfile } from './profiles';

const base = {
  name: 'prices',
  command: 'record-btc-price',
  dateFormat: 'YYYY-MM-DD',
  columns: { effectiveAt: { column: 'Date', type: 'date' }, usdPerBtc: { column: 'Close', type: 'usd' } },
};
const errorsOf = (json: unknown) => {
  const decoded = decodeProfileJson(json);
  return E.isLeft(decoded) ? decoded.left : [];
};

describe('profile codec', () => {
  it('decodes the four shipped profiles', () => {
    for (const name of Object.keys(SHIPPED_PROFILES)) expect([name, E.isRight(loadProfile(name))]).toEqual([name, true]);
    expect(Object.keys(SHIPPED_PROFILES)).toEqual(['pool-payouts', 'exchange-fills', 'custodian-statement', 'daily-prices']);
  });

  it('is closed: an unknown field anywhere is refused with its path', () => {
    expect(errorsOf({ ...base, colour: 'red' })).toEqual([{ path: 'colour', message: 'is not a known field' }]);
    expect(errorsOf({ ...base, columns: { ...base.columns, usdPerBtc: { column: 'Close', type: 'usd', round: true } } })).toEqual([
      { path: 'columns.usdPerBtc.round', message: 'is not a known field' },
    ]);
  });

  it('refuses unknown types, formats and delimiters by their closed sets', () => {
    expect(errorsOf({ ...base, dateFormat: 'YYYY/MM/DD' })[0]).toMatchObject({
      path: 'dateFormat',
      message: expect.stringContaining('"DD.MM.YYYY"'),
    });
    expect(errorsOf({ ...base, columns: { effectiveAt: { column: 'Date', type: 'float' } } })[0]).toMatchObject({
      path: 'columns.effectiveAt.type',
    });
    expect(errorsOf({ ...base, delimiter: ':' })[0]).toMatchObject({ path: 'delimiter' });
    expect(errorsOf({ ...base, timeZone: 'Mars/Olympus' })[0]).toMatchObject({ path: 'timeZone' });
    expect(errorsOf({ ...base, command: 'open-book' })[0]).toMatchObject({ path: 'command' });
  });

  it('checks the fields against the command: unknown fields, required ones not fed, command xor commandBy', () => {
    expect(errorsOf({ ...base, columns: { ...base.columns, wallet: { column: 'W', type: 'text' } } })).toEqual([
      { path: 'wallet', message: 'record-btc-price has no field "wallet"' },
    ]);
    expect(errorsOf({ ...base, columns: { effectiveAt: base.columns.effectiveAt } })).toEqual([
      { path: 'columns', message: 'record-btc-price needs "usdPerBtc": map a column to it or give it as a constant' },
    ]);
    expect(errorsOf({ ...base, commandBy: { column: 'Side', values: { buy: { command: 'record-btc-price' } } } })).toEqual([
      { path: 'command', message: 'give either "command" or "commandBy", not both or neither' },
    ]);
    const { command: _, ...noCommand } = base;
    expect(errorsOf(noCommand)[0]).toMatchObject({ path: 'command' });
    expect(errorsOf({ ...base, bookPrice: { field: 'usdPerBtc' } })[0]).toMatchObject({ path: 'bookPrice' });
    expect(errorsOf({ ...base, decimalMark: ',', thousandsSeparator: ',' })[0]).toMatchObject({ path: 'thousandsSeparator' });
  });

  it('bounds every list, name and number, and the file itself', () => {
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, { column: `C${i}`, type: 'text' }]));
    expect(errorsOf({ ...base, columns: many })[0]).toMatchObject({ path: 'columns', message: 'must have 1 to 32 entries (got 33)' });
    expect(errorsOf({ ...base, name: 'X'.repeat(65) })[0]).toMatchObject({ path: 'name' });
    expect(errorsOf({ ...base, skipRows: 101 })[0]).toMatchObject({ path: 'skipRows' });
    expect(errorsOf({ ...base, columns: { 'a.b.c': { column: 'x', type: 'text' } } })[0]).toMatchObject({
      path: 'columns.a.b.c',
      message: expect.stringContaining('command field'),
    });
    expect(decodeProfile(' '.repeat(MAX_PROFILE_BYTES + 1))).toEqual(
      E.left([{ path: '', message: `a profile must be at most ${MAX_PROFILE_BYTES} bytes` }]),
    );
    expect(E.isLeft(decodeProfile('{"name":'))).toBe(true);
  });

  it('merges shared columns and constants into each commandBy choice, keyed case-insensitively', () => {
    const profile = loadProfile('exchange-fills');
    if (E.isLeft(profile)) throw new Error(profile.left);
    const mappings = mappingsOf(profile.right);
    expect([...mappings.keys()]).toEqual(['buy', 'sell']);
    expect(mappings.get('sell')).toMatchObject({
      command: 'record-btc-sale',
      columns: { proceedsUsd: { column: 'USD', less: 'Fee' }, btc: { column: 'BTC' } },
      constants: { wallet: 'exchange' },
    });
    const twice = {
      ...base,
      command: undefined,
      commandBy: { column: 'S', values: { Buy: { command: 'record-btc-price' }, buy: { command: 'record-btc-price' } } },
    };
    expect(errorsOf(twice)).toContainEqual({
      path: 'commandBy.values',
      message: '"buy" is given twice (values are compared case-insensitively)',
    });
  });
});
