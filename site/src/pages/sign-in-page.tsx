/** Sign in through Static Web Apps auth (Microsoft / Google); locally the SWA CLI's emulator login. */
import { Page } from '../components/page.js';
import { loginUrl } from '../lib/session.js';

export default function SignInPage() {
  const returnTo = location.pathname === '/login' ? '/' : location.pathname + location.search;
  return (
    <Page title="Sign in to TradingTower" subtitle="Automated trading bots, backtested first.">
      <section class="card signin-card" aria-labelledby="signin-how">
        <h2 id="signin-how">Choose how to sign in</h2>
        <p>Connect exchange accounts, configure bots from built-in strategies or TradingView signals, backtest, paper-trade and go live.</p>
        <div class="signin-buttons">
          <a class="button primary" href={loginUrl('aad', returnTo)}>
            Sign in with Microsoft
          </a>
          <a class="button" href={loginUrl('google', returnTo)}>
            Sign in with Google
          </a>
        </div>
        <p class="muted small">Your data is kept per account: nobody else sees your connections, bots or backtests.</p>
      </section>
    </Page>
  );
}
