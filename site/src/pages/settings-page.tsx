/** Settings: personal API tokens (create with scopes and expiry, shown once; list; revoke). */
import { useState } from 'preact/hooks';
import type { ApiTokenView, CreatedTokenBody } from '../../../shared/schemas/token-schemas.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { CopyButton } from '../components/copy-button.js';
import { describedBy, Field } from '../components/field.js';
import { Card, Page } from '../components/page.js';
import { EmptyState, ErrorState, ListStates } from '../components/states.js';
import { api, asFailure, type ApiFailure, type Page as ApiPage } from '../lib/api.js';
import { fmtDate } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { DataTable } from '../components/data-table.js';

const SCOPES = [
  { id: 'read', label: 'read — list and read everything' },
  { id: 'trade', label: 'trade — test connections, start backtests, command bots' },
] as const;

export default function SettingsPage() {
  const tokens = useApi<ApiPage<ApiTokenView>>('/api/tokens?limit=100');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [days, setDays] = useState('30');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | undefined>();
  const [created, setCreated] = useState<CreatedTokenBody | undefined>();
  const [revoking, setRevoking] = useState<ApiTokenView | undefined>();
  const fieldError = (path: string): string | undefined => error?.fieldIssues.find((i) => i.path === path)?.message;

  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setCreated(await api.post<CreatedTokenBody>('/api/tokens', { name, scopes, expiresInDays: Number(days) }));
      setName('');
      tokens.reload();
    } catch (x) {
      setError(asFailure(x));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Settings" subtitle="Personal API tokens let scripts call the API as you, within the scopes you give them.">
      <Card title="Create an API token" id="create-token">
        <form onSubmit={(e) => void create(e)} class="form" noValidate>
          <Field id="token-name" label="Name" hint="What the token is for, e.g. nightly export." error={fieldError('name')}>
            <input id="token-name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={100} required {...describedBy('token-name', true, fieldError('name'))} />
          </Field>
          <fieldset class="field">
            <legend>Scopes</legend>
            {SCOPES.map((s) => (
              <div class="checkbox" key={s.id}>
                <input
                  id={`scope-${s.id}`}
                  type="checkbox"
                  checked={scopes.includes(s.id)}
                  onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s.id] : scopes.filter((x) => x !== s.id))}
                />
                <label for={`scope-${s.id}`}>{s.label}</label>
              </div>
            ))}
            {fieldError('scopes') && (
              <small class="field-error" role="alert">
                {fieldError('scopes')}
              </small>
            )}
          </fieldset>
          <Field id="token-days" label="Expires after (days)" hint="1 to 365." error={fieldError('expiresInDays')}>
            <input id="token-days" inputMode="numeric" value={days} onInput={(e) => setDays(e.currentTarget.value)} {...describedBy('token-days', true, fieldError('expiresInDays'))} />
          </Field>
          {error && error.fieldIssues.length === 0 && <ErrorState error={error} title="The token was not created" />}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </form>
        {created && (
          <div class="notice" role="status">
            <p>
              <strong>Copy the token now:</strong> it is shown only once.
            </p>
            <p class="token-line">
              <code data-testid="new-token">{created.token}</code> <CopyButton value={created.token} label="Copy the API token" />
            </p>
            <p class="muted small">
              Send it as <code>X-TT-Token: {'<token>'}</code>.
            </p>
          </div>
        )}
      </Card>
      <Card title="Your tokens" id="tokens">
        <ListStates
          list={tokens} errorTitle="The tokens could not be loaded"
          empty={
            <EmptyState title="No API tokens yet">
              <p class="muted">Create one above to call the API from a script.</p>
            </EmptyState>
          }
        >
          {(rows) => (
            <DataTable caption="API tokens" columns={[{ label: 'Name' }, { label: 'Scopes' }, { label: 'Created' }, { label: 'Expires' }, { label: <span class="visually-hidden">Actions</span> }]}>
              {rows.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{fmtDate(t.createdAtMs)}</td>
                  <td class={t.expired ? 'down' : ''}>{t.expired ? `expired ${fmtDate(t.expiresAtMs)}` : fmtDate(t.expiresAtMs)}</td>
                  <td>
                    <button type="button" class="small danger" onClick={() => setRevoking(t)} aria-label={`Revoke token ${t.name}`}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </ListStates>
      </Card>
      {revoking && (
        <ConfirmDialog
          title={`Revoke "${revoking.name}"?`}
          confirmLabel="Revoke token"
          onClose={() => setRevoking(undefined)}
          onConfirm={async () => {
            await api.del(`/api/tokens/${revoking.id}`);
            tokens.reload();
          }}
        >
          <p>Scripts using this token get 401 from their next request. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </Page>
  );
}
