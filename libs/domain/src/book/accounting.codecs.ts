import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import { StoredInstant } from '../codecs/instant';
import { literal } from '../codecs/literal';
import { CashAccount, StoredText, Text } from '../codecs/names';
import { JsonSchema, withSchema } from '../codecs/schema-registry';

/**
 * The book's chart-of-accounts mapping: which general-ledger account the journal posts each role to
 * (digital assets, cash, mining revenue…), per cash account and per expense category. What is not
 * mapped falls back to the default chart (libs/projections/src/journal/chart-of-accounts.ts).
 *
 * A mapping applies from when it is recorded (a setting, like the price staleness) and REPLACES the
 * previous overrides wholly: what a book's journal uses is the default chart overlaid by the last live
 * AccountMappingSet, so reversing the last one brings back the one before it.
 */

/** The roles a journal line can post to: a closed set (a typo in a role is a 400, not a silent default). */
export const ACCOUNT_ROLES = [
  'digitalAssets',
  'cash',
  'restrictedCash',
  'loansPayable',
  'interestPayable',
  'openingBalanceEquity',
  'miningRevenue',
  'realizedGain',
  'remeasurementGain',
  'otherIncome',
  'interestExpense',
  'networkFees',
  'tradingFees',
  'otherExpense',
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** At most this many cash accounts or expense categories in one mapping, and production-cost categories. */
export const MAX_MAPPED_KEYS = 200;

const CODE = /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,31}$/;
const codeRule = 'must be 1 to 32 characters of letters, digits, space, ".", "_", ":", "/" and "-", starting with a letter or digit';
/** A general-ledger account code as an ERP knows it ("1510", "6100-POWER"). Starting with a letter or digit, it cannot be a spreadsheet formula. */
export const AccountCode = withSchema(
  new t.Type<string, string, unknown>(
    'AccountCode',
    (u): u is string => typeof u === 'string' && CODE.test(u),
    (u, c) => (typeof u === 'string' && CODE.test(u) ? t.success(u) : t.failure(u, c, codeRule)),
    (s) => s,
  ),
  { type: 'string', pattern: CODE.source, maxLength: 32, description: codeRule, example: '1510' },
);

export const Account = closedObject('Account', { code: AccountCode }, { name: Text });
export type Account = t.TypeOf<typeof Account>;
export const StoredAccount = closedObject('StoredAccount', { code: StoredText }, { name: StoredText });

const accountSchema: JsonSchema = {
  type: 'object',
  title: 'Account',
  properties: { code: { type: 'string', pattern: CODE.source, maxLength: 32 }, name: { type: 'string', maxLength: 500 } },
  required: ['code'],
  additionalProperties: false,
};

const isPlainObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const at = (c: t.Context, key: string | number, value: unknown, message: string): t.ValidationError => ({
  value,
  context: [...c, { key: String(key), type: t.unknown, actual: value }],
  message,
});

/**
 * A JSON object from keys to values, each key checked by `key`, at most `maxEntries` of them (no bound
 * for a stored twin). Decoded with Object.fromEntries (own properties only); read it with Object.hasOwn.
 */
const keyedRecord = <V>(
  name: string,
  key: t.Type<string, string, unknown>,
  value: t.Type<V, unknown, unknown>,
  maxEntries: number | undefined,
  schema: JsonSchema,
) =>
  withSchema(
    new t.Type<Readonly<Record<string, V>>, Record<string, unknown>, unknown>(
      name,
      (u): u is Readonly<Record<string, V>> => isPlainObject(u),
      (u, c) => {
        if (!isPlainObject(u)) return t.failure(u, c, 'must be a JSON object');
        const keys = Object.keys(u);
        if (maxEntries !== undefined && keys.length > maxEntries) return t.failure(u, c, `must have at most ${maxEntries} entries`);
        const errors: t.ValidationError[] = [];
        const entries: Array<[string, V]> = [];
        for (const k of keys) {
          const keyCheck = key.validate(k, c);
          if (keyCheck._tag === 'Left') {
            errors.push(at(c, k, u[k], `key ${keyCheck.left[0]?.message ?? 'is invalid'}`));
            continue;
          }
          const decoded = value.validate(u[k], t.appendContext(c, k, value, u[k]));
          if (decoded._tag === 'Left') errors.push(...decoded.left);
          else entries.push([k, decoded.right]);
        }
        return errors.length > 0 ? t.failures(errors) : t.success(Object.fromEntries(entries));
      },
      (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, value.encode(v)])),
    ),
    schema,
  );

