/** `npm run backtest -- …` arguments. */
import { z } from 'zod';
import { ok, type Result } from '../core/result.js';
import { tokenizeArgs } from './argv-tokens.js';
import { formatIssues, invalidArgs, RUN_FLAGS, runOptionsSchema, toRunOptions, type RunOptions } from './run-options.js';

export const BACKTEST_USAGE = `Usage: npm run backtest -- --data FILE.csv --strategy ID [options]

  --data FILE.csv        OHLCV bars (header ",Open,High,Low,Close,Volume" or "time,open,high,low,close,volume")
  --strategy ID          strategy id (an unknown id lists the available ones)
  --param name=value     strategy parameter, repeatable (e.g. --param fast=10 --param slow=30)
  --cash N               initial cash (default 10000)
  --commission RATE      commission per fill as a fraction of notional (default 0; 0.001 = 0.1%)
  --fixed-commission N   fixed commission per fill (default 0)
  --size FRACTION        fraction of available equity per entry, at most 1 (default 0.9999)
  --lot STEP             quantity step; quantities round down to it (default 1 = whole units)
  --slippage BPS         adverse slippage on market and stop fills, in basis points (default 0)
  --long-only            the market does not allow shorting
  --json                 print the statistics as one JSON object
  --trades FILE.csv      write the closed trades
  --equity FILE.csv      write the equity curve and drawdown
  --report FILE.html     write a self-contained HTML report (charts and statistics)
  --help                 show this help
`;

const BACKTEST_FLAGS = {
  ...RUN_FLAGS,
  json: 'boolean',
  trades: 'value',
  equity: 'value',
  report: 'value',
} as const;

const outputPath = z.string().min(1, 'must not be empty').optional();

const backtestArgsSchema = runOptionsSchema.extend({
  json: z.literal(true).optional(),
  trades: outputPath,
  equity: outputPath,
  report: outputPath,
});

export interface BacktestArgs extends RunOptions {
  readonly json: boolean;
  readonly tradesPath: string | undefined;
  readonly equityPath: string | undefined;
  readonly reportPath: string | undefined;
}

export type ParsedBacktestArgs = { readonly help: true } | ({ readonly help: false } & BacktestArgs);

export function parseBacktestArgs(argv: readonly string[]): Result<ParsedBacktestArgs> {
  const tokens = tokenizeArgs(argv, BACKTEST_FLAGS);
  if (!tokens.ok) return tokens;
  if (tokens.value.help === true) return ok({ help: true });
  const parsed = backtestArgsSchema.safeParse(tokens.value);
  if (!parsed.success) return invalidArgs(formatIssues(parsed.error.issues, (path) => `--${path.split('.')[0]}`));
  const run = toRunOptions(parsed.data);
  if (!run.ok) return run;
  return ok({
    help: false,
    ...run.value,
    json: parsed.data.json === true,
    tradesPath: parsed.data.trades,
    equityPath: parsed.data.equity,
    reportPath: parsed.data.report,
  });
}
