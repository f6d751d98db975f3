/**
 * Connections: list, add (the fields each venue needs; secrets are write-only and never shown
 * again), test, delete. The form validates with the API's own body schema before sending.
 */
import { useState } from 'preact/hooks';
import { CONNECTION_MODES, createConnectionBodySchema, EXCHANGES, EXCHANGE_IDS, type ConnectionView, type ExchangeId } from '../../../shared/schemas/connection-schemas.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { describedBy, Field } from '../components/field.js';
import { Card, Page } from '../components/page.js';
import { EmptyState, ErrorState, ListStates } from '../components/states.js';
import { api, asFailure, type ApiFailure, type Page as ApiPage } from '../lib/api.js';
import { fmtDateTime } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { DataTable } from '../components/data-table.js';

const CREDENTIAL_LABELS = { apiKey: 'API key', secret: 'API secret', passphrase: 'Passphrase' } as const;
const MODE_LABELS = { paper: 'Paper (simulated)', sandbox: 'Sandbox / testnet', live: 'Live (real money)' } as const;

function AddConnection({ onAdded }: { onAdded: () => void }) {
  const [exchangeId, setExchangeId] = useState<ExchangeId>('paper');
  const info = EXCHANGES[exchangeId];
  const [label, setLabel] = useState('');
  const [mode, setMode] = useState<string>('paper');
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [currency, setCurrency] = useState('USD');
  const [amount, setAmount] = useState('10000');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [busy, setBusy] = useState(false);

  const pickExchange = (id: ExchangeId): void => {
    setExchangeId(id);
    setMode(EXCHANGES[id].modes[0]!);
    setSecrets({});
    setIssues({});
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setFailure(undefined);
    const body = {
      exchangeId,
      label,
      mode,
      ...(info.credentials.length > 0 ? { credentials: Object.fromEntries(info.credentials.map((f) => [f, secrets[f] ?? ''])) } : {}),
      ...(exchangeId === 'paper' ? { paper: { startingBalance: { currency: currency.trim().toUpperCase(), amount: Number(amount) } } } : {}),
    };
    const checked = createConnectionBodySchema.safeParse(body);
    if (!checked.success) {
      const next: Record<string, string> = {};
      for (const issue of checked.error.issues) next[issue.path.join('.')] ??= issue.message;
      setIssues(next);
      return;
    }
    setIssues({});
    setBusy(true);
    try {
      await api.post<ConnectionView>('/api/connections', body);
      setLabel('');
      setSecrets({});
      onAdded();
    } catch (x) {
      const f = asFailure(x);
      setFailure(f);
      setIssues(Object.fromEntries(f.fieldIssues.map((i) => [i.path, i.message])));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a connection">
      <div class="form-grid">
        <Field id="conn-exchange" label="Exchange or broker">
          <select id="conn-exchange" value={exchangeId} onChange={(e) => pickExchange(e.currentTarget.value as ExchangeId)}>
            {EXCHANGE_IDS.map((id) => (
              <option key={id} value={id}>
                {EXCHANGES[id].name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="conn-label" label="Label" hint="Your name for this account." error={issues.label}>
          <input id="conn-label" value={label} maxLength={100} onInput={(e) => setLabel(e.currentTarget.value)} {...describedBy('conn-label', true, issues.label)} />
        </Field>
        <Field id="conn-mode" label="Mode" error={issues.mode}>
          <select id="conn-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value)} {...describedBy('conn-mode', false, issues.mode)}>
            {CONNECTION_MODES.filter((m) => info.modes.includes(m)).map((m) => (
              <option key={m} value={m}>
                {MODE_LABELS[m]}
              </option>
            ))}
          </select>
        </Field>
        {info.credentials.map((f) => {
          const id = `conn-${f}`;
          const error = issues[`credentials.${f}`] ?? issues.credentials;
          return (
            <Field key={f} id={id} label={CREDENTIAL_LABELS[f]} hint="Write-only: stored in the secret store, never shown again." error={error}>
              {f === 'secret' ? (
                <textarea id={id} rows={2} autoComplete="off" spellcheck={false} value={secrets[f] ?? ''} onInput={(e) => setSecrets({ ...secrets, [f]: e.currentTarget.value })} {...describedBy(id, true, error)} />
              ) : (
                <input id={id} type="password" autoComplete="off" value={secrets[f] ?? ''} onInput={(e) => setSecrets({ ...secrets, [f]: e.currentTarget.value })} {...describedBy(id, true, error)} />
              )}
            </Field>
          );
        })}
        {exchangeId === 'paper' && (
          <>
            <Field id="conn-currency" label="Starting currency" error={issues['paper.startingBalance.currency']}>
              <input id="conn-currency" value={currency} maxLength={10} onInput={(e) => setCurrency(e.currentTarget.value)} {...describedBy('conn-currency', false, issues['paper.startingBalance.currency'])} />
            </Field>
            <Field id="conn-amount" label="Starting balance" error={issues['paper.startingBalance.amount']}>
              <input id="conn-amount" inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} {...describedBy('conn-amount', false, issues['paper.startingBalance.amount'])} />
            </Field>
          </>
        )}
      </div>
      {mode === 'live' && info.withdrawalPermission !== 'not-applicable' && (
        <p class="notice small">
          Use a key <strong>without withdrawal rights</strong>.{' '}
          {info.withdrawalPermission === 'reported' ? 'The connection test refuses keys that can withdraw.' : `${info.name} does not report key permissions, so the test cannot check this for you.`}
        </p>
      )}
      {failure && failure.fieldIssues.length === 0 && <ErrorState error={failure} title="The connection was not added" />}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add connection'}
      </button>
    </form>
  );
}

export default function ConnectionsPage() {
  const list = useApi<ApiPage<ConnectionView>>('/api/connections?limit=100');
  const [testing, setTesting] = useState<string | undefined>();
  const [testError, setTestError] = useState<ApiFailure | undefined>();
  const [deleting, setDeleting] = useState<ConnectionView | undefined>();

  const test = async (c: ConnectionView): Promise<void> => {
    setTesting(c.id);
    setTestError(undefined);
    try {
      await api.post(`/api/connections/${c.id}/test`);
      list.reload();
    } catch (x) {
      setTestError(asFailure(x));
    } finally {
      setTesting(undefined);
    }
  };

  return (
    <Page title="Connections" subtitle="Exchange and broker accounts your bots trade through.">
      <Card title="Add a connection" id="add-connection">
        <AddConnection onAdded={list.reload} />
      </Card>
      <Card title="Your connections" id="connections">
        {testError && <ErrorState error={testError} title="The test could not run" />}
        <ListStates
          list={list} errorTitle="The connections could not be loaded"
          empty={
            <EmptyState title="No connections yet">
              <p class="muted">Add a paper connection to try bots without real money.</p>
            </EmptyState>
          }
        >
          {(rows) => (
            <DataTable caption="Connections" testId="connections-table" columns={[{ label: 'Label' }, { label: 'Venue' }, { label: 'Mode' }, { label: 'Key' }, { label: 'Last test' }, { label: <span class="visually-hidden">Actions</span> }]}>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>{c.label}</td>
                  <td>{EXCHANGES[c.exchangeId].name}</td>
                  <td>{c.mode}</td>
                  <td>{c.keyHint ?? (c.paper ? `${c.paper.startingBalance.amount.toLocaleString('en-US')} ${c.paper.startingBalance.currency}` : '—')}</td>
                  <td>
                    {c.lastTest ? (
                      <span class={c.lastTest.status === 'passed' ? 'up' : 'down'} title={c.lastTest.message}>
                        {c.lastTest.status} <span class="muted small">({c.lastTest.code}, {fmtDateTime(c.lastTest.checkedAtMs)})</span>
                      </span>
                    ) : (
                      <span class="muted">never</span>
                    )}
                  </td>
                  <td class="row-actions">
                    <button type="button" class="small" onClick={() => void test(c)} disabled={testing === c.id} aria-label={`Test ${c.label}`}>
                      {testing === c.id ? 'Testing…' : 'Test'}
                    </button>
                    <button type="button" class="small danger" onClick={() => setDeleting(c)} aria-label={`Delete ${c.label}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </ListStates>
      </Card>
      {deleting && (
        <ConfirmDialog
          title={`Delete "${deleting.label}"?`}
          confirmLabel="Delete connection"
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await api.del(`/api/connections/${deleting.id}`);
            list.reload();
          }}
        >
          <p>
            This removes the connection{deleting.hasCredentials ? ' and deletes its stored credentials' : ''}. Bots that are running on it must be stopped first; the API refuses
            otherwise.
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}
