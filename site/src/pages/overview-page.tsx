/**
 * Overview: total equity and today's P&L across bots, each bot with status, P&L and a sparkline, the
 * tenant kill switch (confirmation names what it does), recent backtests and platform health.
 */
import { useEffect, useState } from 'preact/hooks';
import type { JobSummaryView } from '../../../shared/schemas/backtest-views.js';
import type { BotEquityView, BotView, KillSwitchView } from '../../../shared/schemas/bots-views.js';
import { Sparkline } from '../charts/sparkline.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { StatusBadge } from '../components/job-status.js';
import { Card, Page } from '../components/page.js';
import { EmptyState, ErrorState, Loading, Unavailable, ListStates } from '../components/states.js';
import { api, isMissingApi, type Page as ApiPage } from '../lib/api.js';
import { marketText } from '../lib/bots.js';
import { fmtDateTime, fmtNumber, fmtPct, toneOf } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { BotStatusBadge } from './bots-page.js';
import { DataTable } from '../components/data-table.js';

interface Health {
  status: string;
  components: Record<string, { status: string; latencyMs: number; detail?: string }>;
}

const DAY_MS = 86_400_000;
const MAX_BOTS_WITH_CURVES = 20;

interface BotLine {
  readonly bot: BotView;
  readonly equity: readonly number[];
  readonly last: number | null;
  readonly todayPnl: number | null;
}

/** Equity now, and its change since the last bar before 00:00 UTC (or the first bar today). */
function lineOf(bot: BotView, points: readonly BotEquityView[], nowMs: number): BotLine {
  const sorted = [...points].sort((a, b) => a.barTimeMs - b.barTimeMs);
  const last = sorted.at(-1)?.equity ?? null;
  const dayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const before = [...sorted].reverse().find((p) => p.barTimeMs < dayStart) ?? sorted.find((p) => p.barTimeMs >= dayStart);
  return { bot, equity: sorted.map((p) => p.equity), last, todayPnl: last !== null && before ? last - before.equity : null };
}

function BotsSummary({ bots }: { bots: readonly BotView[] }) {
  const [lines, setLines] = useState<BotLine[] | undefined>();
  useEffect(() => {
    const shown = bots.slice(0, MAX_BOTS_WITH_CURVES);
    const nowMs = Date.now();
    void Promise.all(shown.map((b) => api.get<ApiPage<BotEquityView>>(`/api/bots/${b.id}/equity?limit=100`).then((p) => lineOf(b, p.items, nowMs), () => lineOf(b, [], nowMs)))).then(setLines);
  }, [bots]);
  if (!lines) return <Loading label="Loading equity…" />;
  const withEquity = lines.filter((l) => l.last !== null);
  const total = withEquity.reduce((s, l) => s + l.last!, 0);
  const today = lines.reduce((s, l) => s + (l.todayPnl ?? 0), 0);
  return (
    <>
      <div class="headline">
        <div>
          <span class="muted small">Total equity</span>
          <strong data-testid="total-equity">{withEquity.length ? fmtNumber(total) : '—'}</strong>
        </div>
        <div>
          <span class="muted small">Today's P&amp;L (UTC)</span>
          <strong class={toneOf(today)}>{withEquity.length ? fmtNumber(today) : '—'}</strong>
        </div>
        <div>
          <span class="muted small">Running</span>
          <strong>{bots.filter((b) => b.status === 'running').length}</strong>
        </div>
        <div>
          <span class="muted small">Need attention</span>
          <strong class={bots.some((b) => b.status === 'halted' || b.status === 'faulted') ? 'down' : ''}>{bots.filter((b) => b.status === 'halted' || b.status === 'faulted').length}</strong>
        </div>
      </div>
      <DataTable caption="Bots with equity over their last 100 bars" testId="overview-bots" columns={[{ label: 'Bot' }, { label: 'Status' }, { label: 'Market' }, { label: 'Equity', num: true }, { label: 'Today', num: true }, { label: 'Last 100 bars' }]}>
        {lines.map((l) => (
          <tr key={l.bot.id}>
            <td>
              <a href={`/bots/${l.bot.id}`}>{l.bot.name}</a>
            </td>
            <td>
              <BotStatusBadge status={l.bot.status} />
            </td>
            <td class="small">{marketText(l.bot)}</td>
            <td class="num">{fmtNumber(l.last)}</td>
            <td class={`num ${toneOf(l.todayPnl)}`}>{fmtNumber(l.todayPnl)}</td>
            <td>
              <Sparkline values={l.equity} label={`Equity of ${l.bot.name} over its last ${l.equity.length} bars`} />
            </td>
          </tr>
        ))}
      </DataTable>
      {bots.length > MAX_BOTS_WITH_CURVES && <p class="muted small">The first {MAX_BOTS_WITH_CURVES} bots are shown; see all on the <a href="/bots">bots page</a>.</p>}
    </>
  );
}

