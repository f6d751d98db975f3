/** `--trades` and `--equity` file contents. Times are ISO UTC so spreadsheets and pandas read them. */
import type { Trade } from '../trading/backtest/backtest-types.js';
import type { BarSeries } from '../trading/types.js';

const iso = (timeMs: number): string => new Date(timeMs).toISOString();

export const TRADES_CSV_HEADER =
  'side,quantity,entryBar,entryTime,entryPrice,exitBar,exitTime,exitPrice,entryFee,exitFee,pnl,returnPct,exitReason';

function csvText(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tradesCsv(trades: readonly Trade[]): string {
  const lines = [TRADES_CSV_HEADER];
  for (const t of trades) {
    lines.push(
      [
        t.side,
        t.quantity,
        t.entryBar,
        iso(t.entryTimeMs),
        t.entryPrice,
        t.exitBar,
        iso(t.exitTimeMs),
        t.exitPrice,
        t.entryFee,
        t.exitFee,
        t.pnl,
        t.returnFraction * 100,
        csvText(t.exitReason),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** Drawdown as a negative percentage below the running peak, like maxDrawdownPct. */
export function drawdownPct(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    out[i] = peak > 0 ? (e / peak - 1) * 100 : 0;
  }
  return out;
}

export function equityCsv(series: BarSeries, equity: Float64Array): string {
  const drawdown = drawdownPct(equity);
  const lines = ['time,close,equity,drawdownPct'];
  for (let i = 0; i < equity.length; i++) {
    lines.push(`${iso(series.timeMs[i]!)},${series.close[i]!},${equity[i]!},${drawdown[i]!}`);
  }
  return lines.join('\n') + '\n';
}
