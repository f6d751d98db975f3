/**
 * The `--report` page: one self-contained HTML file (uPlot's script and stylesheet inlined, data
 * embedded as JSON) with an equity + drawdown chart, price with trade markers, the statistics and the
 * trades. Rendering is a pure function; the CLI reads the uPlot assets and writes the file.
 */
import type { BacktestConfig, BacktestResult } from '../trading/backtest/backtest-types.js';
import type { BarSeries } from '../trading/types.js';
import { drawdownPct } from './result-csv.js';
import { statRows } from './stats-format.js';
import { formatParams } from './strategy-params.js';

export interface UplotAssets {
  /** uPlot's IIFE build (defines the global `uPlot`). */
  readonly js: string;
  readonly css: string;
}

export interface ReportInput {
  readonly title: string;
  readonly dataFile: string;
  readonly strategyId: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly config: BacktestConfig;
  readonly series: BarSeries;
  readonly result: BacktestResult;
}

/** Browsers draw a few thousand points per chart smoothly; longer series are bucketed. */
export const MAX_CHART_POINTS = 10_000;
/** The trades table lists at most this many rows; the charts still mark every trade. */
export const MAX_TRADE_ROWS = 1_000;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Inline script text must not close its element early. */
function scriptText(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

function styleText(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

interface ChartData {
  /** Seconds, as uPlot's time scale expects. */
  readonly t: number[];
  readonly close: number[];
  readonly equity: number[];
  readonly drawdown: number[];
  readonly longEntry: (number | null)[];
  readonly shortEntry: (number | null)[];
  readonly exit: (number | null)[];
  readonly bucket: number;
}

const round = (value: number, digits: number): number => Number(value.toPrecision(digits));

/**
 * One point per bucket of `bucket` bars: the bucket's last time, close and equity, and its deepest
 * drawdown so troughs survive. Trade markers land in the bucket of their bar.
 */
export function chartData(series: BarSeries, result: BacktestResult, maxPoints = MAX_CHART_POINTS): ChartData {
  const n = series.length;
  const bucket = Math.max(1, Math.ceil(n / maxPoints));
  const points = Math.ceil(n / bucket);
  const dd = drawdownPct(result.equity);
  const data: ChartData = {
    t: [],
    close: [],
    equity: [],
    drawdown: [],
    longEntry: new Array<number | null>(points).fill(null),
    shortEntry: new Array<number | null>(points).fill(null),
    exit: new Array<number | null>(points).fill(null),
    bucket,
  };
  for (let p = 0; p < points; p++) {
    const first = p * bucket;
    const last = Math.min(n, first + bucket) - 1;
    let deepest = 0;
    for (let i = first; i <= last; i++) if (dd[i]! < deepest) deepest = dd[i]!;
    data.t.push(series.timeMs[last]! / 1000);
    data.close.push(series.close[last]!);
    data.equity.push(round(result.equity[last]!, 10));
    data.drawdown.push(round(deepest, 6));
  }
  const allTrades = [...result.trades, ...(result.openTrades ?? [])];
  for (const trade of allTrades) {
    const entryPoint = Math.floor(trade.entryBar / bucket);
    if (entryPoint >= 0 && entryPoint < points) {
      (trade.side === 'long' ? data.longEntry : data.shortEntry)[entryPoint] = trade.entryPrice;
    }
    const exitPoint = Math.floor(trade.exitBar / bucket);
    if (trade.exitReason !== 'open' && exitPoint >= 0 && exitPoint < points) data.exit[exitPoint] = trade.exitPrice;
  }
  return data;
}

const isoDay = (timeMs: number): string => new Date(timeMs).toISOString().replace('T', ' ').replace(/:00\.000Z$|\.000Z$/, '').replace(/ 00:00$/, '');

function table(rows: readonly (readonly string[])[], header?: readonly string[]): string {
  const head = header ? `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>` : '';
  const body = rows.map((row) => `<tr>${row.map((cell, c) => (c === 0 && !header ? `<th>${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`);
  return `<table>${head}<tbody>${body.join('')}</tbody></table>`;
}

function configRows(input: ReportInput): string[][] {
  const { config, series } = input;
  const sizing = config.sizing.mode === 'fraction' ? `${config.sizing.value} of equity` : `${config.sizing.mode} ${config.sizing.value}`;
  return [
    ['Data', input.dataFile],
    ['Bars', String(series.length)],
    ['Period', series.length > 0 ? `${isoDay(series.timeMs[0]!)} → ${isoDay(series.timeMs[series.length - 1]!)}` : ''],
    ['Strategy', input.strategyId],
    ['Params', formatParams(input.params)],
    ['Cash', String(config.cash)],
    ['Commission', `${config.commission.rate} of notional + ${config.commission.fixed} per fill`],
    ['Size', sizing],
    ['Lot step', String(config.lotStep)],
    ['Slippage [bps]', String(config.slippageBps)],
    ['Shorting', config.shortAllowed ? 'allowed' : 'not allowed'],
  ];
}

function tradeRows(result: BacktestResult): string[][] {
  return result.trades.slice(0, MAX_TRADE_ROWS).map((t, k) => [
    String(k + 1),
    t.side,
    String(t.quantity),
    isoDay(t.entryTimeMs),
    String(round(t.entryPrice, 10)),
    isoDay(t.exitTimeMs),
    String(round(t.exitPrice, 10)),
    (t.pnl).toFixed(2),
    (t.returnFraction * 100).toFixed(2),
    t.exitReason,
  ]);
}

/** Browser code: builds the two synced charts from the embedded JSON. Plain ES2017, no imports. */
const CHART_SCRIPT = `
(function () {
  var d = JSON.parse(document.getElementById('report-data').textContent);
  var utc = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); };
  var width = function () { return Math.max(320, Math.min(document.body.clientWidth - 32, 1400)); };
  var cursor = { sync: { key: 'report' } };
  var markers = function (label, color, size, fill) {
    return { label: label, stroke: color, fill: fill, width: 0, paths: function () { return null; },
      points: { show: true, size: size, width: 2, stroke: color, fill: fill } };
  };
  var charts = [];
  var chart = function (id, title, height, series, data, axes, scales) {
    var u = new uPlot({ title: title, width: width(), height: height, tzDate: utc, cursor: cursor,
      scales: Object.assign({ x: { time: true } }, scales || {}), series: [{}].concat(series),
      axes: axes || [{}, { size: 70 }] }, [d.t].concat(data), document.getElementById(id));
    charts.push([u, height]);
  };
  chart('equity-chart', 'Equity', 280, [{ label: 'Equity', stroke: '#1d4ed8', width: 1.5 }], [d.equity]);
  chart('drawdown-chart', 'Drawdown [%]', 160,
    [{ label: 'Drawdown [%]', stroke: '#b91c1c', fill: 'rgba(185, 28, 28, 0.15)', width: 1 }], [d.drawdown],
    null, { y: { range: function (u, min) { return [Math.min(min, -1), 0]; } } });
  // Exits first and drawn as rings, so an entry on the same bar (a reversal) shows inside its exit.
  chart('price-chart', 'Price and trades', 360, [
    { label: 'Close', stroke: '#374151', width: 1 },
    markers('Exit', '#6d28d9', 12, '#ffffff'),
    markers('Long entry', '#15803d', 7, '#15803d'),
    markers('Short entry', '#c2410c', 7, '#c2410c')
  ], [d.close, d.exit, d.longEntry, d.shortEntry]);
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c[0].setSize({ width: width(), height: c[1] }); });
  });
})();
`;

const PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #111827; }
h1 { font-size: 20px; margin: 0 0 12px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.columns { display: flex; flex-wrap: wrap; gap: 32px; }
table { border-collapse: collapse; }
th, td { padding: 2px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; }
td { text-align: right; font-variant-numeric: tabular-nums; }
.trades td:nth-child(2), .trades td:last-child { text-align: left; }
.note { color: #6b7280; }
`;

