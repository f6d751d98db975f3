/**
 * One bot: state and controls (destructive ones confirmed), live numbers, price with its trades,
 * equity and drawdown, performance statistics, and tabs for orders, fills, events, decisions and
 * config versions. Refreshes while the bot can change by itself.
 */
import type { ComponentChildren } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import type { EquitySeriesView } from '../../../shared/schemas/backtest-views.js';
import type { BotPerformanceView } from '../../../shared/schemas/bots-performance.js';
import type { BotCommandAnswer, BotEquityView, BotEventView, BotFillView, BotOrderView, BotView } from '../../../shared/schemas/bots-views.js';
import { BacktestCharts } from '../charts/backtest-charts.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { Card, Page } from '../components/page.js';
import { StatsTable } from '../components/stats-table.js';
import { EmptyState, ErrorState, Loading, Unavailable } from '../components/states.js';
import { Tabs } from '../components/tabs.js';
import { api, asFailure, isMissingApi, type ApiFailure, type Page as ApiPage } from '../lib/api.js';
import { COMMAND_LABEL, COMMANDS_IN, isLive, marketText, type BotCommand } from '../lib/bots.js';
import { fmtDateTime, fmtNumber } from '../lib/format.js';
import { botUpdatesIn, marketGroupName, useLive } from '../lib/live.js';
import { navigate } from '../lib/router.js';
import { useApi, type Loaded } from '../lib/use-api.js';
import { BotStatusBadge } from './bots-page.js';

function equitySeries(points: readonly BotEquityView[]): EquitySeriesView {
  const sorted = [...points].sort((a, b) => a.barTimeMs - b.barTimeMs);
  let peak = -Infinity;
  const drawdownPct = sorted.map((p) => {
    peak = Math.max(peak, p.equity);
    return peak > 0 ? (p.equity / peak - 1) * 100 : 0;
  });
  return { timeMs: sorted.map((p) => p.barTimeMs), close: sorted.map((p) => p.close), equity: sorted.map((p) => p.equity), drawdownPct, bars: sorted.length, bucketBars: 1 };
}

function PagedList<T>({ data, empty, render }: { data: Loaded<ApiPage<T>>; empty: string; render: (items: readonly T[]) => ComponentChildren }) {
  if (data.loading && !data.data) return <Loading />;
  if (data.error) return <ErrorState error={data.error} retry={data.reload} title="This list could not be loaded" />;
  if (!data.data || data.data.items.length === 0) return <EmptyState title={empty} />;
  return <div class="table-scroll" tabIndex={0}>{render(data.data.items)}</div>;
}

