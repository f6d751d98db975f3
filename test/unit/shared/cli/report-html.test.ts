import { chartData, escapeHtml, renderReportHtml, type ReportInput } from '../../../../shared/cli/report-html.js';
import { DEFAULT_BACKTEST_CONFIG } from '../../../../shared/trading/backtest/backtest-config.js';
import { STATISTICS_KEYS, type BacktestResult, type Statistics, type Trade } from '../../../../shared/trading/backtest/backtest-types.js';
import { barSeriesFromBars, type BarSeries } from '../../../../shared/trading/types.js';

const DAY = 86_400_000;

function series(closes: number[]): BarSeries {
  return barSeriesFromBars(closes.map((c, i) => ({ timeMs: i * DAY, open: c, high: c, low: c, close: c, volume: 1 })));
}

function trade(side: 'long' | 'short', entryBar: number, exitBar: number, exitReason = 'signal'): Trade {
  return {
    side, quantity: 1, entryBar, entryTimeMs: entryBar * DAY, entryPrice: 100 + entryBar, exitBar, exitTimeMs: exitBar * DAY,
    exitPrice: 100 + exitBar, entryFee: 0, exitFee: 0, pnl: 1, returnFraction: 0.01, exitReason,
  };
}

const stats = {
  ...Object.fromEntries(STATISTICS_KEYS.map((k) => [k, null])),
  trades: 2, equityFinal: 12345.678, equityPeak: 13000, returnPct: 23.45678, sharpe: 1.23456,
} as unknown as Statistics;

function result(equity: number[], trades: Trade[], openTrades: Trade[] = []): BacktestResult {
  return { equity: Float64Array.from(equity), trades, stats, openTrades };
}

const assets = { js: 'window.uPlot = function () {}; /* uplot-js-marker */', css: '.uplot { color: red } /* uplot-css-marker */' };

describe('chartData', () => {
  it('keeps every bar of a short series and places trade markers on their bars', () => {
    const data = chartData(series([1, 2, 3, 4]), result([100, 110, 99, 120], [trade('long', 0, 2), trade('short', 2, 3)]));
    expect(data.t).toEqual([0, 86400, 172800, 259200]);
    expect(data.equity).toEqual([100, 110, 99, 120]);
    expect(data.drawdown.map((d) => Number(d.toFixed(6)))).toEqual([0, 0, -10, 0]);
    expect(data.longEntry).toEqual([100, null, null, null]);
    expect(data.shortEntry).toEqual([null, null, 102, null]);
    expect(data.exit).toEqual([null, null, 102, 103]);
  });

  it('buckets long series, keeping each bucket’s last close and deepest drawdown', () => {
    const data = chartData(series([1, 2, 3, 4, 5]), result([100, 50, 100, 100, 80], [trade('long', 3, 4)]), 2);
    expect(data.bucket).toBe(3);
    expect(data.close).toEqual([3, 5]);
    expect(data.equity).toEqual([100, 80]);
    expect(data.drawdown).toEqual([-50, -20]);
    expect(data.longEntry).toEqual([null, 103]);
  });

  it('marks the entry of a position still open but no exit', () => {
    const data = chartData(series([1, 2, 3]), result([1, 1, 1], [], [trade('long', 1, 2, 'open')]));
    expect(data.longEntry).toEqual([null, 101, null]);
    expect(data.exit).toEqual([null, null, null]);
  });
});

describe('renderReportHtml', () => {
  const input: ReportInput = {
    title: 'sma-cross on <prices>.csv',
    dataFile: '<prices>.csv',
    strategyId: 'sma-cross',
    params: { fast: 10, slow: 30 },
    config: DEFAULT_BACKTEST_CONFIG,
    series: series([1, 2, 3]),
    result: result([10000, 10100, 12345.678], [trade('long', 0, 2)]),
  };
  const html = renderReportHtml(input, assets);

  it('inlines the uPlot script and stylesheet and loads nothing external', () => {
    expect(html).toContain(assets.js);
    expect(html).toContain(assets.css);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });

  it('contains the statistics table, the run settings and the trades', () => {
    expect(html).toContain('<th>Equity final</th><td>12345.68</td>');
    expect(html).toContain('<th>Sharpe ratio</th><td>1.2346</td>');
    expect(html).toContain('<th>Win rate [%]</th><td>n/a</td>');
    expect(html).toContain('<th>Params</th><td>fast=10 slow=30</td>');
    expect(html).toContain('Trades (1)');
  });

  it('escapes text and keeps embedded data from closing its script element', () => {
    expect(html).toContain('<title>sma-cross on &#60;prices&#62;.csv</title>');
    const hostile = renderReportHtml({ ...input, params: { note: '</script><script>alert(1)</script>' } }, { js: 'a("</script>")', css: '</style>' });
    expect(hostile).not.toContain('</script><script>alert(1)');
    expect(hostile).toContain('a("<\\/script>")');
    expect(hostile.match(/<\/style>/g)).toHaveLength(2);
  });

  it('embeds the chart data as JSON', () => {
    const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(json ?? 'null')).toMatchObject({ t: [0, 86400, 172800], close: [1, 2, 3], equity: [10000, 10100, 12345.678] });
  });
});

describe('escapeHtml', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;&#60;/a&#62;');
  });
});