export function renderReportHtml(input: ReportInput, assets: UplotAssets): string {
  const data = chartData(input.series, input.result);
  const statsTable = table(statRows(input.result.stats));
  const runTable = table(configRows(input));
  const trades = input.result.trades;
  const tradesNote =
    trades.length > MAX_TRADE_ROWS ? `<p class="note">First ${MAX_TRADE_ROWS} of ${trades.length} trades.</p>` : '';
  const bucketNote =
    data.bucket > 1 ? `<p class="note">Charts show one point per ${data.bucket} bars (last close, deepest drawdown).</p>` : '';
  const tradeTable = table(tradeRows(input.result), ['#', 'Side', 'Qty', 'Entry time', 'Entry', 'Exit time', 'Exit', 'P&L', 'Return [%]', 'Exit reason']);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${styleText(assets.css)}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<div id="equity-chart"></div>
<div id="drawdown-chart"></div>
<div id="price-chart"></div>
${bucketNote}
<div class="columns">
<section><h2>Statistics</h2>
<div id="stats">${statsTable}</div></section>
<section><h2>Run</h2>${runTable}</section>
</div>
<h2>Trades (${trades.length})</h2>
${tradesNote}
<div class="trades">${tradeTable}</div>
<script>${scriptText(assets.js)}</script>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}
