/** One backtest: progress while it runs; then statistics, charts (uPlot, loaded here), trades and settings. */
import { useMemo, useState } from 'preact/hooks';
import type { BacktestDetailView, Trade } from '../../../shared/schemas/backtest-views.js';
import { BacktestCharts } from '../charts/backtest-charts.js';
import { DeleteJobDialog, isActive, JobActions, JobFailure, JobProgress, StatusBadge } from '../components/job-status.js';
import { Card, Page } from '../components/page.js';
import { StatsTable } from '../components/stats-table.js';
import { ErrorState, Loading } from '../components/states.js';
import { fmtDate, fmtDateTime, fmtNumber, fmtSignedPct, toneOf } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { DataTable } from '../components/data-table.js';

const PAGE = 100;

function TradesTable({ trades, total }: { trades: readonly Trade[]; total: number }) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(trades.length / PAGE));
  const rows = trades.slice(page * PAGE, page * PAGE + PAGE);
  if (trades.length === 0) return <p class="muted">No closed trades.</p>;
  return (
    <>
      <DataTable caption="Closed trades" class="compact nowrap" testId="trades-table" columns={[{ label: '#', num: true }, { label: 'Side' }, { label: 'Quantity', num: true }, { label: 'Entry' }, { label: 'Entry price', num: true }, { label: 'Exit' }, { label: 'Exit price', num: true }, { label: 'P&amp;L', num: true }, { label: 'Return', num: true }, { label: 'Exit reason' }]}>
        {rows.map((t, i) => (
          <tr key={page * PAGE + i}>
            <td class="num">{page * PAGE + i + 1}</td>
            <td class={t.side === 'long' ? 'up' : 'short'}>{t.side}</td>
            <td class="num">{fmtNumber(t.quantity, t.quantity % 1 === 0 ? 0 : 4)}</td>
            <td>{fmtDateTime(t.entryTimeMs)}</td>
            <td class="num">{fmtNumber(t.entryPrice)}</td>
            <td>{fmtDateTime(t.exitTimeMs)}</td>
            <td class="num">{fmtNumber(t.exitPrice)}</td>
            <td class={`num ${toneOf(t.pnl)}`}>{fmtNumber(t.pnl)}</td>
            <td class={`num ${toneOf(t.returnFraction)}`}>{fmtSignedPct(t.returnFraction * 100)}</td>
            <td class="small">{t.exitReason}</td>
          </tr>
        ))}
      </DataTable>
      <div class="pager">
        <span class="muted small">
          {trades.length < total ? `First ${trades.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} trades. ` : `${total.toLocaleString('en-US')} trades. `}
          Page {page + 1} of {pages}
        </span>
        <button type="button" class="small" disabled={page === 0} onClick={() => setPage(page - 1)}>
          Previous
        </button>
        <button type="button" class="small" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
          Next
        </button>
      </div>
    </>
  );
}

export function SettingsTable({ job }: { job: Pick<BacktestDetailView, 'settings' | 'paramsResolved' | 'source'> }) {
  const s = job.settings;
  const params = job.paramsResolved ?? s.params;
  const rows: [string, string][] = [
    ['Strategy', s.strategy],
    ['Params', Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(' ') || 'defaults'],
    ['Data', job.source.kind === 'csv' ? `${job.source.fileName}, ${job.source.bars.toLocaleString('en-US')} bars, ${fmtDate(job.source.firstMs)} → ${fmtDate(job.source.lastMs)}` : `${job.source.exchange} ${job.source.symbol} ${job.source.timeframe}, ${fmtDate(job.source.fromMs)} → ${fmtDate(job.source.toMs)}`],
    ['Initial cash', fmtNumber(s.cash)],
    ['Commission', `${fmtNumber(s.commission.rate * 100, 4)}% of notional + ${fmtNumber(s.commission.fixed)} per fill`],
    ['Slippage', `${s.slippageBps} bps`],
    ['Sizing', s.sizing.mode === 'fraction' ? `${s.sizing.value} of equity` : `${s.sizing.mode} ${s.sizing.value}`],
    ['Lot step', String(s.lotStep)],
    ['Shorting', s.shortAllowed ? 'allowed' : 'not allowed'],
  ];
  return (
    <table class="kv">
      <caption class="visually-hidden">Settings of the run</caption>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function BacktestPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const job = useApi<BacktestDetailView>(`/api/backtests/${id}`, { pollMs: 700, keepPolling: isActive });
  const [deleting, setDeleting] = useState(false);
  const d = job.data;
  const result = d?.result;
  const columns = useMemo(() => (result ? [{ label: d.name, stats: result.stats }] : []), [d, result]);

  if (job.loading && !d) return <Loading label="Loading the backtest…" />;
  if (job.error && !d) return <ErrorState error={job.error} retry={job.reload} title="The backtest could not be loaded" />;
  if (!d) return null;

  return (
    <Page
      title={d.name}
      subtitle={
        <>
          <StatusBadge job={d} /> {d.settings.strategy} · created {fmtDateTime(d.createdAtMs)}
          {d.finishedAtMs && d.startedAtMs ? ` · ran in ${((d.finishedAtMs - d.startedAtMs) / 1000).toFixed(1)} s` : ''}
        </>
      }
      actions={<JobActions onDelete={() => setDeleting(true)} />}
    >
      <JobProgress job={d} />
      <JobFailure job={d} what="run" />
      {result && (
        <>
          <div class="headline" data-testid="headline">
            <div>
              <span class="muted small">Return</span>
              <strong class={toneOf(result.stats.returnPct)}>{fmtSignedPct(result.stats.returnPct)}</strong>
            </div>
            <div>
              <span class="muted small">Buy &amp; hold</span>
              <strong>{fmtSignedPct(result.stats.buyHoldReturnPct)}</strong>
            </div>
            <div>
              <span class="muted small">Sharpe</span>
              <strong>{fmtNumber(result.stats.sharpe, 3)}</strong>
            </div>
            <div>
              <span class="muted small">Max drawdown</span>
              <strong class="down">{fmtSignedPct(result.stats.maxDrawdownPct)}</strong>
            </div>
            <div>
              <span class="muted small">Trades</span>
              <strong>{result.stats.trades}</strong>
            </div>
          </div>
          <Card title="Charts" id="charts">
            <BacktestCharts equity={result.equity} trades={result.trades} openTrades={result.openTrades} syncKey={`bt-${d.id}`} />
          </Card>
          <div class="two-col">
            <Card title="Statistics" id="stats">
              <StatsTable columns={columns} caption="Statistics of the backtest" />
            </Card>
            <Card title="Settings" id="settings">
              <SettingsTable job={d} />
              {result.openTrades.length > 0 && <p class="muted small">{result.openTrades.length} position(s) still open at the end, marked to the last close (not counted as trades).</p>}
              {result.rejectedOrders > 0 && <p class="muted small">{result.rejectedOrders} order(s) were not affordable or below one lot and were dropped.</p>}
            </Card>
          </div>
          <Card title="Trades" id="trades">
            <TradesTable trades={result.trades} total={result.tradesTotal} />
          </Card>
        </>
      )}
      {!result && d.status !== 'failed' && (
        <Card title="Settings" id="settings">
          <SettingsTable job={d} />
        </Card>
      )}
      {deleting && (
        <DeleteJobDialog job={d} path={`/api/backtests/${d.id}`} confirmLabel="Delete backtest" onClose={() => setDeleting(false)}>
          <p>This deletes the run with its statistics, equity curve and trades{isActive(d) ? ' and cancels it' : ''}. This cannot be undone.</p>
        </DeleteJobDialog>
      )}
    </Page>
  );
}
