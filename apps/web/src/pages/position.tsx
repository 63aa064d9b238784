import { bookPath, get } from '../api';
import { navigate } from '../route';
import type { Book, Cut, Position } from '../types';
import { Charts } from './charts';
import { CutPicker } from './cut-picker';
import { Figure } from './figure';
import { LoanCard } from './loan-card';
import { Failure, useAnswer } from './use-answer';

export const cutOf = (params: URLSearchParams): Cut => ({ asOf: params.get('asOf') ?? '', knownAt: params.get('knownAt') ?? '' });

/** The position at the picked asOf/knownAt: holdings, price, cost, cash, leverage, liquidity and each loan. */
export const PositionPage = ({ book, params }: { book: Book; params: URLSearchParams }) => {
  const cut = cutOf(params);
  const key = `${book.bookId}|${cut.asOf}|${cut.knownAt}`;
  const answer = useAnswer(key, () => get<Position>(bookPath(book.bookId, 'position'), { asOf: cut.asOf, knownAt: cut.knownAt }));
  const change = (next: Cut) => navigate('position', { asOf: next.asOf, knownAt: next.knownAt });
  return (
    <>
      <h1>
        {book.name} <span class="muted">position</span>
      </h1>
      <CutPicker cut={cut} timeZone={book.timeZone} onChange={change} />
      {answer.state === 'failed' && <Failure error={answer.error} />}
      {answer.state === 'loading' && <p class="loading">Loading the position…</p>}
      {answer.state === 'ready' && <Figures position={answer.value} cut={cut} rendered={answer.key} />}
      <Charts book={book} cut={cut} />
    </>
  );
};

const Figures = ({ position: p, cut, rendered }: { position: Position; cut: Cut; rendered: string }) => {
  const loans = Object.entries(p.loans);
  return (
    <section class="position" data-state="ready" data-rendered={rendered} aria-label="Figures">
      <p class="muted">
        As of {p.asOf}, as known at {p.knownAt}. Click a figure for the events behind it.
      </p>
      <div class="cards">
        <section class="card" aria-labelledby="h-holdings">
          <h2 id="h-holdings">Holdings</h2>
          <dl class="figures">
            <Figure label="BTC held" figure="holdings.btc" value={p.holdings.btc} unit="BTC" cut={cut} />
            <Figure label="Pledged" figure="holdings.pledgedBtc" value={p.holdings.pledgedBtc} unit="BTC" cut={cut} />
            <Figure label="Unencumbered" figure="holdings.unencumberedBtc" value={p.holdings.unencumberedBtc} unit="BTC" cut={cut} />
          </dl>
        </section>
        <section class="card" aria-labelledby="h-price">
          <h2 id="h-price">Price {p.price?.stale === true && <span class="badge warning">stale</span>}</h2>
          <dl class="figures">
            <Figure label="USD per BTC" figure="price.usdPerBtc" value={p.price?.usdPerBtc} unit="USD" cut={cut} />
            <Figure label="Observed" figure="price.effectiveAt" value={p.price?.effectiveAt} unit="text" cut={cut} />
          </dl>
        </section>
        <section class="card" aria-labelledby="h-cost">
          <h2 id="h-cost">Cost basis (FIFO)</h2>
          <dl class="figures">
            <Figure label="Cost" figure="costBasis.totalUsd" value={p.costBasis?.totalUsd} unit="USD" cut={cut} />
            <Figure label="Realized gain" figure="costBasis.realizedGainUsd" value={p.costBasis?.realizedGainUsd} unit="USD" cut={cut} />
            <Figure
              label="Unrealized gain"
              figure="costBasis.unrealizedGainUsd"
              value={p.costBasis?.unrealizedGainUsd}
              unit="USD"
              cut={cut}
            />
          </dl>
        </section>
        <section class="card" aria-labelledby="h-cash">
          <h2 id="h-cash">Cash</h2>
          <dl class="figures">
            <Figure label="Cash" figure="cash.totalUsd" value={p.cash.totalUsd} unit="USD" cut={cut} />
            <Figure label="Pledged cash" figure="cash.pledgedUsd" value={p.cash.pledgedUsd} unit="USD" cut={cut} />
          </dl>
        </section>
        <section class="card" aria-labelledby="h-leverage">
          <h2 id="h-leverage">Leverage</h2>
          <dl class="figures">
            <Figure label="Total debt" figure="leverage.totalDebtUsd" value={p.leverage.totalDebtUsd} unit="USD" cut={cut} />
            <Figure label="Debt to assets" figure="leverage.debtToAssets" value={p.leverage.debtToAssets} unit="ratio" cut={cut} />
            <Figure label="Aggregate LTV" figure="leverage.aggregateLtv" value={p.leverage.aggregateLtv} unit="ratio" cut={cut} />
          </dl>
        </section>
        <section class="card" aria-labelledby="h-liquidity">
          <h2 id="h-liquidity">Liquidity</h2>
          <dl class="figures">
            <Figure
              label="Available"
              figure="liquidity.availableLiquidityUsd"
              value={p.liquidity.availableLiquidityUsd}
              unit="USD"
              cut={cut}
            />
            <Figure label="Cash" figure="liquidity.cashUsd" value={p.liquidity.cashUsd} unit="USD" cut={cut} />
            <Figure
              label="Unencumbered BTC value"
              figure="liquidity.unencumberedBtcValueUsd"
              value={p.liquidity.unencumberedBtcValueUsd}
              unit="USD"
              cut={cut}
            />
          </dl>
        </section>
      </div>
      <h2>Loans</h2>
      {loans.length === 0 ? (
        <p>No loans at this date.</p>
      ) : (
        <div class="cards">
          {loans.map(([id, loan]) => (
            <LoanCard key={id} id={id} loan={loan} cut={cut} />
          ))}
        </div>
      )}
    </section>
  );
};
