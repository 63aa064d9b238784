import { toFloat } from '../logic';
import type { Cut, Loan } from '../types';
import { Figure } from './figure';

/** LTV on a bar, with the margin-call and liquidation lines where the loan's terms put them. */
const LtvBar = ({ loan }: { loan: Loan }) => {
  const ltv = toFloat(loan.ltv) ?? 0;
  const call = toFloat(loan.marginCallLtv) ?? 0;
  const liquidation = toFloat(loan.liquidationLtv) ?? 0;
  const max = Math.max(liquidation * 1.2, ltv * 1.05, 0.01);
  const at = (value: number) => `${Math.min(100, (value / max) * 100).toFixed(2)}%`;
  const zone = ltv >= liquidation ? 'danger' : ltv >= call ? 'warning' : 'ok';
  return (
    <div
      class="ltv-bar"
      role="img"
      aria-label={`LTV ${loan.ltv ?? 'unknown'} against a margin call at ${loan.marginCallLtv} and liquidation at ${loan.liquidationLtv}`}
    >
      <div class={`ltv-fill ${zone}`} style={{ width: at(ltv) }} />
      <div class="ltv-line call" style={{ left: at(call) }} title={`margin call ${loan.marginCallLtv}`} />
      <div class="ltv-line liquidation" style={{ left: at(liquidation) }} title={`liquidation ${loan.liquidationLtv}`} />
    </div>
  );
};

export const LoanCard = ({ id, loan, cut }: { id: string; loan: Loan; cut: Cut }) => {
  const f = (name: string) => `loans.${id}.${name}`;
  return (
    <section class={`card loan status-${loan.status}`} aria-labelledby={`loan-${id}`} data-loan={id}>
      <h3 id={`loan-${id}`}>
        {id} <span class="muted">— {loan.lender}</span> <span class={`badge status-${loan.status}`}>{loan.status}</span>
      </h3>
      <LtvBar loan={loan} />
      <p class="legend">
        <span class="key call" aria-hidden="true" /> margin call {loan.marginCallLtv} <span class="key liquidation" aria-hidden="true" />{' '}
        liquidation {loan.liquidationLtv}
      </p>
      <dl class="figures">
        <Figure label="LTV" figure={f('ltv')} value={loan.ltv} unit="ratio" cut={cut} />
        <Figure label="Outstanding" figure={f('outstandingUsd')} value={loan.outstandingUsd} unit="USD" cut={cut} />
        <Figure label="Pledged" figure={f('pledgedBtc')} value={loan.pledgedBtc} unit="BTC" cut={cut} />
        <Figure
          label="Price drop to margin call"
          figure={f('priceDropToMarginCallPct')}
          value={loan.priceDropToMarginCallPct}
          unit="pct"
          cut={cut}
        />
        <Figure label="Margin-call price" figure={f('marginCallPriceUsd')} value={loan.marginCallPriceUsd} unit="USD" cut={cut} />
        <Figure label="Liquidation price" figure={f('liquidationPriceUsd')} value={loan.liquidationPriceUsd} unit="USD" cut={cut} />
        <Figure label="BTC to cure" figure={f('btcToCureMarginCall')} value={loan.btcToCureMarginCall} unit="BTC" cut={cut} />
        <Figure label="USD to cure" figure={f('usdToCureMarginCall')} value={loan.usdToCureMarginCall} unit="USD" cut={cut} />
        <Figure label="Days to maturity" figure={f('daysToMaturity')} value={loan.daysToMaturity} unit="days" cut={cut} />
      </dl>
    </section>
  );
};
