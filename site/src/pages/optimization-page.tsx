/** One optimization: progress; then the heatmap of two grid parameters and the ranked runs. */
import { useMemo, useState } from 'preact/hooks';
import type { OptimizationDetailView, RankedRunView, Statistics } from '../../../shared/schemas/backtest-views.js';
import { Field } from '../components/field.js';
import { HeatmapTable } from '../components/heatmap-table.js';
import { DeleteJobDialog, isActive, JobActions, JobFailure, JobProgress, StatusBadge } from '../components/job-status.js';
import { Card, Page } from '../components/page.js';
import { StatsTable } from '../components/stats-table.js';
import { ErrorState, Loading } from '../components/states.js';
import { fmtDateTime } from '../lib/format.js';
import { buildHeatmap } from '../lib/heatmap.js';
import { formatStat, STAT_ROWS, statLabel } from '../lib/stat-labels.js';
import { useApi } from '../lib/use-api.js';
import { SettingsTable } from './backtest-page.js';
import { DataTable } from '../components/data-table.js';

const TOP = 50;
const valuesText = (r: RankedRunView): string => Object.entries(r.values).map(([k, v]) => `${k}=${String(v)}`).join(' ');

export default function OptimizationPage({ params }: { params: Record<string, string> }) {
  const job = useApi<OptimizationDetailView>(`/api/optimizations/${params.id ?? ''}`, { pollMs: 700, keepPolling: isActive });
  const d = job.data;
  const axes = d?.grid?.axes ?? [];
  const [x, setX] = useState<string | undefined>();
  const [y, setY] = useState<string | undefined>();
  const [metric, setMetric] = useState<keyof Statistics | undefined>();
  const [picked, setPicked] = useState<number | undefined>();
  const [deleting, setDeleting] = useState(false);
  const xName = x ?? axes[0]?.name;
  const yName = y ?? axes[1]?.name;
  const m = metric ?? d?.grid?.metric ?? 'sharpe';
  const runs = d?.result?.runs ?? [];
  const map = useMemo(() => (xName && yName && d?.grid ? buildHeatmap(d.grid.axes, runs, xName, yName, m) : undefined), [d, runs, xName, yName, m]);
  const pickedRun = runs.find((r) => r.index === picked) ?? runs[0];

  if (job.loading && !d) return <Loading label="Loading the optimization…" />;
  if (job.error && !d) return <ErrorState error={job.error} retry={job.reload} title="The optimization could not be loaded" />;
  if (!d) return null;
  const result = d.result;

  return (
    <Page
      title={d.name}
      subtitle={
        <>
          <StatusBadge job={d} /> ranked by {statLabel(d.grid?.metric ?? 'sharpe')} · created {fmtDateTime(d.createdAtMs)}
        </>
      }
      actions={<JobActions onDelete={() => setDeleting(true)} />}
    >
      <JobProgress job={d} />
      <JobFailure job={d} what="optimization" />
      {result && (
        <>
          <p class="muted">
            {result.runs.length.toLocaleString('en-US')} runs of {result.combinations.toLocaleString('en-US')} combinations
            {result.skipped > 0 ? `; ${result.skipped} skipped as invalid (e.g. ${Object.entries(result.skippedExamples[0]?.values ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(' ')}: ${result.skippedExamples[0]?.reason.split('\n')[0] ?? ''})` : ''}
            {result.failed > 0 ? `; ${result.failed} failed` : ''}.
          </p>
          <Card title="Heatmap" id="heatmap">
            {axes.length < 2 ? (
              <p class="muted">The heatmap needs two grid parameters; this grid varies only {axes[0]?.name}. The ranking is below.</p>
            ) : (
              <>
                <div class="form-grid compact">
                  <Field id="hm-x" label="Columns">
                    <select id="hm-x" value={xName} onChange={(e) => setX(e.currentTarget.value)}>
                      {axes.map((a) => (
                        <option key={a.name}>{a.name}</option>
                      ))}
                    </select>
                  </Field>
                  <Field id="hm-y" label="Rows">
                    <select id="hm-y" value={yName} onChange={(e) => setY(e.currentTarget.value)}>
                      {axes.map((a) => (
                        <option key={a.name}>{a.name}</option>
                      ))}
                    </select>
                  </Field>
                  <Field id="hm-metric" label="Colour by" hint={axes.length > 2 ? 'Each cell shows the best run over the other parameters.' : undefined}>
                    <select id="hm-metric" value={m} onChange={(e) => setMetric(e.currentTarget.value as keyof Statistics)}>
                      {STAT_ROWS.map((r) => (
                        <option key={r.key} value={r.key}>
                          {r.label}
                        </option>
                      ))}
                    </select>
                  </Field>
                </div>
                {map && xName && yName && <HeatmapTable map={map} xName={xName} yName={yName} metric={m} onPick={setPicked} />}
              </>
            )}
          </Card>
          <div class="two-col">
            <Card title={`Top ${Math.min(TOP, runs.length)} runs`} id="ranking">
              <DataTable caption={<>Runs ranked by {statLabel(d.grid?.metric ?? 'sharpe')}</>} class="compact" testId="ranking-table" columns={[{ label: 'Rank', num: true }, { label: 'Values' }, { label: statLabel(d.grid?.metric ?? 'sharpe'), num: true }, { label: 'Return', num: true }, { label: 'Max DD', num: true }, { label: 'Trades', num: true }]}>
                {runs.slice(0, TOP).map((r) => (
                  <tr key={r.index} aria-selected={r.index === pickedRun?.index} class={r.index === pickedRun?.index ? 'selected' : ''}>
                    <td class="num">{r.rank}</td>
                    <td>
                      <button type="button" class="link" onClick={() => setPicked(r.index)}>
                        {valuesText(r)}
                      </button>
                    </td>
                    <td class="num">{formatStat(d.grid?.metric ?? 'sharpe', r.stats[d.grid?.metric ?? 'sharpe'])}</td>
                    <td class="num">{formatStat('returnPct', r.stats.returnPct)}</td>
                    <td class="num">{formatStat('maxDrawdownPct', r.stats.maxDrawdownPct)}</td>
                    <td class="num">{r.stats.trades}</td>
                  </tr>
                ))}
              </DataTable>
            </Card>
            {pickedRun && (
              <Card title={`Run ${valuesText(pickedRun)} (rank ${pickedRun.rank})`} id="picked">
                <StatsTable columns={[{ label: valuesText(pickedRun), stats: pickedRun.stats }]} caption="Statistics of the selected run" />
              </Card>
            )}
          </div>
        </>
      )}
      <Card title="Settings" id="settings">
        <SettingsTable job={d} />
      </Card>
      {deleting && (
        <DeleteJobDialog job={d} path={`/api/optimizations/${d.id}`} confirmLabel="Delete optimization" onClose={() => setDeleting(false)}>
          <p>This deletes the optimization and all {runs.length || d.progress.total} run results{isActive(d) ? ', and cancels it' : ''}. This cannot be undone.</p>
        </DeleteJobDialog>
      )}
    </Page>
  );
}
