import type { Account, AccountMapping, AccountRole } from '@treasury/domain';

/**
 * The default chart of accounts and how a book's overrides (set-account-mapping) resolve against it.
 * The overrides in force replace the previous ones wholly; whatever they leave out is the default.
 */
export const DEFAULT_CHART: Readonly<Record<AccountRole, Account>> = {
  cash: { code: '1000', name: 'Cash' },
  restrictedCash: { code: '1050', name: 'Restricted cash (pledged as collateral)' },
  digitalAssets: { code: '1500', name: 'Digital assets (BTC)' },
  loansPayable: { code: '2100', name: 'Loans payable' },
  interestPayable: { code: '2150', name: 'Interest payable' },
  openingBalanceEquity: { code: '3900', name: 'Opening balance equity' },
  miningRevenue: { code: '4000', name: 'Mining revenue' },
  realizedGain: { code: '4500', name: 'Realized gain (loss) on digital assets' },
  remeasurementGain: { code: '4600', name: 'Remeasurement gain (loss) on digital assets' },
  otherIncome: { code: '4900', name: 'Other income' },
  networkFees: { code: '6100', name: 'Network fees' },
  tradingFees: { code: '6200', name: 'Trading fees' },
  otherExpense: { code: '6900', name: 'Other expenses' },
  interestExpense: { code: '7000', name: 'Interest expense' },
};

/** An account as a journal line shows it: the code always, the name when the chart gives one. */
export interface LedgerAccount {
  readonly code: string;
  readonly name?: string;
}

const own = <V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined =>
  record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

/** The accounts a journal posts to, for one mapping (undefined: the default chart). */
export class ChartOfAccounts {
  constructor(private readonly mapping: AccountMapping | undefined) {}

  role(role: AccountRole): LedgerAccount {
    return own(this.mapping?.accounts, role) ?? DEFAULT_CHART[role];
  }

  /** A cash account's own mapping, else the cash role. */
  cash(cashAccount: string): LedgerAccount {
    return own(this.mapping?.cashAccounts, cashAccount) ?? this.role('cash');
  }

  /**
   * Where a category of BTC payment or cash movement posts: its mapping, else other expenses for an
   * outflow and other income for an inflow.
   */
  category(category: string, direction: 'outflow' | 'inflow'): LedgerAccount {
    return own(this.mapping?.expenseAccounts, category) ?? this.role(direction === 'outflow' ? 'otherExpense' : 'otherIncome');
  }

  /** The expense categories the book calls direct costs of production (none by default). */
  productionCostCategories(): ReadonlyArray<string> {
    return this.mapping?.productionCostCategories ?? [];
  }
}
