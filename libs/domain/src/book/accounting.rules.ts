import * as E from 'fp-ts/Either';
import { DomainError, invalidCommand } from '../errors';
import type { BookCommand } from './book.commands';
import type { BookEventOf } from './book.events';

/**
 * set-account-mapping: a book setting. It applies from when it is recorded (its effectiveAt is the
 * recording time, like set-price-staleness), needs no balance rule, and replaces the previous overrides
 * wholly: a mapping that leaves a role out sends it back to the default chart. The codec already
 * refuses unknown roles, bad codes and duplicate categories, naming the field. A body that maps
 * nothing is refused (a slip, most likely): going back to the default chart is `{"accounts": {}}`.
 */
export const decideAccountMapping = (
  body: Extract<BookCommand, { readonly name: 'set-account-mapping' }>['body'],
  now: number,
): E.Either<DomainError, ReadonlyArray<BookEventOf<'AccountMappingSet'>>> => {
  const { accounts, cashAccounts, expenseAccounts, productionCostCategories, balanceSheetCategories } = body;
  if (
    accounts === undefined &&
    cashAccounts === undefined &&
    expenseAccounts === undefined &&
    productionCostCategories === undefined &&
    balanceSheetCategories === undefined
  ) {
    return E.left(
      invalidCommand(
        'accounts',
        'give accounts, cashAccounts, expenseAccounts, productionCostCategories or balanceSheetCategories (to go back to the default chart: {"accounts": {}})',
      ),
    );
  }
  return E.right([accountMappingEvent(body, now)]);
};

const accountMappingEvent = (
  body: Extract<BookCommand, { readonly name: 'set-account-mapping' }>['body'],
  now: number,
): BookEventOf<'AccountMappingSet'> => ({
  type: 'AccountMappingSet',
  effectiveAt: now,
  ...(body.accounts === undefined ? {} : { accounts: body.accounts }),
  ...(body.cashAccounts === undefined ? {} : { cashAccounts: body.cashAccounts }),
  ...(body.expenseAccounts === undefined ? {} : { expenseAccounts: body.expenseAccounts }),
  ...(body.productionCostCategories === undefined ? {} : { productionCostCategories: body.productionCostCategories }),
  ...(body.balanceSheetCategories === undefined ? {} : { balanceSheetCategories: body.balanceSheetCategories }),
  ...(body.memo === undefined ? {} : { memo: body.memo }),
});
