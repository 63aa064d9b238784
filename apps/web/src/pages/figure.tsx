import { groupDigits, ratioAsPercent } from '../logic';
import { href } from '../route';
import type { Cut } from '../types';

export type Unit = 'BTC' | 'USD' | 'ratio' | 'pct' | 'days' | 'text';

/** A figure shown exactly as the API wrote it, and a link to the events behind it. */
export const Figure = ({
  label,
  figure,
  value,
  unit,
  cut,
}: {
  label: string;
  figure: string;
  value: string | number | null | undefined;
  unit: Unit;
  cut: Cut;
}) => {
  const shown =
    value === null || value === undefined
      ? '—'
      : unit === 'ratio'
        ? ratioAsPercent(String(value))
        : unit === 'pct'
          ? `${value}%`
          : unit === 'days' || unit === 'text'
            ? String(value)
            : groupDigits(String(value));
  const suffix = unit === 'BTC' ? ' BTC' : unit === 'USD' ? ' USD' : unit === 'days' ? ' days' : '';
  return (
    <div class="figure">
      <dt>{label}</dt>
      <dd>
        <a href={href('explain', { figure, asOf: cut.asOf, knownAt: cut.knownAt })} data-figure={figure} title={`Explain ${figure}`}>
          {shown}
          {value === null || value === undefined ? '' : suffix}
        </a>
      </dd>
    </div>
  );
};
