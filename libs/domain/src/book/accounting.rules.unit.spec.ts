import * as E from 'fp-ts/Either';
import { NOW, command, eventsOf, given, refusalOf } from '../testing/book-spec';
import { decodeBookCommand } from './book.commands';
import { BookEventCodec } from './book.events';

const opened = () => given(command('open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' }));
const pathsOf = (body: unknown) => {
  const decoded = decodeBookCommand('set-account-mapping', body);
  if (E.isRight(decoded) || decoded.left._tag !== 'InvalidCommand') throw new Error('expected a 400');
  return decoded.left.errors.map((e) => e.path);
};

describe('set-account-mapping', () => {
  it('records the overrides as a setting effective when recorded, and the event reads back from the log', () => {
    const [event] = eventsOf(
      opened().when(
        command('set-account-mapping', {
          accounts: { digitalAssets: { code: '1510', name: 'Bitcoin' }, cash: { code: '1000' } },
          cashAccounts: { 'bank-1': { code: '1010', name: 'Bank 1' } },
          expenseAccounts: { power: { code: '6100' } },
          productionCostCategories: ['power'],
          memo: 'FY2025 chart',
        }),
      ),
    );
    expect(event).toEqual({
      type: 'AccountMappingSet',
      effectiveAt: NOW,
      accounts: { digitalAssets: { code: '1510', name: 'Bitcoin' }, cash: { code: '1000' } },
      cashAccounts: { 'bank-1': { code: '1010', name: 'Bank 1' } },
      expenseAccounts: { power: { code: '6100' } },
      productionCostCategories: ['power'],
      memo: 'FY2025 chart',
    });
    expect(BookEventCodec.decode(BookEventCodec.encode(event!))).toEqual(E.right(event));
  });

  it('a body that maps nothing is refused (400 on accounts); {"accounts": {}} sends every role back to the default chart', () => {
    expect(refusalOf(opened().when(command('set-account-mapping', { memo: 'oops' })))).toMatchObject({
      _tag: 'InvalidCommand',
      errors: [{ path: 'accounts' }],
    });
    expect(eventsOf(opened().when(command('set-account-mapping', { accounts: {} })))).toEqual([
      { type: 'AccountMappingSet', effectiveAt: NOW, accounts: {} },
    ]);
  });

  it('refuses unknown roles, bad codes and keys, duplicates and too many entries, naming each field', () => {
    expect(pathsOf({ accounts: { digitalAsset: { code: '1510' } } })).toEqual(['accounts.digitalAsset']);
    expect(pathsOf({ accounts: { cash: { code: '=HYPERLINK(1)' } } })).toEqual(['accounts.cash.code']);
    expect(pathsOf({ accounts: { cash: { code: '1000', colour: 'red' } } })).toEqual(['accounts.cash.colour']);
    expect(pathsOf({ cashAccounts: { 'bad key!': { code: '1010' } } })).toEqual(['cashAccounts.bad key!']);
    expect(pathsOf({ expenseAccounts: { power: { code: '' } } })).toEqual(['expenseAccounts.power.code']);
    expect(pathsOf({ productionCostCategories: ['power', 'hosting', 'power'] })).toEqual(['productionCostCategories.2']);
    expect(pathsOf({ productionCostCategories: 'power' })).toEqual(['productionCostCategories']);
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`c${i}`, { code: '6000' }]));
    expect(pathsOf({ expenseAccounts: many })).toEqual(['expenseAccounts']);
    expect(pathsOf({ productionCostCategories: Array.from({ length: 201 }, (_, i) => `c${i}`) })).toEqual(['productionCostCategories']);
  });

  it('balanceSheetCategories: recorded alone or beside the rest, bounded like productionCostCategories; a mapping from before it reads without it', () => {
    const [event] = eventsOf(opened().when(command('set-account-mapping', { balanceSheetCategories: ['equipment', 'equity'] })));
    expect(event).toEqual({ type: 'AccountMappingSet', effectiveAt: NOW, balanceSheetCategories: ['equipment', 'equity'] });
    expect(BookEventCodec.decode(BookEventCodec.encode(event!))).toEqual(E.right(event));
    expect(pathsOf({ balanceSheetCategories: ['equity', 'equity'] })).toEqual(['balanceSheetCategories.1']);
    expect(pathsOf({ balanceSheetCategories: [''] })).toEqual(['balanceSheetCategories.0']);
    expect(pathsOf({ balanceSheetCategories: Array.from({ length: 201 }, (_, i) => `c${i}`) })).toEqual(['balanceSheetCategories']);
    // An event recorded before the field existed.
    expect(
      BookEventCodec.decode({ type: 'AccountMappingSet', effectiveAt: '2025-01-01T00:00:00.000Z', productionCostCategories: ['power'] }),
    ).toMatchObject({ _tag: 'Right' });
  });

  it('keys that name Object.prototype members are plain keys', () => {
    const decoded = decodeBookCommand(
      'set-account-mapping',
      JSON.parse('{"expenseAccounts":{"__proto__":{"code":"6000"},"constructor":{"code":"6001"}}}'),
    );
    expect(E.isRight(decoded)).toBe(true);
    if (E.isRight(decoded) && decoded.right.name === 'set-account-mapping') {
      const accounts = decoded.right.body.expenseAccounts!;
      expect(Object.keys(accounts).sort()).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(accounts)).toBe(Object.prototype);
    }
  });

  it('can be reversed like any setting', () => {
    const spec = given(
      command('open-book', { name: 'Acme', effectiveAt: '2025-01-01T00:00:00Z' }),
      command('set-account-mapping', { accounts: { cash: { code: '1000' } } }),
    );
    expect(eventsOf(spec.when(command('reverse-event', { eventId: spec.eventIds[1], reason: 'wrong chart' })))[0]).toMatchObject({
      type: 'EventReversed',
    });
    expect(refusalOf(given().when(command('set-account-mapping', { accounts: {} })))).toEqual({ _tag: 'BookNotFound' });
  });
});
