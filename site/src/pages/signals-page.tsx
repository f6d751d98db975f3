/**
 * Signals (TradingView webhooks) per bot: the hook URL and passphrase with copy buttons (the
 * passphrase only right after enabling or rotating: the API keeps only its hash), ready alert
 * templates, a test alert, and the recent signals with outcome and reason; rejected ones can be
 * replayed once their cause is fixed. The types mirror the API's answers (docs/api.md).
 */
import { useEffect, useState } from 'preact/hooks';
import type { BotView } from '../../../shared/schemas/bots-views.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { CopyButton } from '../components/copy-button.js';
import { Field } from '../components/field.js';
import { Card, Page } from '../components/page.js';
import { EmptyState, ErrorState, Loading, Unavailable } from '../components/states.js';
import { api, asFailure, isMissingApi, type ApiFailure, type Page as ApiPage } from '../lib/api.js';
import { fmtDateTime } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { DataTable } from '../components/data-table.js';

interface HookView {
  readonly botId: string;
  readonly url: string;
  readonly hookIdHint: string;
  readonly revision: number;
  readonly settings: { readonly allowControl: boolean; readonly requireSignature: boolean; readonly ipAllowlist: readonly string[]; readonly replayWindowSeconds: number };
  readonly createdAtMs: number;
  readonly rotatedAtMs: number | null;
}

interface HookSecrets {
  readonly hook: HookView;
  readonly credentials: { readonly passphrase: string; readonly signingKey: string };
  readonly alertTemplates: { readonly strategy: string; readonly indicator: string; readonly plainText: string };
}

interface SignalView {
  readonly id: string;
  readonly receivedAtMs: number;
  readonly latencyMs: number;
  readonly sourceAddress: string | null;
  readonly outcome: 'accepted' | 'duplicate' | 'rejected';
  readonly httpStatus: number;
  readonly code: string | null;
  readonly reason: string;
  readonly ticker: string | null;
  readonly test: boolean;
  readonly replayOf: string | null;
  readonly replayed: { readonly signalId: string } | null;
  readonly replayableUntilMs: number | null;
}

