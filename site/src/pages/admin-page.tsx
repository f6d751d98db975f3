/** Admin (admin role): the tenant's durable entities (bots, exchange accounts) with their state summaries. */
import { useState } from 'preact/hooks';
import { Card, Page } from '../components/page.js';
import { EmptyState, ErrorState, Loading, ListStates } from '../components/states.js';
import { type Page as ApiPage } from '../lib/api.js';
import { isAdmin, useSession } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { DataTable } from '../components/data-table.js';

interface EntityItem {
  readonly name: 'bot' | 'account';
  readonly id: string;
  readonly lastOperationTime: string;
  readonly summary: Readonly<Record<string, unknown>>;
}

function EntityDetail({ name, id }: { name: string; id: string }) {
  const detail = useApi<unknown>(`/api/admin/entities/${name}/${id}`);
  if (detail.loading && !detail.data) return <Loading />;
  if (detail.error) return <ErrorState error={detail.error} title="The entity could not be read" />;
  return (
    <pre class="json" tabIndex={0} aria-label={`State of ${name} ${id}`}>
      {JSON.stringify(detail.data, null, 2)}
    </pre>
  );
}

export default function AdminPage() {
  const session = useSession();
  const [name, setName] = useState<'bot' | 'account'>('bot');
  const [open, setOpen] = useState<string | undefined>();
  const list = useApi<ApiPage<EntityItem>>(isAdmin(session) ? `/api/admin/entities?name=${name}&limit=100` : null);
  if (!isAdmin(session))
    return (
      <Page title="Admin">
        <EmptyState title="Admins only">
          <p class="muted">This page needs the admin role.</p>
        </EmptyState>
      </Page>
    );
  return (
    <Page title="Admin" subtitle="Durable entities of your tenant and their state.">
      <div role="group" aria-label="Entity kind" class="segmented buttons">
        {(['bot', 'account'] as const).map((n) => (
          <button key={n} type="button" aria-pressed={name === n} onClick={() => setName(n)}>
            {n === 'bot' ? 'Bot entities' : 'Account entities'}
          </button>
        ))}
      </div>
      <Card>
        <ListStates
          list={list} errorTitle="The entities could not be listed" unavailable={{ feature: 'Admin entity views', route: '/api/admin/entities' }}
          empty={
            <EmptyState title={`No ${name} entities`} />
          }
        >
          {(rows) => (
            <DataTable caption={<>{name} entities</>} class="compact" testId="entities-table" columns={[{ label: 'Id' }, { label: 'Last operation' }, { label: 'Summary' }]}>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td>
                    <button type="button" class="link" aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? undefined : e.id)}>
                      {e.id}
                    </button>
                    {open === e.id && <EntityDetail name={e.name} id={e.id} />}
                  </td>
                  <td class="small">{e.lastOperationTime}</td>
                  <td class="small">
                    {Object.entries(e.summary)
                      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </ListStates>
      </Card>
    </Page>
  );
}
