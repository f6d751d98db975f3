/**
 * New bot / edit bot: connection, market, timeframe, strategy with its params form (from the JSON
 * Schema), sizing, capital, risk limits and market rules. "Backtest this first" runs the same
 * strategy and params on recent stored candles of the market before anything trades.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { JobSummaryView, StrategyView } from '../../../shared/schemas/backtest-views.js';
import type { BotView } from '../../../shared/schemas/bots-views.js';
import type { ConnectionView } from '../../../shared/schemas/connection-schemas.js';
import { describedBy, Field } from '../components/field.js';
import { Card, Page } from '../components/page.js';
import { SchemaForm } from '../components/schema-form.js';
import { EmptyState, ErrorState, Loading, Unavailable } from '../components/states.js';
import { api, asFailure, isMissingApi, request, type ApiFailure, type Page as ApiPage } from '../lib/api.js';
import { collectParams, initialTexts, paramErrorsFrom } from '../lib/param-form.js';
import { navigate } from '../lib/router.js';
import { summaryOf, useStrategies } from '../lib/strategies.js';
import { useApi } from '../lib/use-api.js';

const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'] as const;
const CANDLE_TIMEFRAMES = new Set(['1m', '5m', '15m', '1h', '4h', '1d']);
const RISK_FIELDS = [
  ['maxOrderNotional', 'Max order notional', 'Largest value of one order (quote currency).'],
  ['maxPositionNotional', 'Max position notional', 'Largest position an order may lead to.'],
  ['maxOpenOrders', 'Max open orders', 'Working orders at once.'],
  ['dailyLossLimit', 'Daily loss limit', 'Loss since 00:00 UTC that halts the bot.'],
  ['maxDrawdownPct', 'Max drawdown (%)', 'Drawdown from the equity peak that halts the bot.'],
  ['maxOrdersPerMinute', 'Max orders per minute', 'Rate limit.'],
  ['priceBandPct', 'Price band (%)', 'Limit/stop prices within this % of the last price.'],
] as const;
const RULE_FIELDS = [
  ['lotStep', 'Lot step', 'Quantities are multiples of it.'],
  ['tickSize', 'Tick size', 'Price step; empty = any price.'],
  ['minQuantity', 'Min quantity', 'Smallest order quantity.'],
  ['minNotional', 'Min notional', 'Smallest order value.'],
] as const;
const DAY_MS = 86_400_000;

const numOrNull = (s: string): number | null => (s.trim() === '' ? null : Number(s));
const textOf = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

export default function BotEditPage({ params }: { params: Record<string, string> }) {
  const editing = params.id;
  const existing = useApi<BotView>(editing ? `/api/bots/${editing}` : null);
  const strategies = useStrategies();
  const connections = useApi<ApiPage<ConnectionView>>('/api/connections?limit=100');
  const [name, setName] = useState('');
  const [connectionId, setConnectionId] = useState('');
  const [marketExchange, setMarketExchange] = useState('');
  const [symbol, setSymbol] = useState('SIM-BTC/USD');
  const [timeframe, setTimeframe] = useState<string>('1h');
  const [strategyId, setStrategyId] = useState('sma-cross');
  const [texts, setTexts] = useState<Record<string, string | boolean>>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [sizingMode, setSizingMode] = useState<'fraction' | 'quantity' | 'notional'>('fraction');
  const [sizingValue, setSizingValue] = useState('0.5');
  const [capital, setCapital] = useState('');
  const [risk, setRisk] = useState<Record<string, string>>({});
  const [rules, setRules] = useState<Record<string, string>>({ lotStep: '0.001', tickSize: '', minQuantity: '0', minNotional: '0' });
  const [shortAllowed, setShortAllowed] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState<'save' | 'backtest' | undefined>();
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [loadedFrom, setLoadedFrom] = useState<string | undefined>();
  const strategy: StrategyView | undefined = strategies.data?.items.find((s) => s.id === strategyId);
  const connection = connections.data?.items.find((c) => c.id === connectionId);

  // Fill the form once from the bot being edited.
  useEffect(() => {
    const b = existing.data;
    if (!b || loadedFrom === b.etag) return;
    setLoadedFrom(b.etag);
    setName(b.name);
    setConnectionId(b.connectionId);
    setMarketExchange(b.market.exchange);
    setSymbol(b.market.symbol);
    setTimeframe(b.market.timeframe);
    setStrategyId(b.strategy.id);
    setSizingMode(b.sizing.mode);
    setSizingValue(String(b.sizing.value));
    setCapital(textOf(b.capital));
    setRisk(Object.fromEntries(Object.entries(b.risk).map(([k, v]) => [k, textOf(v)])));
    setRules({ lotStep: String(b.marketRules.lotStep), tickSize: textOf(b.marketRules.tickSize), minQuantity: String(b.marketRules.minQuantity), minNotional: String(b.marketRules.minNotional) });
    setShortAllowed(b.marketRules.shortAllowed);
  }, [existing.data]);
  useEffect(() => {
    if (!connectionId && connections.data?.items[0]) setConnectionId(connections.data.items[0].id);
  }, [connections.data]);
  useEffect(() => {
    if (!strategy) return;
    setTexts(initialTexts(strategy.paramsSchema, existing.data?.strategy.id === strategy.id ? existing.data.strategy.params : strategy.defaults));
    setTouched(new Set());
  }, [strategy, existing.data]);

  // Paper connections trade on market data from the simulated exchange unless told otherwise.
  const exchangeOfMarket = (marketExchange.trim() || (connection?.exchangeId === 'paper' ? 'sim' : connection?.exchangeId) || 'sim').toLowerCase();
  const issues = failure?.fieldIssues ?? [];
  const errorAt = (path: string): string | undefined => issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message;
  const paramErrors = useMemo(() => {
    const errors = paramErrorsFrom(issues);
    // The bot API reports strategy param problems at `strategy.params` with zod's message naming the field.
    const general = issues.find((i) => i.path === 'strategy.params');
    if (general && strategy) for (const p of Object.keys(strategy.paramsSchema.properties)) if (general.message.includes(`at ${p}`)) errors[p] ??= general.message.split('\n')[0]!.replace(/^invalid params for [\w-]+: ✖ /, '');
    return errors;
  }, [failure, strategy]);

  const body = () => {
    if (!strategy) return undefined;
    const { params: strategyParams, errors } = collectParams(strategy.paramsSchema, texts);
    if (Object.keys(errors).length > 0) return undefined;
    return {
      name: name.trim(),
      connectionId,
      market: { exchange: exchangeOfMarket, symbol: symbol.trim(), timeframe },
      strategy: { id: strategy.id, params: strategyParams },
      sizing: { mode: sizingMode, value: Number(sizingValue) },
      capital: numOrNull(capital),
      risk: Object.fromEntries(RISK_FIELDS.map(([k]) => [k, numOrNull(risk[k] ?? '')])),
      marketRules: { lotStep: Number(rules.lotStep), tickSize: numOrNull(rules.tickSize ?? ''), minQuantity: Number(rules.minQuantity), minNotional: Number(rules.minNotional), shortAllowed },
    };
  };

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    setSubmitted(true);
    setFailure(undefined);
    const b = body();
    if (!b) return;
    setBusy('save');
    try {
      if (editing && existing.data) {
        const { connectionId: _c, ...patch } = b;
        const saved = (await request<BotView>('PATCH', `/api/bots/${editing}`, { json: { ...patch, ...(b.connectionId !== existing.data.connectionId ? { connectionId: b.connectionId } : {}) }, headers: { 'if-match': existing.data.etag } })).data;
        navigate(`/bots/${saved.id}`);
      } else {
        const created = await api.post<BotView>('/api/bots', b);
        navigate(`/bots/${created.id}`);
      }
    } catch (x) {
      setFailure(asFailure(x));
      setBusy(undefined);
    }
  };

  const backtestFirst = async (): Promise<void> => {
    setSubmitted(true);
    setFailure(undefined);
    const b = body();
    if (!b) return;
    if (!CANDLE_TIMEFRAMES.has(timeframe)) {
      setFailure(asFailure(new Error(`stored candles come in ${[...CANDLE_TIMEFRAMES].join(', ')}; pick one of those to backtest`)));
      return;
    }
    setBusy('backtest');
    try {
      const toMs = Math.floor(Date.now() / DAY_MS) * DAY_MS;
      const job = await api.post<JobSummaryView>('/api/backtests', {
        name: `${b.name || 'New bot'}: backtest before start`,
        strategy: b.strategy.id,
        params: b.strategy.params,
        cash: b.capital ?? connection?.paper?.startingBalance.amount ?? 10_000,
        sizing: b.sizing,
        lotStep: b.marketRules.lotStep,
        shortAllowed: b.marketRules.shortAllowed,
        data: { exchange: b.market.exchange, symbol: b.market.symbol, timeframe, fromMs: toMs - 90 * DAY_MS, toMs },
      });
      window.open(`/backtests/${job.id}`, '_blank', 'noopener');
    } catch (x) {
      setFailure(asFailure(x));
    } finally {
      setBusy(undefined);
    }
  };

  if (editing && isMissingApi(existing.error))
    return (
      <Page title="Edit bot">
        <Unavailable feature="Bots" route="/api/bots" />
      </Page>
    );
  if ((editing && existing.loading && !existing.data) || (strategies.loading && !strategies.data) || (connections.loading && !connections.data)) return <Loading />;
  const loadError = existing.error ?? strategies.error ?? connections.error;
  if (loadError) return <ErrorState error={loadError} title="The form could not be prepared" />;
  if (connections.data?.items.length === 0)
    return (
      <Page title="New bot">
        <EmptyState title="Add a connection first">
          <p>
            A bot trades through one of your <a href="/connections">connections</a>; a paper connection needs no keys.
          </p>
        </EmptyState>
      </Page>
    );

  const numberField = (id: string, label: string, hint: string, value: string, onInput: (v: string) => void, error?: string) => (
    <Field id={id} label={label} hint={hint} error={error}>
      <input id={id} inputMode="decimal" value={value} onInput={(e) => onInput(e.currentTarget.value)} {...describedBy(id, hint, error)} />
    </Field>
  );

  return (
    <Page title={editing ? `Edit ${existing.data?.name ?? 'bot'}` : 'New bot'} subtitle={editing ? 'Saving makes a new config version; a running bot picks it up (risk limits may only tighten while it runs).' : 'The bot starts as a draft; start it from its page.'}>
      <form class="form" onSubmit={(e) => void save(e)} noValidate>
        <Card title="Where it trades" id="where">
          <div class="form-grid">
            <Field id="bot-name" label="Name" error={errorAt('name')}>
              <input id="bot-name" value={name} maxLength={100} onInput={(e) => setName(e.currentTarget.value)} {...describedBy('bot-name', false, errorAt('name'))} />
            </Field>
            <Field id="bot-connection" label="Connection" error={errorAt('connectionId')}>
              <select id="bot-connection" value={connectionId} onChange={(e) => setConnectionId(e.currentTarget.value)} {...describedBy('bot-connection', false, errorAt('connectionId'))}>
                {connections.data?.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label} ({c.exchangeId}, {c.mode})
                  </option>
                ))}
              </select>
            </Field>
            <Field id="bot-market-exchange" label="Market data from" hint={connection?.exchangeId === 'paper' ? 'Empty: the simulated exchange (sim).' : `Empty: ${connection?.exchangeId ?? 'the connection'}.`} error={errorAt('market.exchange')}>
              <input id="bot-market-exchange" value={marketExchange} placeholder={exchangeOfMarket} onInput={(e) => setMarketExchange(e.currentTarget.value)} {...describedBy('bot-market-exchange', true, errorAt('market.exchange'))} />
            </Field>
            <Field id="bot-symbol" label="Market symbol" hint={exchangeOfMarket === 'sim' ? 'Simulated markets: SIM-BTC/USD, SIM-ETH/USD, SIM-AAPL.' : 'e.g. BTC/USDT.'} error={errorAt('market.symbol') ?? errorAt('market')}>
              <input id="bot-symbol" value={symbol} list="sim-markets" onInput={(e) => setSymbol(e.currentTarget.value)} {...describedBy('bot-symbol', true, errorAt('market.symbol'))} />
              <datalist id="sim-markets">
                <option value="SIM-BTC/USD" />
                <option value="SIM-ETH/USD" />
                <option value="SIM-AAPL" />
              </datalist>
            </Field>
            <Field id="bot-timeframe" label="Timeframe" error={errorAt('market.timeframe')}>
              <select id="bot-timeframe" value={timeframe} onChange={(e) => setTimeframe(e.currentTarget.value)}>
                {TIMEFRAMES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </Field>
          </div>
        </Card>
        <Card title="Strategy" id="strategy">
          <Field id="bot-strategy" label="Strategy" hint={strategy ? summaryOf(strategy.description) : undefined} error={errorAt('strategy.id')}>
            <select id="bot-strategy" value={strategyId} onChange={(e) => setStrategyId(e.currentTarget.value)} {...describedBy('bot-strategy', true, errorAt('strategy.id'))}>
              {strategies.data?.items.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.id})
                </option>
              ))}
            </select>
          </Field>
          {strategy && (
            <SchemaForm
              idPrefix="bot-param"
              schema={strategy.paramsSchema}
              texts={texts}
              touched={touched}
              showAll={submitted}
              serverErrors={paramErrors}
              onChange={(n, v) => {
                setTexts({ ...texts, [n]: v });
                setTouched(new Set(touched).add(n));
              }}
            />
          )}
        </Card>
        <Card title="Sizing and capital" id="sizing">
          <div class="form-grid">
            <Field id="bot-sizing" label="Sizing">
              <select id="bot-sizing" value={sizingMode} onChange={(e) => setSizingMode(e.currentTarget.value as 'fraction')}>
                <option value="fraction">Fraction of equity</option>
                <option value="quantity">Fixed quantity</option>
                <option value="notional">Fixed notional</option>
              </select>
            </Field>
            {numberField('bot-sizing-value', sizingMode === 'fraction' ? 'Fraction (0–1)' : 'Amount', 'Per entry, unless the strategy sizes its own.', sizingValue, setSizingValue, errorAt('sizing'))}
            {numberField('bot-capital', 'Capital', 'Quote currency the bot trades with; empty = the paper balance.', capital, setCapital, errorAt('capital'))}
          </div>
        </Card>
        <Card title="Risk limits" id="risk">
          <p class="muted small">Empty = no limit. Daily loss and drawdown halt the bot; the others refuse single orders.</p>
          <div class="form-grid">{RISK_FIELDS.map(([k, label, hint]) => numberField(`risk-${k}`, label, hint, risk[k] ?? '', (v) => setRisk({ ...risk, [k]: v }), errorAt(`risk.${k}`)))}</div>
        </Card>
        <Card title="Market rules" id="rules">
          <div class="form-grid">
            {RULE_FIELDS.map(([k, label, hint]) => numberField(`rule-${k}`, label, hint, rules[k] ?? '', (v) => setRules({ ...rules, [k]: v }), errorAt(`marketRules.${k}`)))}
            <div class="field checkbox">
              <input id="rule-short" type="checkbox" checked={shortAllowed} onChange={(e) => setShortAllowed(e.currentTarget.checked)} />
              <label for="rule-short">The market allows shorting</label>
            </div>
          </div>
        </Card>
        {failure && <ErrorState error={failure} title={busy === 'backtest' ? 'The backtest was not started' : 'Not saved'} />}
        <div class="actions sticky-actions">
          <button type="submit" class="primary" disabled={busy !== undefined}>
            {busy === 'save' ? 'Saving…' : editing ? 'Save new version' : 'Create bot'}
          </button>
          <button type="button" onClick={() => void backtestFirst()} disabled={busy !== undefined}>
            {busy === 'backtest' ? 'Starting backtest…' : 'Backtest this first (last 90 days)'}
          </button>
          <a href={editing ? `/bots/${editing}` : '/bots'}>Cancel</a>
        </div>
      </form>
    </Page>
  );
}
