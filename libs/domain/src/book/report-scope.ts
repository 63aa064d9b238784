import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import { LoanId, WalletName } from '../codecs/names';
import { withSchema } from '../codecs/schema-registry';

/**
 * What a published report covers, so reconciliation compares it with the same part of the ledger:
 * the whole company (a monthly update; the default, and what a report without a scope means), one
 * wallet (a custodian statement) or one loan (a lender statement: the BTC pledged to it).
 */
export type ReportScope = 'company' | { readonly wallet: string } | { readonly loanId: string };

const WalletScope = closedObject('WalletScope', { wallet: WalletName }, {});
const LoanScope = closedObject('LoanScope', { loanId: LoanId }, {});
const scopeRule = 'must be "company", {"wallet": "<wallet>"} or {"loanId": "<loanId>"}';

/** The same codec reads commands and the log: wallet and loan ids have one format and no bound beyond it. */
export const ReportScope = withSchema(
  new t.Type<ReportScope, ReportScope, unknown>(
    'ReportScope',
    (u): u is ReportScope => u === 'company' || WalletScope.is(u) || LoanScope.is(u),
    (u, c) => {
      if (u === 'company') return t.success(u);
      if (typeof u === 'object' && u !== null && !Array.isArray(u)) {
        if ('wallet' in u) return WalletScope.validate(u, c) as t.Validation<ReportScope>;
        if ('loanId' in u) return LoanScope.validate(u, c) as t.Validation<ReportScope>;
      }
      return t.failure(u, c, scopeRule);
    },
    (scope) => scope,
  ),
  {
    description: `${scopeRule}: what the report covers (default "company")`,
    oneOf: [
      { type: 'string', enum: ['company'] },
      {
        type: 'object',
        title: 'WalletScope',
        properties: { wallet: { type: 'string', maxLength: 64 } },
        required: ['wallet'],
        additionalProperties: false,
      },
      {
        type: 'object',
        title: 'LoanScope',
        properties: { loanId: { type: 'string', maxLength: 64 } },
        required: ['loanId'],
        additionalProperties: false,
      },
    ],
    example: { wallet: 'custody-cold' },
  },
);

/** An event's scope: a report recorded before scopes existed covers the company. */
export const scopeOf = (event: { readonly scope?: ReportScope }): ReportScope => event.scope ?? 'company';