function KillSwitch({ bots }: { bots: readonly BotView[] }) {
  const ks = useApi<KillSwitchView>('/api/kill-switch');
  const [confirm, setConfirm] = useState<'engage' | 'release' | undefined>();
  const [flatten, setFlatten] = useState(false);
  if (isMissingApi(ks.error)) return <Unavailable feature="The kill switch and its controls" route="/api/kill-switch" />;
  if (ks.loading && !ks.data) return <Loading />;
  if (ks.error) return <ErrorState error={ks.error} retry={ks.reload} title="The kill switch state could not be loaded" />;
  const active = bots.filter((b) => b.status === 'running' || b.status === 'paused' || b.status === 'halted');
  const engaged = ks.data?.engaged ?? false;
  return (
    <>
      <p>
        {engaged ? (
          <strong class="down">Engaged</strong>
        ) : (
          <strong class="up">Off</strong>
        )}{' '}
        {ks.data?.changedAtMs ? <span class="muted small">since {fmtDateTime(ks.data.changedAtMs)} by {ks.data.changedBy}</span> : null}
      </p>
      <p class="muted small">While engaged, no bot can start or resume.</p>
      {engaged ? (
        <button type="button" onClick={() => setConfirm('release')}>
          Release the kill switch
        </button>
      ) : (
        <button type="button" class="danger" onClick={() => setConfirm('engage')}>
          Engage the kill switch
        </button>
      )}
      {confirm === 'engage' && (
        <ConfirmDialog
          title="Engage the kill switch?"
          confirmLabel={flatten ? `Kill ${active.length} bot(s) and flatten` : `Stop ${active.length} bot(s)`}
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            await api.post('/api/kill-switch', { engaged: true, flatten });
            ks.reload();
          }}
        >
          <p>
            This affects <strong>{active.length}</strong> running, paused or halted bot(s){active.length ? `: ${active.map((b) => b.name).join(', ')}` : ''}. Each one{' '}
            {flatten ? 'cancels its orders and closes its position at market now (kill)' : 'cancels its working orders and stops; open positions stay open (stop)'}. No bot can start or resume until you release the switch.
          </p>
          <div class="checkbox">
            <input id="ks-flatten" type="checkbox" checked={flatten} onChange={(e) => setFlatten(e.currentTarget.checked)} />
            <label for="ks-flatten">Also close every open position at market (flatten)</label>
          </div>
        </ConfirmDialog>
      )}
      {confirm === 'release' && (
        <ConfirmDialog
          title="Release the kill switch?"
          confirmLabel="Release"
          danger={false}
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            await api.post('/api/kill-switch', { engaged: false });
            ks.reload();
          }}
        >
          <p>Bots can be started and resumed again. Stopped bots stay stopped until you start them.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

export default function OverviewPage() {
  const bots = useApi<ApiPage<BotView>>('/api/bots?limit=100');
  const runs = useApi<ApiPage<JobSummaryView>>('/api/backtests?limit=5');
  const [health, setHealth] = useState<Health | undefined>();
  useEffect(() => {
    // 503 still carries the per-component body, so read it either way.
    fetch('/api/health')
      .then((r) => r.json() as Promise<Health>)
      .then(setHealth, () => setHealth(undefined));
  }, []);
  const botsMissing = isMissingApi(bots.error);

  return (
    <Page title="Overview">
      <div class="two-col wide-left">
        <Card title="Bots" id="bots" actions={!botsMissing && <a href="/bots/new">New bot</a>}>
          <ListStates
            list={bots} errorTitle="The bots could not be loaded" unavailable={{ feature: 'Bots', route: '/api/bots' }}
            empty={
              <EmptyState title="No bots yet">
                <p>
                  <a href="/connections">Add a connection</a>, then <a href="/bots/new">create a bot</a>.
                </p>
              </EmptyState>
            }
          >
            {(rows) => (
              <BotsSummary bots={rows} />
            )}
          </ListStates>
        </Card>
        <Card title="Kill switch" id="kill-switch">
          {botsMissing ? <Unavailable feature="The kill switch and its controls" route="/api/kill-switch" /> : <KillSwitch bots={bots.data?.items ?? []} />}
        </Card>
      </div>
      <div class="two-col">
        <Card title="Recent backtests" id="recent" actions={<a href="/backtests/new">New backtest</a>}>
          <ListStates
            list={runs} errorTitle="The backtests could not be loaded"
            empty={
              <EmptyState title="No backtests yet">
                <p>
                  <a href="/backtests/new">Backtest a strategy</a> on a CSV before you trade it.
                </p>
              </EmptyState>
            }
          >
            {(rows) => (
              <ul class="plain-list">
                {rows.map((j) => (
                  <li key={j.id}>
                    <a href={`/backtests/${j.id}`}>{j.name}</a> <StatusBadge job={j} /> <span class={toneOf(j.stats?.returnPct)}>{fmtPct(j.stats?.returnPct)}</span>
                  </li>
                ))}
              </ul>
            )}
          </ListStates>
        </Card>
        <Card title="Platform status" id="status">
          {!health ? (
            <Loading />
          ) : (
            <table data-testid="health" class="compact">
              <caption class="visually-hidden">Platform components</caption>
              <thead>
                <tr>
                  <th scope="col">Component</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">
                    Latency
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(health.components).map(([name, c]) => (
                  <tr key={name}>
                    <td>{name}</td>
                    <td class={c.status === 'up' ? 'up' : 'down'}>{c.status}</td>
                    <td class="num">{c.latencyMs.toFixed(1)} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </Page>
  );
}
