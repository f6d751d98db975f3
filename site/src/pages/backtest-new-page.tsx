/**
 * New backtest or optimization: strategy and params (form generated from the params JSON Schema),
 * costs and sizing, and the data: an uploaded CSV (sent as text/csv) or stored candles. Field errors
 * from the API are shown next to their fields.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { CANDLE_TIMEFRAMES, MAX_OPTIMIZATION_COMBINATIONS, MAX_UPLOAD_BYTES, type JobSummaryView, type StrategyView } from '../../../shared/schemas/backtest-views.js';
import { describedBy, Field } from '../components/field.js';
import { Card, Page } from '../components/page.js';
import { SchemaForm } from '../components/schema-form.js';
import { ErrorState, Loading } from '../components/states.js';
import { api, asFailure, type ApiFailure } from '../lib/api.js';
import { axisValues, gridBody, initialAxes, type AxisDraft } from '../lib/grid-form.js';
import { collectParams, initialTexts, paramErrorsFrom } from '../lib/param-form.js';
import { navigate } from '../lib/router.js';
import { STAT_ROWS } from '../lib/stat-labels.js';
import { summaryOf, useStrategies } from '../lib/strategies.js';

type Kind = 'backtest' | 'optimization';
type Source = 'csv' | 'candles';

interface Costs {
  name: string;
  cash: string;
  commissionPct: string;
  fixedCommission: string;
  slippageBps: string;
  sizingMode: 'fraction' | 'quantity' | 'notional';
  sizingValue: string;
  lotStep: string;
  shortAllowed: boolean;
}

const DEFAULT_COSTS: Costs = { name: '', cash: '10000', commissionPct: '0', fixedCommission: '0', slippageBps: '0', sizingMode: 'fraction', sizingValue: '0.9999', lotStep: '1', shortAllowed: true };

/** API field paths (`settings.cash`, `commission.rate`, …) → the form field showing them. */
const FIELD_OF: Record<string, keyof Costs | 'file' | 'candles' | 'grid' | 'strategy'> = {
  name: 'name',
  cash: 'cash',
  'commission.rate': 'commissionPct',
  'commission.fixed': 'fixedCommission',
  slippageBps: 'slippageBps',
  'sizing.value': 'sizingValue',
  'sizing.mode': 'sizingMode',
  sizing: 'sizingValue',
  lotStep: 'lotStep',
  data: 'file',
  grid: 'grid',
  strategy: 'strategy',
};

function fieldErrors(failure: ApiFailure | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of failure?.fieldIssues ?? []) {
    const path = issue.path.replace(/^settings\./, '');
    const key = FIELD_OF[path] ?? (path.startsWith('data.') ? 'candles' : path.startsWith('grid') ? 'grid' : undefined);
    if (key) out[key] ??= issue.message;
  }
  return out;
}

const dayMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);

