/** Backtests and optimizations of the tenant: status, headline statistics, selection for comparison. */
import { useState } from 'preact/hooks';
import type { JobSummaryView } from '../../../shared/schemas/backtest-views.js';
import { isActive, JobProgress, StatusBadge } from '../components/job-status.js';
import { Card, Page } from '../components/page.js';
import { EmptyState, ListStates } from '../components/states.js';
import type { Page as ApiPage } from '../lib/api.js';
import { fmtDate, fmtDateTime, fmtNumber, fmtPct, toneOf } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { DataTable } from '../components/data-table.js';

const sourceText = (j: JobSummaryView): string =>
  j.source.kind === 'csv' ? `${j.source.fileName} · ${j.source.bars.toLocaleString('en-US')} bars` : `${j.source.exchange} ${j.source.symbol} ${j.source.timeframe} · ${fmtDate(j.source.fromMs)} → ${fmtDate(j.source.toMs)}`;

const poll = { pollMs: 1000, keepPolling: (p: ApiPage<JobSummaryView>) => p.items.some(isActive) };

export default function BacktestsPage() {
  const runs = useApi<ApiPage<JobSummaryView>>('/api/backtests?limit=100', poll);
  const grids = useApi<ApiPage<JobSummaryView>>('/api/optimizations?limit=100', poll);
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string, on: boolean): void => setSelected(on ? [...selected, id].slice(-4) : selected.filter((x) => x !== id));

  return (
    <Page
      title="Backtests"
      subtitle="Run a strategy over an uploaded CSV or stored candles; compare runs; search parameters with the optimizer."
      actions={
        <a class="button primary" href="/backtests/new">
          New backtest
        </a>
      }
    >
      <Card
        title="Backtests"
        id="runs"
        actions={
          selected.length >= 2 ? (
            <a class="button" href={`/backtests/compare?ids=${selected.join(',')}`}>
              Compare {selected.length} runs
            </a>
          ) : (
            <span class="muted small">Select 2–4 runs to compare them side by side.</span>
          )
        }
      >
        <ListStates
          list={runs} errorTitle="The backtests could not be loaded"
          empty={
            <EmptyState title="No backtests yet">
              <p>
                <a href="/backtests/new">Run your first backtest</a> on a CSV of OHLCV bars.
              </p>
            </EmptyState>
          }
        >
          {(rows) => (
            <DataTable caption="Backtests, newest first" testId="backtests-table" columns={[{ label: <span class="visually-hidden">Compare</span> }, { label: 'Run' }, { label: 'Data' }, { label: 'Status' }, { label: 'Return', num: true }, { label: 'Sharpe', num: true }, { label: 'Max drawdown', num: true }, { label: 'Trades', num: true }, { label: 'Created' }]}>
              {rows.map((j) => (
                <tr key={j.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${j.name} for comparison`}
                      checked={selected.includes(j.id)}
                      disabled={j.status !== 'succeeded'}
                      onChange={(e) => toggle(j.id, e.currentTarget.checked)}
                    />
                  </td>
                  <td>
                    <a href={`/backtests/${j.id}`}>{j.name}</a>
                  </td>
                  <td class="small">{sourceText(j)}</td>
                  <td>
                    <StatusBadge job={j} />
                    <JobProgress job={j} />
                  </td>
                  <td class={`num ${toneOf(j.stats?.returnPct)}`}>{fmtPct(j.stats?.returnPct)}</td>
                  <td class="num">{fmtNumber(j.stats?.sharpe, 3)}</td>
                  <td class="num">{fmtPct(j.stats?.maxDrawdownPct)}</td>
                  <td class="num">{j.stats ? j.stats.trades : '—'}</td>
                  <td class="small">{fmtDateTime(j.createdAtMs)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </ListStates>
      </Card>
      <Card title="Optimizations" id="grids">
        <ListStates
          list={grids} errorTitle="The optimizations could not be loaded"
          empty={
            <EmptyState title="No optimizations yet">
              <p class="muted">Choose “Optimize parameters” on a new backtest to search a grid of values.</p>
            </EmptyState>
          }
        >
          {(rows) => (
            <DataTable caption="Optimizations, newest first" testId="optimizations-table" columns={[{ label: 'Run' }, { label: 'Grid' }, { label: 'Status' }, { label: 'Best' }, { label: 'Created' }]}>
              {rows.map((j) => (
                <tr key={j.id}>
                  <td>
                    <a href={`/optimizations/${j.id}`}>{j.name}</a>
                  </td>
                  <td class="small">{j.grid?.axes.map((a) => `${a.name} (${a.values.length})`).join(' × ')}</td>
                  <td>
                    <StatusBadge job={j} />
                    <JobProgress job={j} />
                  </td>
                  <td class="small">
                    {j.stats && j.grid ? `${j.grid.metric} ${fmtNumber(j.stats[j.grid.metric], 3)} at ${j.grid.axes.map((a) => `${a.name}=${String(j.paramsResolved?.[a.name])}`).join(' ')}` : '—'}
                  </td>
                  <td class="small">{fmtDateTime(j.createdAtMs)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </ListStates>
      </Card>
    </Page>
  );
}
