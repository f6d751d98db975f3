/**
 * The shell: sign-in check, header with navigation and theme switch, and the routed page. Pages are
 * code-split (lazy.tsx); this file and what it imports are the initial bundle, so it stays small.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { currentPrincipal, type ClientPrincipal } from './lib/api.js';
import { interceptLinks, matchPath, useLocation } from './lib/router.js';
import { isAdmin, SessionContext } from './lib/session.js';
import { applyTheme, nextTheme, storedTheme, type ThemeChoice } from './lib/theme.js';
import { LazyPage, type PageModule } from './lazy.js';
import { Loading } from './components/states.js';

type Loader = () => Promise<PageModule<{ params: Record<string, string> }>>;

const pages = {
  overview: () => import('./pages/overview-page.js'),
  signIn: () => import('./pages/sign-in-page.js'),
  bots: () => import('./pages/bots-page.js'),
  bot: () => import('./pages/bot-page.js'),
  botEdit: () => import('./pages/bot-edit-page.js'),
  connections: () => import('./pages/connections-page.js'),
  backtests: () => import('./pages/backtests-page.js'),
  backtestNew: () => import('./pages/backtest-new-page.js'),
  backtest: () => import('./pages/backtest-page.js'),
  compare: () => import('./pages/compare-page.js'),
  optimization: () => import('./pages/optimization-page.js'),
  signals: () => import('./pages/signals-page.js'),
  settings: () => import('./pages/settings-page.js'),
  admin: () => import('./pages/admin-page.js'),
  notFound: () => import('./pages/not-found-page.js'),
} satisfies Record<string, Loader>;

/** First match wins, so fixed segments (`/bots/new`) come before parameters (`/bots/:id`). */
const ROUTES: readonly (readonly [string, Loader])[] = [
  ['/', pages.overview],
  ['/login', pages.signIn],
  ['/bots', pages.bots],
  ['/bots/new', pages.botEdit],
  ['/bots/:id', pages.bot],
  ['/bots/:id/edit', pages.botEdit],
  ['/connections', pages.connections],
  ['/backtests', pages.backtests],
  ['/backtests/new', pages.backtestNew],
  ['/backtests/compare', pages.compare],
  ['/backtests/:id', pages.backtest],
  ['/optimizations/:id', pages.optimization],
  ['/signals', pages.signals],
  ['/settings', pages.settings],
  ['/admin', pages.admin],
];

function resolve(path: string): { load: Loader; params: Record<string, string> } {
  for (const [pattern, load] of ROUTES) {
    const params = matchPath(pattern, path);
    if (params) return { load, params };
  }
  return { load: pages.notFound, params: {} };
}

const NAV: readonly { readonly href: string; readonly label: string; readonly admin?: boolean }[] = [
  { href: '/', label: 'Overview' },
  { href: '/bots', label: 'Bots' },
  { href: '/backtests', label: 'Backtests' },
  { href: '/connections', label: 'Connections' },
  { href: '/signals', label: 'Signals' },
  { href: '/settings', label: 'Settings' },
  { href: '/admin', label: 'Admin', admin: true },
];

const isCurrent = (href: string, path: string): boolean => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`) || (href === '/backtests' && path.startsWith('/optimizations/')));

const THEME_LABEL: Record<ThemeChoice, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export function App() {
  const { path } = useLocation();
  const [principal, setPrincipal] = useState<ClientPrincipal | null | undefined>(undefined);
  const [theme, setTheme] = useState<ThemeChoice>(storedTheme);
  const [menuOpen, setMenuOpen] = useState(false);
  const shell = useRef<HTMLDivElement>(null);

  useEffect(() => {
    currentPrincipal().then(setPrincipal, () => setPrincipal(null));
  }, []);
  useEffect(() => (shell.current ? interceptLinks(shell.current) : undefined), []);
  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => setMenuOpen(false), [path]);

  const route = principal ? resolve(path) : { load: pages.signIn, params: {} };

  return (
    <SessionContext.Provider value={principal ?? null}>
      <div class="shell" ref={shell}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <a class="brand" href="/" aria-label="TradingTower, overview">
            <span aria-hidden="true" class="logo">
              ▲
            </span>{' '}
            TradingTower
          </a>
          {principal && (
            <button type="button" class="menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
              Menu
            </button>
          )}
          {principal && (
            <nav id="main-nav" aria-label="Main" class={menuOpen ? 'open' : ''}>
              <ul>
                {NAV.filter((n) => !n.admin || isAdmin(principal)).map((n) => (
                  <li key={n.href}>
                    <a href={n.href} aria-current={isCurrent(n.href, path) ? 'page' : undefined}>
                      {n.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <div class="account">
            <button type="button" class="small" onClick={() => setTheme(nextTheme(theme))} aria-label={`${THEME_LABEL[theme]}; switch`} title={THEME_LABEL[theme]}>
              {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
            </button>
            {principal && (
              <span class="user">
                <span data-testid="user" class="muted">
                  {principal.userDetails}
                </span>{' '}
                <a href="/.auth/logout?post_logout_redirect_uri=/">Sign out</a>
              </span>
            )}
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {principal === undefined ? <Loading label="Checking sign-in…" /> : <LazyPage load={route.load} props={{ params: route.params }} />}
        </main>
      </div>
    </SessionContext.Provider>
  );
}
