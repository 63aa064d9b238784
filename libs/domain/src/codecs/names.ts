import * as t from 'io-ts';
import { withSchema } from './schema-registry';

const patterned = (name: string, pattern: RegExp, description: string, example: string) =>
  withSchema(
    new t.Type<string, string, unknown>(
      name,
      (u): u is string => typeof u === 'string' && pattern.test(u),
      (u, c) => (typeof u === 'string' && pattern.test(u) ? t.success(u) : t.failure(u, c, description)),
      (s) => s,
    ),
    { type: 'string', pattern: pattern.source, description, example },
  );

export const BookId = patterned(
  'BookId',
  /^[a-z0-9-]{1,64}$/,
  'must be 1 to 64 characters of a-z, 0-9 and "-"',
  'seed-miner',
);

/** Wallets, cash accounts and loan ids: short machine-friendly identifiers. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const identifierRule = 'must be 1 to 64 characters of letters, digits, ".", "_", ":" and "-", starting with a letter or digit';
export const WalletName = patterned('WalletName', IDENTIFIER, identifierRule, 'custody-cold');
export const CashAccount = patterned('CashAccount', IDENTIFIER, identifierRule, 'operating');
export const LoanId = patterned('LoanId', IDENTIFIER, identifierRule, 'loan-2025-a');

/** Free text such as a lender, venue or memo: non-blank, bounded. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
export const Text = patterned('Text', /^(?=.*\S)[^\u0000-\u001f]{1,500}$/s, 'must be 1 to 500 printable characters, not blank', 'Coinbase Prime');

export const EventId = patterned(
  'EventId',
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  'must be an event id (a lowercase UUID)',
  '0b7e6c1e-5f57-4c55-9f0e-2d1f4a8d3c21',
);
