import type { components, paths } from './openapi-types';

/**
 * A small client typed only by the types openapi-typescript generates from /docs/openapi.json. The
 * contract test compiles it against freshly generated types, so a query answer typed as
 * `Record<string, never>` (an answer without a schema), a renamed field or a lost discriminator fails
 * to compile here.
 */
type Fetcher = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<{ status: number; json(): Promise<unknown> }>;

// (The first branch serves only the repository's stub, whose types are `any`.)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json<Response> = 0 extends 1 & Response ? any : Response extends { content: { 'application/json': infer Body } } ? Body : never;

export type Position = Json<paths['/v1/books/{bookId}/position']['get']['responses'][200]>;
export type MonthEnd = Json<paths['/v1/books/{bookId}/reports/month-end']['get']['responses'][200]>;
export type EventsPage = Json<paths['/v1/books/{bookId}/events']['get']['responses'][200]>;
export type SaleBody = paths['/v1/books/{bookId}/commands/record-btc-sale']['post']['requestBody']['content']['application/json'];
export type CommandResult = components['schemas']['CommandResult'];
export type Problem = components['schemas']['Problem'];

export const client = (baseUrl: string, token: string, fetcher: Fetcher) => {
  const get = async <T>(path: string): Promise<T> =>
    (await (await fetcher(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  return {
    position: (bookId: string) => get<Position>(`/v1/books/${bookId}/position`),
    monthEnd: (bookId: string, from: string, to: string) => get<MonthEnd>(`/v1/books/${bookId}/reports/month-end?from=${from}&to=${to}`),
    events: (bookId: string) => get<EventsPage>(`/v1/books/${bookId}/events`),
    sell: async (bookId: string, body: SaleBody): Promise<CommandResult | Problem> => {
      const answer = await fetcher(`${baseUrl}/v1/books/${bookId}/commands/record-btc-sale`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await answer.json()) as CommandResult | Problem;
    },
  };
};

/** Reads real fields with their real types: each line fails to compile if the document loses them. */
export const summary = async (api: ReturnType<typeof client>, bookId: string) => {
  const position = await api.position(bookId);
  const btc: string = position.holdings.btc;
  const coldBtc: string | undefined = position.holdings.wallets['cold']?.btc;
  const price: string | null = position.price === null ? null : position.price.usdPerBtc;
  const loanStatus: 'open' | 'margin-call' | 'liquidatable' | 'matured' | 'repaid' | undefined = position.loans['l1']?.status;
  const method: 'fifo' | 'wallet-fifo' = position.method;

  const report = await api.monthEnd(bookId, '2025-12', '2026-02');
  const closing: string[] = report.months.map((month: MonthEnd['months'][number]) => month.closingBtc);
  const usdCheck: Array<string | null> = report.months.map((month: MonthEnd['months'][number]) => month.usd.rollforwardCheckUsd);

  const page = await api.events(bookId);
  const next: number | null = page.next;
  const saleWallets: string[] = [];
  for (const event of page.events) {
    // The union is discriminated by type: a sale's data has its wallet and proceeds.
    if (event.type === 'BtcSold') saleWallets.push(`${event.data.wallet}:${event.data.proceedsUsd}`);
  }

  const sold = await api.sell(bookId, { effectiveAt: '2026-02-01T00:00:00Z', wallet: 'pool', btc: '1.5', proceedsUsd: '120000.00' });
  const outcome: string =
    'commandId' in sold
      ? `${sold.commandId} at ${sold.logPosition}`
      : `${sold.status} ${sold.rule ?? ''} ${(sold.errors ?? []).map((error: { path: string }) => error.path).join(',')}`;
  return { btc, coldBtc, price, loanStatus, method, closing, usdCheck, next, saleWallets, outcome };
};