function EventsTable({ items }: { items: readonly BotEventView[] }) {
  return (
    <table class="compact">
      <caption class="visually-hidden">Events, newest first</caption>
      <thead>
        <tr>
          <th scope="col" class="num">
            #
          </th>
          <th scope="col">Time</th>
          <th scope="col">Type</th>
          <th scope="col">What happened</th>
          <th scope="col">Code</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.id}>
            <td class="num">{e.seq}</td>
            <td class="small">{fmtDateTime(e.atMs)}</td>
            <td>{e.type}</td>
            <td>{e.message}</td>
            <td class="small">{e.code ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Config versions: each event names the changed paths; shown as a diff list. */
function ConfigVersions({ items }: { items: readonly BotEventView[] }) {
  return (
    <ol class="versions">
      {items.map((e) => {
        const changes = Array.isArray(e.data.changes) ? (e.data.changes as unknown[]).map(String) : [];
        return (
          <li key={e.id}>
            <strong>{e.message}</strong> <span class="muted small">{fmtDateTime(e.atMs)}</span>
            {changes.length > 0 ? (
              <ul class="diff">
                {changes.map((c) => (
                  <li key={c}>
                    <code>{c}</code> changed
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted small">First version.</p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

export default function BotPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const bot = useApi<BotView>(`/api/bots/${id}`, { pollMs: 2000, keepPolling: (b) => isLive(b.status) });
  const live = bot.data ? isLive(bot.data.status) : false;
  const poll = { pollMs: 4000, keepPolling: () => live };
  const perf = useApi<BotPerformanceView>(bot.data ? `/api/bots/${id}/performance` : null, poll);
  const equity = useApi<ApiPage<BotEquityView>>(bot.data ? `/api/bots/${id}/equity?limit=100` : null, poll);
  const [tab, setTab] = useState('orders');
  const orders = useApi<ApiPage<BotOrderView>>(tab === 'orders' ? `/api/bots/${id}/orders?limit=100` : null, poll);
  const fills = useApi<ApiPage<BotFillView>>(tab === 'fills' ? `/api/bots/${id}/fills?limit=100` : null, poll);
  const events = useApi<ApiPage<BotEventView>>(tab === 'events' ? `/api/bots/${id}/events?limit=100` : null, poll);
  const decisions = useApi<ApiPage<BotEventView>>(tab === 'decisions' ? `/api/bots/${id}/events?limit=100&type=decision` : null, poll);
  const versions = useApi<ApiPage<BotEventView>>(tab === 'versions' ? `/api/bots/${id}/events?limit=100&type=config-version` : null);
  const [confirm, setConfirm] = useState<BotCommand | 'delete' | undefined>();
  const [closePosition, setClosePosition] = useState(true);
  const [busy, setBusy] = useState<BotCommand | undefined>();
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const series = useMemo(() => (equity.data ? equitySeries(equity.data.items) : undefined), [equity.data]);
  const [tick, setTick] = useState<{ price: number; timeMs: number } | undefined>();
  // Ticks arrive up to 10 a second; the page shows at most 4 of them a second.
  const lastTickShownMs = useRef(0);
  const market = bot.data?.market;
  const liveState = useLive(
    live,
    (n) => (market ? [n.groups.bots, marketGroupName(n, market.exchange, market.symbol)] : [n.groups.bots]),
    (_group, data) => {
      const message = data as { type?: string; market?: string; price?: number; timeMs?: number } | null;
      if (message?.type === 'tick') {
        const now = Date.now();
        if (market && message.market === `${market.exchange}:${market.symbol}` && typeof message.price === 'number' && typeof message.timeMs === 'number' && now - lastTickShownMs.current >= 250) {
          lastTickShownMs.current = now;
          setTick({ price: message.price, timeMs: message.timeMs });
        }
        return;
      }
      // The bot's own update: reload what it changed (the REST answers stay the record).
      const mine = botUpdatesIn(data).filter((u) => u.botId === id);
      if (mine.length === 0) return;
      bot.reload();
      if (mine.some((u) => u.equity)) {
        equity.reload();
        perf.reload();
      }
      if (mine.some((u) => u.orders.length > 0)) orders.reload();
      if (mine.some((u) => u.fills.length > 0)) fills.reload();
      if (mine.some((u) => u.events.length > 0)) {
        events.reload();
        decisions.reload();
      }
    },
  );

  const send = async (command: BotCommand): Promise<void> => {
    setBusy(command);
    setFailure(undefined);
    try {
      await api.post<BotCommandAnswer>(`/api/bots/${id}/${command}`, command === 'stop' ? { closePosition } : undefined);
      bot.reload();
    } finally {
      setBusy(undefined);
    }
  };
  const run = (command: BotCommand): void => {
    if (command === 'stop' || command === 'kill') setConfirm(command);
    else send(command).catch((e: unknown) => setFailure(asFailure(e)));
  };

  if (bot.loading && !bot.data) return <Loading label="Loading the bot…" />;
  if (isMissingApi(bot.error))
    return (
      <Page title="Bot">
        <Unavailable feature="Bots" route="/api/bots" />
      </Page>
    );
  if (bot.error && !bot.data) return <ErrorState error={bot.error} retry={bot.reload} title="The bot could not be loaded" />;
  const b = bot.data;
  if (!b) return null;
  const rt = b.runtime;

  return (
    <Page
      title={b.name}
      subtitle={
        <>
          <BotStatusBadge status={b.status} /> <span data-testid="bot-status" class="visually-hidden">{b.status}</span>
          {marketText(b)} · {b.strategy.id} · {b.mode ?? 'connection missing'} · config v{b.configVersion}
        </>
      }
      actions={
        <>
          {COMMANDS_IN[b.status].map((c) => (
            <button key={c} type="button" class={c === 'kill' || c === 'stop' ? 'danger' : c === 'start' || c === 'resume' ? 'primary' : ''} disabled={busy !== undefined} onClick={() => run(c)}>
              {busy === c ? `${COMMAND_LABEL[c]}…` : COMMAND_LABEL[c]}
            </button>
          ))}
          <a class="button" href={`/bots/${b.id}/edit`}>
            Edit
          </a>
          {(b.status === 'draft' || b.status === 'stopped') && (
            <button type="button" class="danger" onClick={() => setConfirm('delete')}>
              Delete
            </button>
          )}
        </>
      }
    >
      {failure && <ErrorState error={failure} title="The command was refused" />}
      {b.reason && (
        <p class={`notice ${b.status === 'halted' || b.status === 'faulted' ? 'bad' : ''}`} role="status">
          <strong>{b.reason.code}</strong>: {b.reason.message}
        </p>
      )}
      <div class="headline">
        <div>
          <span class="muted small">Last price</span>
          <strong data-testid="last-price">{tick ? fmtNumber(tick.price) : '—'}</strong>
          <span class="muted small" data-testid="live-state">{live ? (liveState === 'live' ? 'live' : liveState === 'connecting' ? 'connecting…' : 'refreshing every few seconds') : 'not running'}</span>
        </div>
        <div>
          <span class="muted small">Equity</span>
          <strong>{fmtNumber(rt?.equity)}</strong>
        </div>
        <div>
          <span class="muted small">Balance</span>
          <strong>{fmtNumber(rt?.balance)}</strong>
        </div>
        <div>
          <span class="muted small">Position</span>
          <strong>{rt?.position ? (rt.position.side === 'flat' ? 'flat' : `${rt.position.side} ${fmtNumber(rt.position.quantity, 4)} @ ${fmtNumber(rt.position.entryPrice)}`) : '—'}</strong>
        </div>
        <div>
          <span class="muted small">Open orders</span>
          <strong>{rt?.openOrders ?? '—'}</strong>
        </div>
        <div>
          <span class="muted small">Bars</span>
          <strong>{rt?.barsProcessed ?? '—'}</strong>
          <span class="muted small">{rt?.lastBarTimeMs ? `last ${fmtDateTime(rt.lastBarTimeMs)}` : ''}</span>
        </div>
      </div>
      <Card title="Price, equity and drawdown" id="bot-charts">
        {equity.error ? (
          <ErrorState error={equity.error} title="The equity could not be loaded" />
        ) : !series ? (
          <Loading />
        ) : series.timeMs.length < 2 ? (
          <EmptyState title="No bars yet">
            <p class="muted">The charts start once the bot has processed bars (last {100} bars are shown).</p>
          </EmptyState>
        ) : (
          <BacktestCharts equity={series} trades={perf.data?.trades ?? []} openTrades={[]} syncKey={`bot-${b.id}`} />
        )}
      </Card>
      <Card title="Performance" id="bot-performance">
        {perf.error ? <ErrorState error={perf.error} title="The performance could not be computed" /> : !perf.data ? <Loading /> : perf.data.bars < 2 ? <EmptyState title="Not enough bars yet" /> : <StatsTable columns={[{ label: b.name, stats: perf.data.statistics }]} caption="Performance of the bot" />}
      </Card>
      <Card title="Activity" id="bot-activity">
        <Tabs
          label="Bot activity"
          active={tab}
          onChange={setTab}
          tabs={[
            {
              id: 'orders',
              label: 'Orders',
              render: () => (
                <PagedList
                  data={orders}
                  empty="No orders yet"
                  render={(items) => (
                    <table class="compact">
                      <caption class="visually-hidden">Orders, newest first</caption>
                      <thead>
                        <tr>
                          <th scope="col">Client order id</th>
                          <th scope="col">Intent</th>
                          <th scope="col">Status</th>
                          <th scope="col" class="num">
                            Filled
                          </th>
                          <th scope="col" class="num">
                            Avg price
                          </th>
                          <th scope="col">Created</th>
                        </tr>
                      </thead>
                      <tbody>
                        {items.map((o) => (
                          <tr key={o.clientOrderId}>
                            <td class="small">{o.clientOrderId}</td>
                            <td>
                              {o.intent.kind} {'side' in o.intent ? o.intent.side : ''} {'type' in o.intent ? o.intent.type : ''}
                              <div class="small muted">{o.intent.reason}</div>
                            </td>
                            <td>
                              {o.status}
                              {o.statusReason && <div class="small muted">{o.statusReason}</div>}
                            </td>
                            <td class="num">{fmtNumber(o.filledQuantity, 4)}</td>
                            <td class="num">{fmtNumber(o.averagePrice)}</td>
                            <td class="small">{fmtDateTime(o.createdAtMs)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                />
              ),
            },
            {
              id: 'fills',
              label: 'Fills',
              render: () => (
                <PagedList
                  data={fills}
                  empty="No fills yet"
                  render={(items) => (
                    <table class="compact">
                      <caption class="visually-hidden">Fills, newest first</caption>
                      <thead>
                        <tr>
                          <th scope="col">Time</th>
                          <th scope="col">Side</th>
                          <th scope="col" class="num">
                            Quantity
                          </th>
                          <th scope="col" class="num">
                            Price
                          </th>
                          <th scope="col" class="num">
                            Fee
                          </th>
                          <th scope="col" class="num">
                            Realized P&amp;L
                          </th>
                          <th scope="col">Reason</th>
                        </tr>
                      </thead>
                      <tbody>
                        {items.map((f) => (
                          <tr key={f.fillId}>
                            <td class="small">{fmtDateTime(f.timeMs)}</td>
                            <td class={f.side === 'buy' ? 'up' : 'down'}>{f.side}</td>
                            <td class="num">{fmtNumber(f.quantity, 4)}</td>
                            <td class="num">{fmtNumber(f.price)}</td>
                            <td class="num">{fmtNumber(f.fee)}</td>
                            <td class="num">{fmtNumber(f.realizedPnl)}</td>
                            <td class="small">{f.reason}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                />
              ),
            },
            { id: 'events', label: 'Events', render: () => <PagedList data={events} empty="No events yet" render={(items) => <EventsTable items={items} />} /> },
            { id: 'decisions', label: 'Signals and decisions', render: () => <PagedList data={decisions} empty="No decisions yet" render={(items) => <EventsTable items={items} />} /> },
            { id: 'versions', label: 'Config versions', render: () => <PagedList data={versions} empty="No config versions" render={(items) => <ConfigVersions items={items} />} /> },
          ]}
        />
      </Card>
      {confirm === 'stop' && (
        <ConfirmDialog title={`Stop "${b.name}"?`} confirmLabel="Stop the bot" onClose={() => setConfirm(undefined)} onConfirm={() => send('stop')}>
          <p>The bot cancels its working orders and stops trading {marketText(b)}.</p>
          <div class="checkbox">
            <input id="stop-close" type="checkbox" checked={closePosition} onChange={(e) => setClosePosition(e.currentTarget.checked)} />
            <label for="stop-close">Also close its open position at the next bar</label>
          </div>
        </ConfirmDialog>
      )}
      {confirm === 'kill' && (
        <ConfirmDialog title={`Kill "${b.name}"?`} confirmLabel="Kill: cancel and flatten now" onClose={() => setConfirm(undefined)} onConfirm={() => send('kill')}>
          <p>
            Kill cancels every working order of this bot and closes its position at market <strong>now</strong>, then stops it.
          </p>
        </ConfirmDialog>
      )}
      {confirm === 'delete' && (
        <ConfirmDialog
          title={`Delete "${b.name}"?`}
          confirmLabel="Delete bot"
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            await api.del(`/api/bots/${b.id}`);
            navigate('/bots');
          }}
        >
          <p>The bot and its configuration are removed from your list. Its recorded events stay for audit.</p>
        </ConfirmDialog>
      )}
    </Page>
  );
}
