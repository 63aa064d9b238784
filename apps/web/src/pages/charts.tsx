import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { bookPath, get } from '../api';
import { dateIn, monthLabel, monthTicks, seriesStep, toFloat } from '../logic';
import type { Book, Cut, SeriesPoint } from '../types';
import { Failure, useAnswer } from './use-answer';

interface Line {
  readonly label: string;
  readonly color: string;
  /** The exact strings, one per point: what the hover legend shows. */
  readonly strings: ReadonlyArray<string | null>;
  readonly dash?: number[];
}

interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly lines: ReadonlyArray<Line>;
}

/** Colours with at least 4.5:1 against white, told apart by dash as well as hue. */
const BLUE = '#1d4ed8';
const GREEN = '#047857';
const ORANGE = '#b45309';
const RED = '#b91c1c';
const GREY = '#4b5563';
/** One colour per loan's LTV line (its threshold lines keep the warning colours). */
const LOAN_COLORS = [BLUE, '#6d28d9', '#0e7490', '#be185d'] as const;

type Figure = Exclude<keyof SeriesPoint, 'loans'>;
const column = (points: ReadonlyArray<SeriesPoint>, name: Figure) => points.map((p) => p[name] ?? null);

/** Each loan's LTV over time, with its own margin-call and liquidation lines (null where it was not open). */
const loanLines = (points: ReadonlyArray<SeriesPoint>): Line[] => {
  const ids = [...new Set(points.flatMap((p) => Object.keys(p.loans)))].sort();
  return ids.flatMap((id, index): Line[] => [
    { label: `${id} LTV`, color: LOAN_COLORS[index % LOAN_COLORS.length]!, strings: points.map((p) => p.loans[id]?.ltv ?? null) },
    { label: `${id} margin call`, color: ORANGE, strings: points.map((p) => p.loans[id]?.marginCallLtv ?? null), dash: [6, 4] },
    { label: `${id} liquidation`, color: RED, strings: points.map((p) => p.loans[id]?.liquidationLtv ?? null), dash: [2, 3] },
  ]);
};

const specs = (points: ReadonlyArray<SeriesPoint>): ChartSpec[] => {
  return [
    {
      id: 'btc',
      title: 'BTC held, pledged and unencumbered',
      unit: 'BTC',
      lines: [
        { label: 'held', color: BLUE, strings: column(points, 'btc') },
        { label: 'pledged', color: ORANGE, strings: column(points, 'pledgedBtc'), dash: [6, 4] },
        { label: 'unencumbered', color: GREEN, strings: column(points, 'unencumberedBtc'), dash: [2, 3] },
      ],
    },
    {
      id: 'ltv',
      title: 'Each loan\u2019s loan-to-value against its margin-call and liquidation lines',
      unit: 'ratio',
      lines: loanLines(points),
    },
    {
      id: 'liquidity',
      title: 'Available liquidity',
      unit: 'USD',
      lines: [{ label: 'available liquidity', color: GREEN, strings: column(points, 'availableLiquidityUsd') }],
    },
    { id: 'price', title: 'BTC price', unit: 'USD', lines: [{ label: 'USD per BTC', color: GREY, strings: column(points, 'usdPerBtc') }] },
  ];
};

const Chart = ({ spec, xs }: { spec: ChartSpec; xs: number[] }) => {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const options: uPlot.Options = {
      width: Math.max(320, el.clientWidth),
      height: 220,
      series: [
        { label: 'date', value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
        ...spec.lines.map((line) => ({
          label: line.label,
          stroke: line.color,
          width: 2,
          ...(line.dash === undefined ? {} : { dash: line.dash }),
          // The legend shows the API's own decimal string at the hovered point, never a re-formatted float.
          value: (_u: uPlot, _v: number, _s: number, idx: number | null) => (idx === null ? '—' : (line.strings[idx] ?? '—')),
        })),
      ],
      axes: [
        {
          splits: (u, _axis, min, max) => monthTicks(min, max, Math.max(2, Math.floor(u.width / 90))),
          values: (_u, splits) => {
            const labels = splits.map(monthLabel);
            el.dataset.xTicks = labels.join(',');
            return labels;
          },
        },
        { size: 80 },
      ],
      scales: { x: { time: true } },
      cursor: { focus: { prox: 16 } },
    };
    const data: uPlot.AlignedData = [xs, ...spec.lines.map((line) => line.strings.map((s) => toFloat(s)))];
    const plot = new uPlot(options, data, el);
    el.dataset.points = String(xs.length);
    return () => plot.destroy();
  }, [spec, xs]);
  return (
    <figure class="chart" aria-labelledby={`chart-${spec.id}`}>
      <figcaption id={`chart-${spec.id}`}>
        {spec.title} <span class="muted">({spec.unit})</span>
      </figcaption>
      <div ref={box} class="plot" data-chart={spec.id} />
    </figure>
  );
};

/**
 * The series from the book's opening to today, as known at the page's knownAt: it does not depend on
 * asOf, so a date change redraws no chart.
 */
export const Charts = ({ book, cut }: { book: Book; cut: Cut }) => {
  const to = dateIn(Date.now(), book.timeZone);
  const from = book.openedAt.slice(0, 10);
  const key = `${book.bookId}|${cut.knownAt}|${to}`;
  const answer = useAnswer(key, async () => {
    const every = seriesStep(Date.parse(from), Date.parse(to));
    const series = await get<{ points: SeriesPoint[] }>(bookPath(book.bookId, 'position/series'), {
      from,
      to,
      every,
      knownAt: cut.knownAt,
    });
    const xs = series.points.map((p) => Date.parse(p.asOf) / 1000);
    return { xs, charts: specs(series.points) };
  });
  return (
    <section aria-labelledby="h-charts" class="charts">
      <h2 id="h-charts">Over time</h2>
      {answer.state === 'failed' && <Failure error={answer.error} />}
      {answer.state === 'loading' && <p class="loading">Loading the series…</p>}
      {answer.state === 'ready' && answer.value.charts.map((spec) => <Chart key={spec.id} spec={spec} xs={answer.value.xs} />)}
    </section>
  );
};
