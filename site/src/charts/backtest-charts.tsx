/**
 * A backtest's charts: the close with trade markers, equity, and drawdown below the running peak,
 * sharing one cursor. Long series arrive bucketed by the API (the drawdown keeps each bucket's
 * trough); markers land on the point whose bucket holds their bar.
 */
import type uPlotType from 'uplot';
import { useMemo } from 'preact/hooks';
import type { EquitySeriesView, Trade } from '../../../shared/schemas/backtest-views.js';
import { markerSeries } from '../lib/chart-markers.js';
import { fmtNumber } from '../lib/format.js';
import { axis, chartColors } from './chart-theme.js';
import { UplotChart } from './uplot-chart.js';

const money = (_u: uPlotType, v: number | null): string => (v === null ? '—' : fmtNumber(v));
const pct = (_u: uPlotType, v: number | null): string => (v === null ? '—' : `${fmtNumber(v)}%`);

export function BacktestCharts({ equity, trades, openTrades, syncKey }: { equity: EquitySeriesView; trades: readonly Trade[]; openTrades: readonly Trade[]; syncKey: string }) {
  const colors = useMemo(chartColors, []);
  const x = useMemo(() => Float64Array.from(equity.timeMs, (t) => t / 1000), [equity]);
  const markers = useMemo(() => markerSeries(equity.timeMs, trades, openTrades), [equity, trades, openTrades]);
  const cursor = { sync: { key: syncKey }, drag: { x: true, y: false } };
  const marker = (label: string, stroke: string, fill: string) => ({ label, stroke, paths: () => null, points: { show: true, size: 9, width: 2, stroke, fill }, value: money });

  const price = useMemo(
    () => ({
      data: [x, equity.close, markers.longEntry, markers.shortEntry, markers.exit] as unknown as uPlotType.AlignedData,
      options: {
        cursor,
        scales: { x: { time: true } },
        axes: [axis(colors), axis(colors, { size: 70 })],
        series: [{}, { label: 'Close', stroke: colors.price, width: 1, points: { show: false }, value: money }, marker('Long entry', colors.up, colors.up), marker('Short entry', colors.short, colors.short), marker('Exit', colors.price, colors.bg)],
      },
    }),
    [x, equity, markers, colors],
  );
  const equityChart = useMemo(
    () => ({
      data: [x, equity.equity] as unknown as uPlotType.AlignedData,
      options: { cursor, scales: { x: { time: true } }, axes: [axis(colors), axis(colors, { size: 70 })], series: [{}, { label: 'Equity', stroke: colors.line, width: 1.5, points: { show: false }, value: money }] },
    }),
    [x, equity, colors],
  );
  const drawdown = useMemo(
    () => ({
      data: [x, equity.drawdownPct] as unknown as uPlotType.AlignedData,
      options: {
        cursor,
        scales: { x: { time: true } },
        axes: [axis(colors), axis(colors, { size: 70, values: (_u: uPlotType, ticks: number[]) => ticks.map((t) => `${t}%`) })],
        series: [{}, { label: 'Drawdown', stroke: colors.down, fill: `${colors.down}33`, width: 1, points: { show: false }, value: pct }],
      },
    }),
    [x, equity, colors],
  );
  const bucketNote = equity.bucketBars > 1 ? ` Each point stands for ${equity.bucketBars} bars (${equity.bars.toLocaleString('en-US')} in all).` : '';
  return (
    <div class="charts">
      <h3>Price and trades</h3>
      <UplotChart {...price} height={260} label={`Close price with ${trades.length} trades marked: filled dots are entries, rings are exits.${bucketNote}`} testId="price-chart" />
      <h3>Equity</h3>
      <UplotChart {...equityChart} height={220} label={`Equity over ${equity.timeMs.length} points, from ${fmtNumber(equity.equity[0])} to ${fmtNumber(equity.equity.at(-1))}.${bucketNote}`} testId="equity-chart" />
      <h3>Drawdown</h3>
      <UplotChart {...drawdown} height={160} label={`Drawdown below the running equity peak, deepest ${fmtNumber(equity.drawdownPct.reduce((a, b) => Math.min(a, b), 0))}%.`} testId="drawdown-chart" />
      {bucketNote && <p class="muted small">{bucketNote.trim()} Statistics use every bar.</p>}
    </div>
  );
}
