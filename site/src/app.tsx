import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, currentPrincipal, getJson, type ClientPrincipal } from './api.js';

interface Health {
  status: string;
  components: Record<string, { status: string; latencyMs: number; detail?: string }>;
}

export function App() {
  const [principal, setPrincipal] = useState<ClientPrincipal | null | undefined>(undefined);
  const [health, setHealth] = useState<Health | undefined>();
  const [healthError, setHealthError] = useState<string | undefined>();

  useEffect(() => {
    currentPrincipal().then(setPrincipal, () => setPrincipal(null));
    getJson<Health>('/api/health').then(setHealth, (e: unknown) => {
      if (e instanceof ApiFailure && e.status === 503) setHealthError('Some components are down.');
      else setHealthError(e instanceof Error ? e.message : 'Health check failed');
    });
  }, []);

  return (
    <div class="shell">
      <header class="topbar">
        <h1>TradingTower</h1>
        <nav aria-label="Account">
          {principal === undefined ? (
            <span aria-busy="true">Checking sign-in…</span>
          ) : principal ? (
            <span>
              Signed in as <strong data-testid="user">{principal.userDetails}</strong>{' '}
              <a href="/.auth/logout">Sign out</a>
            </span>
          ) : (
            <span class="signin">
              <a class="button" href="/.auth/login/aad">Sign in with Microsoft</a>
              <a class="button" href="/.auth/login/google">Sign in with Google</a>
            </span>
          )}
        </nav>
      </header>
      <main>
        <section aria-labelledby="about">
          <h2 id="about">Automated trading bots, backtested first</h2>
          <p>Connect exchange accounts, configure bots from built-in strategies or TradingView signals, backtest, paper-trade and go live.</p>
        </section>
        <section aria-labelledby="status">
          <h2 id="status">Platform status</h2>
          {healthError && <p role="alert">{healthError}</p>}
          {!health && !healthError && <p aria-busy="true">Loading…</p>}
          {health && (
            <table data-testid="health">
              <thead>
                <tr><th scope="col">Component</th><th scope="col">Status</th><th scope="col">Latency</th><th scope="col">Detail</th></tr>
              </thead>
              <tbody>
                {Object.entries(health.components).map(([name, c]) => (
                  <tr key={name}>
                    <td>{name}</td>
                    <td class={c.status === 'up' ? 'up' : 'down'}>{c.status}</td>
                    <td>{c.latencyMs.toFixed(1)} ms</td>
                    <td>{c.detail ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </main>
    </div>
  );
}