export default function BacktestNewPage() {
  const strategies = useStrategies();
  const [kind, setKind] = useState<Kind>(new URLSearchParams(location.search).get('kind') === 'optimization' ? 'optimization' : 'backtest');
  const [strategyId, setStrategyId] = useState('sma-cross');
  const strategy: StrategyView | undefined = strategies.data?.items.find((s) => s.id === strategyId);
  const [texts, setTexts] = useState<Record<string, string | boolean>>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [axes, setAxes] = useState<Record<string, AxisDraft>>({});
  const [metric, setMetric] = useState('sharpe');
  const [costs, setCosts] = useState<Costs>(DEFAULT_COSTS);
  const [source, setSource] = useState<Source>('csv');
  const [file, setFile] = useState<File | undefined>();
  const [candles, setCandles] = useState({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', from: '2024-01-01', to: '2024-06-30' });
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();

  useEffect(() => {
    if (!strategy) return;
    setTexts(initialTexts(strategy.paramsSchema, strategy.defaults));
    setAxes(initialAxes(strategy.paramsSchema));
    setTouched(new Set());
    setFailure(undefined);
  }, [strategy]);

  const serverErrors = useMemo(() => fieldErrors(failure), [failure]);
  const serverParamErrors = useMemo(() => paramErrorsFrom(failure?.fieldIssues ?? []), [failure]);
  const grid = useMemo(() => (strategy ? gridBody(strategy.paramsSchema, axes) : { axes: [], combinations: 0, errors: {} }), [strategy, axes]);
  const set = <K extends keyof Costs>(key: K, value: Costs[K]): void => setCosts({ ...costs, [key]: value });

  const localErrors = (): Record<string, string> => {
    const e: Record<string, string> = {};
    const num = (key: keyof Costs, ok: (n: number) => boolean, message: string): void => {
      const n = Number(String(costs[key]).trim());
      if (String(costs[key]).trim() === '' || !Number.isFinite(n) || !ok(n)) e[key] = message;
    };
    num('cash', (n) => n > 0, 'must be a positive number');
    num('commissionPct', (n) => n >= 0 && n < 100, 'must be a percentage from 0 to below 100');
    num('fixedCommission', (n) => n >= 0, 'must be 0 or more');
    num('slippageBps', (n) => n >= 0 && n < 10_000, 'must be from 0 to below 10000');
    num('sizingValue', (n) => n > 0 && (costs.sizingMode !== 'fraction' || n <= 1), costs.sizingMode === 'fraction' ? 'must be above 0 and at most 1' : 'must be positive');
    num('lotStep', (n) => n > 0, 'must be positive');
    if (source === 'csv') {
      if (!file) e.file = 'choose a CSV file';
      else if (file.size > MAX_UPLOAD_BYTES) e.file = `is ${(file.size / 1048576).toFixed(1)} MB; the limit is 20 MB`;
    } else if (!(dayMs(candles.from) < dayMs(candles.to))) e.candles = 'the end date must be after the start date';
    if (kind === 'optimization') {
      if (grid.axes.length === 0) e.grid = 'tick “vary” on at least one parameter';
      else if (grid.combinations > MAX_OPTIMIZATION_COMBINATIONS) e.grid = `${grid.combinations.toLocaleString('en-US')} combinations; at most ${MAX_OPTIMIZATION_COMBINATIONS.toLocaleString('en-US')}`;
    }
    return e;
  };

  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (!strategy) return;
    setSubmitted(true);
    setFailure(undefined);
    const { params, errors: paramErrors } = collectParams(strategy.paramsSchema, texts);
    const errors = localErrors();
    const varied = new Set(grid.axes.map((a) => a.name));
    const fixedParamErrors = Object.keys(paramErrors).filter((p) => kind === 'backtest' || !varied.has(p));
    if (Object.keys(errors).length > 0 || fixedParamErrors.length > 0 || (kind === 'optimization' && Object.keys(grid.errors).length > 0)) {
      document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const settings = {
      ...(costs.name.trim() ? { name: costs.name.trim() } : {}),
      strategy: strategy.id,
      params: kind === 'backtest' ? params : Object.fromEntries(Object.entries(params).filter(([p]) => !varied.has(p))),
      cash: Number(costs.cash),
      commission: { rate: Number(costs.commissionPct) / 100, fixed: Number(costs.fixedCommission) },
      slippageBps: Number(costs.slippageBps),
      sizing: { mode: costs.sizingMode, value: Number(costs.sizingValue) },
      lotStep: Number(costs.lotStep),
      shortAllowed: costs.shortAllowed,
      ...(kind === 'optimization' ? { grid: grid.axes, metric } : {}),
    };
    const route = kind === 'backtest' ? 'backtests' : 'optimizations';
    setBusy(true);
    try {
      const job =
        source === 'csv'
          ? await api.upload<JobSummaryView>(`/api/${route}?settings=${encodeURIComponent(JSON.stringify(settings))}&fileName=${encodeURIComponent(file!.name)}`, file!, 'text/csv')
          : await api.post<JobSummaryView>(`/api/${route}`, { ...settings, data: { exchange: candles.exchange, symbol: candles.symbol, timeframe: candles.timeframe, fromMs: dayMs(candles.from), toMs: dayMs(candles.to) } });
      navigate(`/${route}/${job.id}`);
    } catch (x) {
      setFailure(asFailure(x));
      setBusy(false);
    }
  };

  if (strategies.loading && !strategies.data) return <Loading label="Loading strategies…" />;
  if (strategies.error) return <ErrorState error={strategies.error} retry={strategies.reload} title="The strategies could not be loaded" />;

  const errors = submitted ? { ...localErrors(), ...serverErrors } : serverErrors;
  const costField = (key: keyof Costs, label: string, hint: string) => (
    <Field id={`bt-${key}`} label={label} hint={hint} error={errors[key]}>
      <input id={`bt-${key}`} inputMode="decimal" value={String(costs[key])} onInput={(e) => set(key, e.currentTarget.value as never)} {...describedBy(`bt-${key}`, hint, errors[key])} />
    </Field>
  );

  return (
    <Page title={kind === 'backtest' ? 'New backtest' : 'New optimization'} subtitle="The same engine and strategies as paper and live bots.">
      <form onSubmit={(e) => void submit(e)} noValidate class="form">
        <Card title="What to run" id="what">
          <fieldset class="segmented">
            <legend>Run</legend>
            {(['backtest', 'optimization'] as const).map((k) => (
              <label key={k}>
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {k === 'backtest' ? 'One backtest' : 'Optimize parameters (grid)'}
              </label>
            ))}
          </fieldset>
          <div class="form-grid">
            <Field id="bt-strategy" label="Strategy" hint={strategy ? summaryOf(strategy.description) : undefined} error={errors.strategy}>
              <select id="bt-strategy" value={strategyId} onChange={(e) => setStrategyId(e.currentTarget.value)} {...describedBy('bt-strategy', true, errors.strategy)}>
                {strategies.data?.items.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="bt-name" label="Name (optional)" hint="Shown in the list; defaults to strategy and data." error={errors.name}>
              <input id="bt-name" value={costs.name} maxLength={100} onInput={(e) => set('name', e.currentTarget.value)} {...describedBy('bt-name', true, errors.name)} />
            </Field>
          </div>
        </Card>

        {strategy && (
          <Card title={kind === 'backtest' ? 'Parameters' : 'Parameters and grid'} id="params">
            {kind === 'optimization' && <p class="muted small">Tick “vary” to search a parameter over a range; the others stay fixed at the value shown.</p>}
            <SchemaForm
              idPrefix="param"
              schema={strategy.paramsSchema}
              texts={texts}
              touched={touched}
              showAll={submitted}
              serverErrors={serverParamErrors}
              onChange={(name, value) => {
                setTexts({ ...texts, [name]: value });
                setTouched(new Set(touched).add(name));
              }}
            />
            {kind === 'optimization' && (
              <div class="grid-editor">
                <h3>Grid</h3>
                {Object.entries(strategy.paramsSchema.properties).map(([name, prop]) => {
                  const draft = axes[name];
                  if (!draft) return null;
                  const numeric = prop.type === 'integer' || prop.type === 'number';
                  const expanded = draft.vary ? axisValues(prop, draft) : undefined;
                  return (
                    <div class="axis" key={name}>
                      <div class="checkbox">
                        <input id={`vary-${name}`} type="checkbox" checked={draft.vary} onChange={(e) => setAxes({ ...axes, [name]: { ...draft, vary: e.currentTarget.checked } })} />
                        <label for={`vary-${name}`}>Vary {prop.title ?? name}</label>
                      </div>
                      {draft.vary && numeric && (
                        <div class="axis-range">
                          {(['start', 'end', 'step'] as const).map((k) => (
                            <span key={k}>
                              <label for={`axis-${name}-${k}`}>{k}</label>
                              <input id={`axis-${name}-${k}`} class="narrow" inputMode="decimal" value={draft[k]} onInput={(e) => setAxes({ ...axes, [name]: { ...draft, [k]: e.currentTarget.value } })} />
                            </span>
                          ))}
                        </div>
                      )}
                      {expanded && (
                        <small class={expanded.error ? 'field-error' : 'hint'} role={expanded.error ? 'alert' : undefined}>
                          {expanded.error ?? `${expanded.values!.length} values: ${expanded.values!.slice(0, 8).join(', ')}${expanded.values!.length > 8 ? ', …' : ''}`}
                        </small>
                      )}
                    </div>
                  );
                })}
                <p class={errors.grid ? 'field-error' : 'muted small'} role={errors.grid ? 'alert' : undefined} id="grid-summary">
                  {errors.grid ?? `${grid.combinations.toLocaleString('en-US')} combinations (at most ${MAX_OPTIMIZATION_COMBINATIONS.toLocaleString('en-US')}).`}
                </p>
                <Field id="bt-metric" label="Rank by">
                  <select id="bt-metric" value={metric} onChange={(e) => setMetric(e.currentTarget.value)}>
                    {STAT_ROWS.map((r) => (
                      <option key={r.key} value={r.key}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
            )}
          </Card>
        )}

        <Card title="Account, costs and sizing" id="costs">
          <div class="form-grid">
            {costField('cash', 'Initial cash', 'Quote currency.')}
            {costField('commissionPct', 'Commission (%)', 'Of notional, on entry and exit; 0.1 = 0.1%.')}
            {costField('fixedCommission', 'Fixed commission', 'Per fill, quote currency.')}
            {costField('slippageBps', 'Slippage (bps)', 'Adverse price adjustment on market and stop fills.')}
            <Field id="bt-sizingMode" label="Default sizing" hint="For entries that do not size themselves.">
              <select id="bt-sizingMode" value={costs.sizingMode} onChange={(e) => set('sizingMode', e.currentTarget.value as Costs['sizingMode'])}>
                <option value="fraction">Fraction of equity</option>
                <option value="quantity">Fixed quantity</option>
                <option value="notional">Fixed notional</option>
              </select>
            </Field>
            {costField('sizingValue', costs.sizingMode === 'fraction' ? 'Fraction (0–1)' : costs.sizingMode === 'quantity' ? 'Quantity' : 'Notional', costs.sizingMode === 'fraction' ? '0.9999 = almost all equity; no leverage.' : 'Per entry.')}
            {costField('lotStep', 'Lot step', 'Quantities round down to it: 1 = whole units, 0.001 for crypto.')}
            <div class="field checkbox">
              <input id="bt-short" type="checkbox" checked={costs.shortAllowed} onChange={(e) => set('shortAllowed', e.currentTarget.checked)} />
              <label for="bt-short">The market allows shorting</label>
            </div>
          </div>
        </Card>

        <Card title="Data" id="data">
          <fieldset class="segmented">
            <legend>Bars from</legend>
            <label>
              <input type="radio" name="source" value="csv" checked={source === 'csv'} onChange={() => setSource('csv')} /> Upload a CSV
            </label>
            <label>
              <input type="radio" name="source" value="candles" checked={source === 'candles'} onChange={() => setSource('candles')} /> Stored candles
            </label>
          </fieldset>
          {source === 'csv' ? (
            <Field id="bt-file" label="CSV file" hint="Header ,Open,High,Low,Close,Volume or time,open,high,low,close,volume; up to 20 MB." error={errors.file}>
              <input id="bt-file" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0])} {...describedBy('bt-file', true, errors.file)} />
            </Field>
          ) : (
            <div class="form-grid">
              <Field id="bt-exchange" label="Exchange">
                <input id="bt-exchange" value={candles.exchange} onInput={(e) => setCandles({ ...candles, exchange: e.currentTarget.value })} />
              </Field>
              <Field id="bt-symbol" label="Symbol">
                <input id="bt-symbol" value={candles.symbol} onInput={(e) => setCandles({ ...candles, symbol: e.currentTarget.value })} />
              </Field>
              <Field id="bt-timeframe" label="Timeframe">
                <select id="bt-timeframe" value={candles.timeframe} onChange={(e) => setCandles({ ...candles, timeframe: e.currentTarget.value })}>
                  {CANDLE_TIMEFRAMES.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </Field>
              <Field id="bt-from" label="From (UTC)">
                <input id="bt-from" type="date" value={candles.from} onInput={(e) => setCandles({ ...candles, from: e.currentTarget.value })} />
              </Field>
              <Field id="bt-to" label="To (UTC)" error={errors.candles}>
                <input id="bt-to" type="date" value={candles.to} onInput={(e) => setCandles({ ...candles, to: e.currentTarget.value })} {...describedBy('bt-to', false, errors.candles)} />
              </Field>
            </div>
          )}
        </Card>

        {failure && <ErrorState error={failure} title={kind === 'backtest' ? 'The backtest was not started' : 'The optimization was not started'} />}
        <div class="actions sticky-actions">
          <button type="submit" class="primary" disabled={busy || !strategy}>
            {busy ? 'Starting…' : kind === 'backtest' ? 'Run backtest' : `Run ${grid.combinations.toLocaleString('en-US')} backtests`}
          </button>
          <a href="/backtests">Cancel</a>
        </div>
      </form>
    </Page>
  );
}
