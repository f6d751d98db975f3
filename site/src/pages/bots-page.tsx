/** The tenant's bots with status, market, strategy and mode. */
import type { BotView } from '../../../shared/schemas/bots-views.js';
import { Card, Page } from '../components/page.js';
import { EmptyState, ListStates } from '../components/states.js';
import { isMissingApi, type Page as ApiPage } from '../lib/api.js';
import { isLive, marketText } from '../lib/bots.js';
import { fmtDateTime, fmtNumber } from '../lib/format.js';
import { botUpdatesIn, useLive } from '../lib/live.js';
import { useApi } from '../lib/use-api.js';
import { DataTable } from '../components/data-table.js';

export function BotStatusBadge({ status }: { status: BotView['status'] }) {
  return <span class={`badge bot-${status}`}>{status}</span>;
}

export default function BotsPage() {
  const bots = useApi<ApiPage<BotView>>('/api/bots?limit=100', { pollMs: 5000, keepPolling: (p) => p.items.some((b) => isLive(b.status)) });
  const missing = isMissingApi(bots.error);
  // Status changes arrive live while the list shows a running bot; polling stays as the fallback.
  const anyLive = !!bots.data?.items.some((b) => isLive(b.status));
  useLive(anyLive, (n) => [n.groups.bots], (_group, data) => {
    const shown = new Map(bots.data?.items.map((b) => [b.id, b.status]));
    if (botUpdatesIn(data).some((u) => shown.get(u.botId) !== u.status)) bots.reload();
  });
  return (
    <Page
      title="Bots"
      subtitle="Strategies trading on your connections, paper or live."
      actions={
        !missing && (
          <a class="button primary" href="/bots/new">
            New bot
          </a>
        )
      }
    >
      <Card>
        <ListStates
          list={bots} errorTitle="The bots could not be loaded" unavailable={{ feature: 'Bots', route: '/api/bots' }}
          empty={
            <EmptyState title="No bots yet">
              <p>
                <a href="/bots/new">Create a bot</a>: pick a connection, a market and a strategy, backtest it, then start it.
              </p>
            </EmptyState>
          }
        >
          {(rows) => (
            <DataTable caption="Bots" testId="bots-table" columns={[{ label: 'Bot' }, { label: 'Status' }, { label: 'Market' }, { label: 'Strategy' }, { label: 'Mode' }, { label: 'Capital', num: true }, { label: 'Updated' }]}>
              {rows.map((b) => (
                <tr key={b.id}>
                  <td>
                    <a href={`/bots/${b.id}`}>{b.name}</a>
                  </td>
                  <td>
                    <BotStatusBadge status={b.status} />
                    {b.reason && <div class="small muted">{b.reason.message}</div>}
                  </td>
                  <td>{marketText(b)}</td>
                  <td>{b.strategy.id}</td>
                  <td>{b.mode ?? '—'}</td>
                  <td class="num">{b.capital === null ? 'paper balance' : fmtNumber(b.capital)}</td>
                  <td class="small">{fmtDateTime(b.updatedAtMs)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </ListStates>
      </Card>
    </Page>
  );
}