/** A list of distinct category names, at most `maxItems` (no bound for a stored twin). */
const categoryList = (name: string, item: t.Type<string, string, unknown>, maxItems: number | undefined, schema: JsonSchema) =>
  withSchema(
    new t.Type<ReadonlyArray<string>, ReadonlyArray<string>, unknown>(
      name,
      (u): u is ReadonlyArray<string> => Array.isArray(u) && u.every((x) => typeof x === 'string'),
      (u, c) => {
        if (!Array.isArray(u)) return t.failure(u, c, 'must be a JSON array');
        if (maxItems !== undefined && u.length > maxItems) return t.failure(u, c, `must have at most ${maxItems} items`);
        const errors: t.ValidationError[] = [];
        const seen = new Set<string>();
        u.forEach((x, i) => {
          const decoded = item.validate(x, t.appendContext(c, String(i), item, x));
          if (decoded._tag === 'Left') errors.push(...decoded.left);
          else if (seen.has(decoded.right)) errors.push(at(c, i, x, 'is listed twice'));
          else seen.add(decoded.right);
        });
        return errors.length > 0 ? t.failures(errors) : t.success(u as string[]);
      },
      (a) => a,
    ),
    schema,
  );

const roleProps = <C extends t.Mixed>(codec: C) => Object.fromEntries(ACCOUNT_ROLES.map((role) => [role, codec])) as Record<AccountRole, C>;

const note = { memo: StoredText };

/** The overrides in force from effectiveAt (the recording time) until the next live mapping. */
export const AccountMappingSet = closedObject(
  'AccountMappingSet',
  { type: literal('AccountMappingSet'), effectiveAt: StoredInstant },
  {
    accounts: closedObject('StoredRoleAccounts', {}, roleProps(StoredAccount)),
    cashAccounts: keyedRecord('StoredCashAccounts', StoredText, StoredAccount, undefined, {
      type: 'object',
      additionalProperties: accountSchema,
    }),
    expenseAccounts: keyedRecord('StoredExpenseAccounts', StoredText, StoredAccount, undefined, {
      type: 'object',
      additionalProperties: accountSchema,
    }),
    productionCostCategories: categoryList('StoredProductionCostCategories', StoredText, undefined, {
      type: 'array',
      items: { type: 'string' },
    }),
    // Optional, so a mapping recorded before it reads as before (no balance-sheet categories).
    balanceSheetCategories: categoryList('StoredBalanceSheetCategories', StoredText, undefined, {
      type: 'array',
      items: { type: 'string' },
    }),
    ...note,
  },
);
export type AccountMapping = Omit<t.TypeOf<typeof AccountMappingSet>, 'type' | 'effectiveAt' | 'memo'>;

export const accountingEventCodecs = { AccountMappingSet } as const;

/** The command's fields, exported for the codec property tests (each is a leaf with its own bound). */
export const RoleAccounts = closedObject('RoleAccounts', {}, roleProps(Account));
export const CashAccounts = keyedRecord('CashAccounts', CashAccount, Account, MAX_MAPPED_KEYS, {
  type: 'object',
  maxProperties: MAX_MAPPED_KEYS,
  propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' },
  additionalProperties: accountSchema,
  description: 'the account each cash account posts to (default: the cash role)',
});
export const ExpenseAccounts = keyedRecord('ExpenseAccounts', Text, Account, MAX_MAPPED_KEYS, {
  type: 'object',
  maxProperties: MAX_MAPPED_KEYS,
  additionalProperties: accountSchema,
  description:
    'the account each category of BTC payment and cash movement posts to (default: otherExpense for an outflow, otherIncome for an inflow)',
});
export const ProductionCostCategories = categoryList('ProductionCostCategories', Text, MAX_MAPPED_KEYS, {
  type: 'array',
  maxItems: MAX_MAPPED_KEYS,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, maxLength: 500 },
  description: "the expense categories that are direct costs of production (the P&L's cost per BTC mined)",
});

export const BalanceSheetCategories = categoryList('BalanceSheetCategories', Text, MAX_MAPPED_KEYS, {
  type: 'array',
  maxItems: MAX_MAPPED_KEYS,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, maxLength: 500 },
  description:
    'the categories of BTC payment and cash movement that are not P&L (capital spending, equity, transfers between accounts): the P&L lists them apart (notInPnl); the journal posts them to their mapped account',
});

export const accountingCommandCodecs = {
  'set-account-mapping': closedObject(
    'SetAccountMapping',
    {},
    {
      accounts: RoleAccounts,
      cashAccounts: CashAccounts,
      expenseAccounts: ExpenseAccounts,
      productionCostCategories: ProductionCostCategories,
      balanceSheetCategories: BalanceSheetCategories,
      reference: Text,
      memo: Text,
    },
  ),
} as const;
