/**
 * `npm run backtest -- --data FILE.csv --strategy ID …`: one backtest, printed as a table or JSON,
 * optionally written as trades/equity CSV and an HTML report. See docs/cli.md.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { runBacktest } from '../trading/backtest/backtest-engine.js';
import { getStrategy, parseStrategyParams } from '../trading/strategies/registry.js';
import { BACKTEST_USAGE, parseBacktestArgs, type BacktestArgs } from './backtest-args.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, reportError, runAsProcess, type CliIo } from './cli-io.js';
import { loadSeries } from './load-series.js';
import { renderReportHtml, type UplotAssets } from './report-html.js';
import { equityCsv, tradesCsv } from './result-csv.js';
import { renderTable, statisticsJson, statRows } from './stats-format.js';
import { formatParams } from './strategy-params.js';

const USAGE_HINT = 'Run with --help for usage.';

export async function loadUplotAssets(): Promise<UplotAssets> {
  const [js, css] = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]);
  return { js, css };
}

async function writeOutput(io: CliIo, path: string, content: string, what: string): Promise<boolean> {
  try {
    await writeFile(path, content);
    return true;
  } catch (error) {
    io.err(`error: cannot write ${what} to ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    return false;
  }
}

export async function backtestMain(argv: readonly string[], io: CliIo): Promise<number> {
  const parsedArgs = parseBacktestArgs(argv);
  if (!parsedArgs.ok) return reportError(io, parsedArgs.error, EXIT_USAGE, USAGE_HINT);
  if (parsedArgs.value.help) {
    io.out(BACKTEST_USAGE);
    return EXIT_OK;
  }
  const args: BacktestArgs = parsedArgs.value;

  const strategy = getStrategy(args.strategyId);
  if (!strategy.ok) return reportError(io, strategy.error, EXIT_USAGE);
  const params = parseStrategyParams(strategy.value, args.rawParams);
  if (!params.ok) return reportError(io, params.error, EXIT_USAGE);

  const series = await loadSeries(args.dataPath);
  if (!series.ok) return reportError(io, series.error, EXIT_FAILURE);

  const result = runBacktest(series.value, strategy.value, params.value, args.config);

  let written = true;
  const notes: string[] = [];
  if (args.tradesPath !== undefined) {
    written = (await writeOutput(io, args.tradesPath, tradesCsv(result.trades), 'trades')) && written;
    notes.push(`trades: ${args.tradesPath}`);
  }
  if (args.equityPath !== undefined) {
    written = (await writeOutput(io, args.equityPath, equityCsv(series.value, result.equity), 'equity')) && written;
    notes.push(`equity: ${args.equityPath}`);
  }
  if (args.reportPath !== undefined) {
    const html = renderReportHtml(
      {
        title: `${strategy.value.id} on ${args.dataPath}`,
        dataFile: args.dataPath,
        strategyId: strategy.value.id,
        params: params.value as Record<string, unknown>,
        config: args.config,
        series: series.value,
        result,
      },
      await loadUplotAssets(),
    );
    written = (await writeOutput(io, args.reportPath, html, 'report')) && written;
    notes.push(`report: ${args.reportPath}`);
  }

  if (args.json) {
    io.out(`${JSON.stringify(statisticsJson(result.stats))}\n`);
  } else {
    const s = series.value;
    const period =
      s.length > 0 ? `${new Date(s.timeMs[0]!).toISOString()} → ${new Date(s.timeMs[s.length - 1]!).toISOString()}` : '';
    io.out(
      `${strategy.value.id} ${formatParams(params.value as Record<string, unknown>)}\n` +
        `${args.dataPath}: ${s.length} bars, ${period}\n\n` +
        renderTable(statRows(result.stats)) +
        (result.openTrades !== undefined && result.openTrades.length > 0
          ? `\n${result.openTrades.length} position(s) still open at the end, marked to the last close (not counted as trades)\n`
          : '') +
        (notes.length > 0 ? `\nwrote ${notes.join(', ')}\n` : ''),
    );
  }
  return written ? EXIT_OK : EXIT_FAILURE;
}

if (require.main === module) runAsProcess(backtestMain);
