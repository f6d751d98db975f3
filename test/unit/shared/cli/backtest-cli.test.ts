import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backtestMain } from '../../../../shared/cli/backtest-cli.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../../../shared/cli/cli-io.js';
import { TRADES_CSV_HEADER } from '../../../../shared/cli/result-csv.js';
import { DEFAULT_BACKTEST_CONFIG } from '../../../../shared/trading/backtest/backtest-config.js';
import { runBacktest } from '../../../../shared/trading/backtest/backtest-engine.js';
import { STATISTICS_KEYS } from '../../../../shared/trading/backtest/backtest-types.js';
import { parseOhlcvCsv } from '../../../../shared/trading/csv/ohlcv-csv-parser.js';
import { smaCrossStrategy } from '../../../../shared/trading/strategies/sma-cross.strategy.js';
import { captureIo } from './cli-test-io.js';

const GOOG = path.resolve(__dirname, '../../../../../shared/data/GOOG.csv');
const REFERENCE_RUN = [
  '--data', GOOG, '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--param', 'allowShort=true',
  '--cash', '10000', '--commission', '0', '--size', '0.9999', '--lot', '1',
];

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await backtestMain(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('backtestMain', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tt-backtest-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints exactly the statistics keys as JSON, equal to a direct engine run', async () => {
    const { code, stdout, stderr } = await run([...REFERENCE_RUN, '--json']);
    expect([code, stderr]).toEqual([EXIT_OK, '']);
    const json = JSON.parse(stdout) as Record<string, number | null>;
    expect(Object.keys(json)).toEqual([...STATISTICS_KEYS]);

    const series = parseOhlcvCsv(readFileSync(GOOG, 'utf8'), 'GOOG.csv');
    if (!series.ok) throw new Error(series.error.message);
    const direct = runBacktest(series.value, smaCrossStrategy, { fast: 10, slow: 30, allowShort: true }, DEFAULT_BACKTEST_CONFIG);
    expect(json).toEqual(JSON.parse(JSON.stringify(direct.stats)));
    // The reference figures for this exact command line.
    expect(json.trades).toBe(65);
    expect(json.equityFinal).toBeCloseTo(51959.95, 2);
    expect(json.sharpe).toBeCloseTo(0.583964, 6);
  });

  it('prints null for statistics that are undefined', async () => {
    const { stdout } = await run([...REFERENCE_RUN.slice(0, 4), '--param', 'fast=500', '--param', 'slow=1000', '--json']);
    const json = JSON.parse(stdout) as Record<string, number | null>;
    expect(json.trades).toBe(0);
    expect(json.winRatePct).toBeNull();
    expect(json.sqn).toBeNull();
  });

  it('prints a readable table by default', async () => {
    const { code, stdout } = await run(REFERENCE_RUN);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain('sma-cross fast=10 slow=30 allowShort=true');
    expect(stdout).toContain('2148 bars');
    expect(stdout).toMatch(/^Trades +65$/m);
    expect(stdout).toMatch(/^Equity final +51959\.95$/m);
    expect(stdout).toMatch(/^Max\. drawdown \[%\] +-47\.9801$/m);
  });

  it('writes trades, equity and a self-contained HTML report', async () => {
    const trades = path.join(dir, 'trades.csv');
    const equity = path.join(dir, 'equity.csv');
    const report = path.join(dir, 'report.html');
    const { code, stdout } = await run([...REFERENCE_RUN, '--trades', trades, '--equity', equity, '--report', report]);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain(`wrote trades: ${trades}, equity: ${equity}, report: ${report}`);

    const tradeLines = readFileSync(trades, 'utf8').trimEnd().split('\n');
    expect(tradeLines[0]).toBe(TRADES_CSV_HEADER);
    expect(tradeLines).toHaveLength(66);
    expect(tradeLines[1]).toMatch(/^short,55,70,2004-11-29T00:00:00.000Z,180.36,86,/);

    const equityLines = readFileSync(equity, 'utf8').trimEnd().split('\n');
    expect(equityLines).toHaveLength(2149);
    expect(equityLines[1]).toBe('2004-08-19T00:00:00.000Z,100.34,10000,0');

    const html = readFileSync(report, 'utf8');
    const uplot = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    expect(html).toContain(uplot.slice(0, 200));
    expect(html).toContain('<th>Equity final</th><td>51959.95</td>');
    expect(html).toContain('<th>Sharpe ratio</th><td>0.5840</td>');
    expect(html).toContain('id="equity-chart"');
    expect(html).toContain('id="price-chart"');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
  });

  it('lists the available strategies for an unknown one', async () => {
    const { code, stdout, stderr } = await run(['--data', GOOG, '--strategy', 'moon']);
    expect([code, stdout]).toEqual([EXIT_USAGE, '']);
    expect(stderr).toMatch(/^error: unknown strategy "moon"; available: sma-cross, ema-cross, /);
  });

  it('reports the zod messages for bad params', async () => {
    const { code, stderr } = await run(['--data', GOOG, '--strategy', 'sma-cross', '--param', 'fast=40', '--param', 'slow=20']);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toContain('fast must be less than slow');
    const unknown = await run(['--data', GOOG, '--strategy', 'sma-cross', '--param', 'speed=3']);
    expect(unknown.stderr).toContain('speed');
  });

  it('reports a bad CSV row as file:line: reason without a stack trace', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'time,open,high,low,close,volume\n1000,1,2,0.5,1,5\n2000,1,0.5,2,1,5\n');
    const { code, stderr } = await run(['--data', bad, '--strategy', 'sma-cross']);
    expect(code).toBe(EXIT_FAILURE);
    expect(stderr).toBe(`error: ${bad}:3: high 0.5 is below low 2\n`);
  });

  it('reports a missing data file', async () => {
    const missing = path.join(dir, 'nope.csv');
    const { code, stderr } = await run(['--data', missing, '--strategy', 'sma-cross']);
    expect(code).toBe(EXIT_FAILURE);
    expect(stderr).toBe(`error: cannot read ${missing}: no such file\n`);
  });

  it('reports argument errors with a usage hint', async () => {
    const { code, stderr } = await run(['--data', GOOG, '--strategy', 'sma-cross', '--cash', 'x']);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toBe('error: --cash: expected a number, got "x"\nRun with --help for usage.\n');
  });

  it('prints usage for --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain('Usage: npm run backtest -- --data FILE.csv --strategy ID');
  });
});