function Secrets({ secrets }: { secrets: HookSecrets }) {
  const rows: [string, string, string][] = [
    ['Webhook URL', secrets.hook.url, 'Copy the webhook URL'],
    ['Passphrase', secrets.credentials.passphrase, 'Copy the passphrase'],
    ['Signing key (X-TT-Signature)', secrets.credentials.signingKey, 'Copy the signing key'],
  ];
  return (
    <div class="notice" role="status">
      <p>
        <strong>Copy these now.</strong> The passphrase and signing key are shown only once; rotate to get new ones.
      </p>
      <table class="kv">
        <tbody>
          {rows.map(([k, v, label]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td class="token-line">
                <code>{v}</code> <CopyButton value={v} label={label} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>TradingView alert message</h3>
      {(
        [
          ['Strategy alerts', secrets.alertTemplates.strategy],
          ['Indicator alerts', secrets.alertTemplates.indicator],
          ['Plain text', secrets.alertTemplates.plainText],
        ] as const
      ).map(([title, text]) => (
        <div key={title} class="template">
          <p>
            {title} <CopyButton value={text} label={`Copy the ${title.toLowerCase()} template`} />
          </p>
          <pre tabIndex={0} aria-label={`${title} template`}>{text}</pre>
        </div>
      ))}
    </div>
  );
}

function BotSignals({ bot }: { bot: BotView }) {
  const hook = useApi<HookView>(`/api/bots/${bot.id}/hook`);
  const signals = useApi<ApiPage<SignalView>>(`/api/bots/${bot.id}/signals?limit=50`);
  const [secrets, setSecrets] = useState<HookSecrets | undefined>();
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [confirm, setConfirm] = useState<'rotate' | 'disable' | undefined>();
  const [testResult, setTestResult] = useState<string | undefined>();
  useEffect(() => setSecrets(undefined), [bot.id]);
  const act = async (name: string, fn: () => Promise<void>): Promise<void> => {
    setBusy(name);
    setFailure(undefined);
    try {
      await fn();
    } catch (e) {
      setFailure(asFailure(e));
    } finally {
      setBusy(undefined);
    }
  };
  const noHook = hook.error?.code === 'NOT_FOUND';

  return (
    <>
      <Card title={`Webhook of ${bot.name}`} id="hook">
        {failure && <ErrorState error={failure} title="That did not work" />}
        {hook.loading && !hook.data ? (
          <Loading />
        ) : isMissingApi(hook.error) ? (
          <Unavailable feature="Webhooks" route={`/api/bots/{id}/hook`} />
        ) : noHook ? (
          <EmptyState title="No webhook yet">
            <p class="muted">Enable one to drive this bot with TradingView alerts.</p>
            <button type="button" class="primary" disabled={busy !== undefined} onClick={() =>
                void act('enable', async () => {
                  setSecrets(await api.post<HookSecrets>(`/api/bots/${bot.id}/hook`));
                  hook.reload();
                })
              }>
              Enable webhook
            </button>
          </EmptyState>
        ) : hook.error ? (
          <ErrorState error={hook.error} retry={hook.reload} title="The webhook could not be loaded" />
        ) : hook.data ? (
          <>
            <p class="token-line">
              <code data-testid="hook-url">{hook.data.url}</code> <CopyButton value={hook.data.url} label="Copy the webhook URL" />
            </p>
            <p class="muted small">
              Revision {hook.data.revision}
              {hook.data.rotatedAtMs ? `, rotated ${fmtDateTime(hook.data.rotatedAtMs)}` : `, created ${fmtDateTime(hook.data.createdAtMs)}`} · control signals {hook.data.settings.allowControl ? 'allowed' : 'refused'} ·{' '}
              {hook.data.settings.requireSignature ? 'signature required' : 'passphrase or signature'}
            </p>
            {secrets && <Secrets secrets={secrets} />}
            {!secrets && <p class="muted small">The passphrase is not stored in a readable form. Rotate the webhook to get a new one (the old URL and passphrase stop working).</p>}
            <div class="actions">
              <button
                type="button"
                disabled={busy !== undefined}
                onClick={() =>
                  void act('test', async () => {
                    const r = await api.post<{ intake: { status: number; body: unknown } }>(`/api/bots/${bot.id}/signals/test`, { action: 'buy' });
                    setTestResult(`The test alert answered ${r.intake.status}: ${JSON.stringify(r.intake.body)}`);
                    signals.reload();
                  })
                }
              >
                {busy === 'test' ? 'Sending…' : 'Send a test alert'}
              </button>
              <button type="button" onClick={() => setConfirm('rotate')}>
                Rotate
              </button>
              <button type="button" class="danger" onClick={() => setConfirm('disable')}>
                Disable
              </button>
            </div>
            {testResult && (
              <p role="status" class="small">
                {testResult}
              </p>
            )}
          </>
        ) : null}
      </Card>
      <Card title="Recent signals" id="signals">
        {signals.loading && !signals.data ? (
          <Loading />
        ) : signals.error && !noHook ? (
          <ErrorState error={signals.error} retry={signals.reload} title="The signals could not be loaded" />
        ) : !signals.data || signals.data.items.length === 0 ? (
          <EmptyState title="No signals received yet" />
        ) : (
          <DataTable caption="Signals, newest first" class="compact" columns={[{ label: 'Received' }, { label: 'Outcome' }, { label: 'Reason' }, { label: 'From' }, { label: <span class="visually-hidden">Actions</span> }]}>
            {signals.data.items.map((s) => (
              <tr key={s.id}>
                <td class="small">
                  {fmtDateTime(s.receivedAtMs)}
                  {s.test ? ' (test)' : ''}
                  {s.replayOf ? ' (replay)' : ''}
                </td>
                <td class={s.outcome === 'accepted' ? 'up' : s.outcome === 'rejected' ? 'down' : ''}>
                  {s.outcome} <span class="muted small">{s.httpStatus}</span>
                </td>
                <td>
                  {s.reason} {s.code && <span class="muted small">({s.code})</span>}
                </td>
                <td class="small">{s.sourceAddress ?? '—'}</td>
                <td>
                  {s.outcome === 'rejected' && s.replayableUntilMs !== null && !s.replayed && s.replayableUntilMs > Date.now() && (
                    <button type="button" class="small" disabled={busy !== undefined} onClick={() => void act(`replay-${s.id}`, async () => api.post(`/api/bots/${bot.id}/signals/${s.id}/replay`).then(signals.reload))}>
                      Replay
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      {confirm === 'rotate' && (
        <ConfirmDialog
          title="Rotate the webhook?"
          confirmLabel="Rotate: new URL and passphrase"
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            setSecrets(await api.post<HookSecrets>(`/api/bots/${bot.id}/hook/rotate`));
            hook.reload();
          }}
        >
          <p>The current URL, passphrase and signing key stop working immediately. Update your TradingView alerts with the new ones.</p>
        </ConfirmDialog>
      )}
      {confirm === 'disable' && (
        <ConfirmDialog
          title="Disable the webhook?"
          confirmLabel="Disable webhook"
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            await api.del(`/api/bots/${bot.id}/hook`);
            setSecrets(undefined);
            hook.reload();
          }}
        >
          <p>Alerts sent to this bot's URL are refused from now on. The signal log stays.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

export default function SignalsPage() {
  const bots = useApi<ApiPage<BotView>>('/api/bots?limit=100');
  const [botId, setBotId] = useState<string | undefined>();
  const bot = bots.data?.items.find((b) => b.id === botId) ?? bots.data?.items[0];
  return (
    <Page title="Signals" subtitle="Drive bots with TradingView alerts: each bot can have its own webhook.">
      {bots.loading && !bots.data ? (
        <Loading />
      ) : isMissingApi(bots.error) ? (
        <Unavailable feature="Bots and their webhooks" route="/api/bots" />
      ) : bots.error ? (
        <ErrorState error={bots.error} retry={bots.reload} title="The bots could not be loaded" />
      ) : !bot ? (
        <EmptyState title="No bots yet">
          <p>
            Webhooks belong to bots: <a href="/bots/new">create a bot</a> first.
          </p>
        </EmptyState>
      ) : (
        <>
          <div class="form-grid compact">
            <Field id="signals-bot" label="Bot">
              <select id="signals-bot" value={bot.id} onChange={(e) => setBotId(e.currentTarget.value)}>
                {bots.data?.items.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <BotSignals key={bot.id} bot={bot} />
        </>
      )}
    </Page>
  );
}
