/** Side-by-side comparison of 2–4 backtests: statistics in columns and the equity curves as returns on one chart. */
import type uPlotType from 'uplot';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { BacktestDetailView } from '../../../shared/schemas/backtest-views.js';
import { axis, chartColors } from '../charts/chart-theme.js';
import { loadUplot } from '../charts/load-uplot.js';
import { UplotChart } from '../charts/uplot-chart.js';
import { Card, Page } from '../components/page.js';
import { StatsTable } from '../components/stats-table.js';
import { EmptyState, ErrorState, Loading } from '../components/states.js';
import { api, asFailure, type ApiFailure } from '../lib/api.js';
import { fmtNumber } from '../lib/format.js';
import { useLocation } from '../lib/router.js';
import { SettingsTable } from './backtest-page.js';

const PALETTE = ['--accent', '--up', '--short', '--down'];

export default function ComparePage() {
  const { query } = useLocation();
  const ids = (query.get('ids') ?? '').split(',').filter((s) => /^[0-9a-f]{32}$/.test(s)).slice(0, 4);
  const key = ids.join(',');
  const [runs, setRuns] = useState<BacktestDetailView[] | undefined>();
  const [error, setError] = useState<ApiFailure | undefined>();
  const [joined, setJoined] = useState<uPlotType.AlignedData | undefined>();

  useEffect(() => {
    if (ids.length < 2) return;
    setRuns(undefined);
    Promise.all(ids.map((id) => api.get<BacktestDetailView>(`/api/backtests/${id}?maxPoints=20000`))).then(setRuns, (e: unknown) => setError(asFailure(e)));
  }, [key]);

  useEffect(() => {
    if (!runs) return;
    // Each run as return % from its first point, on the union of their time axes.
    void loadUplot().then((uPlot) => {
      const tables = runs.map((r) => {
        const e = r.result?.equity;
        const first = e?.equity[0] ?? 1;
        return [e ? e.timeMs.map((t) => t / 1000) : [], e ? e.equity.map((v) => (v / first - 1) * 100) : []] as uPlotType.AlignedData;
      });
      setJoined(uPlot.join(tables));
    });
  }, [runs]);

  const colors = useMemo(chartColors, []);
  const options = useMemo(() => {
    const css = getComputedStyle(document.documentElement);
    return {
      scales: { x: { time: true } },
      axes: [axis(colors), axis(colors, { size: 60, values: (_u: uPlotType, t: number[]) => t.map((v) => `${v}%`) })],
      series: [{}, ...(runs ?? []).map((r, i) => ({ label: r.name, stroke: css.getPropertyValue(PALETTE[i]!).trim() || '#888', width: 1.5, spanGaps: true, points: { show: false }, value: (_u: uPlotType, v: number | null) => (v === null ? '—' : `${fmtNumber(v)}%`) }))],
    };
  }, [runs, colors]);

  if (ids.length < 2)
    return (
      <Page title="Compare backtests">
        <EmptyState title="Pick two to four backtests to compare">
          <p>
            Select them in the <a href="/backtests">backtest list</a>.
          </p>
        </EmptyState>
      </Page>
    );
  return (
    <Page title="Compare backtests" subtitle={`${ids.length} runs side by side; the best value of each row is marked.`}>
      {error ? (
        <ErrorState error={error} title="A backtest could not be loaded" />
      ) : !runs ? (
        <Loading label="Loading the runs…" />
      ) : runs.some((r) => !r.result) ? (
        <EmptyState title="Some runs have no results yet">
          <p class="muted">Only finished backtests can be compared.</p>
        </EmptyState>
      ) : (
        <>
          <Card title="Equity as return" id="compare-chart">
            {joined ? <UplotChart options={options} data={joined} height={300} label={`Equity of ${runs.length} runs as percent return from their start`} testId="compare-chart" /> : <Loading label="Loading chart…" />}
          </Card>
          <Card title="Statistics" id="compare-stats">
            <StatsTable columns={runs.map((r) => ({ label: r.name, stats: r.result!.stats }))} caption="Statistics of the compared runs" />
          </Card>
          <div class="compare-settings">
            {runs.map((r) => (
              <Card key={r.id} title={r.name} id={`settings-${r.id}`}>
                <SettingsTable job={r} />
                <a href={`/backtests/${r.id}`}>Open</a>
              </Card>
            ))}
          </div>
        </>
      )}
    </Page>
  );
}
