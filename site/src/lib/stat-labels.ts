/** Labels and formats of the statistics (keys as in the API and the CLI's --json; definitions in docs/backtesting.md). */
import type { Statistics } from '../../../shared/schemas/backtest-views.js';
import { fmtInt, fmtNumber, fmtPct } from './format.js';

type Format = (v: number | null) => string;
const pct: Format = (v) => fmtPct(v);
const num: Format = (v) => fmtNumber(v);
const days: Format = (v) => (v === null ? fmtNumber(v) : `${fmtInt(v)} d`);
const ratio: Format = (v) => fmtNumber(v, 3);

export const STAT_ROWS: readonly { readonly key: keyof Statistics; readonly label: string; readonly format: Format; readonly higherIsBetter?: boolean }[] = [
  { key: 'returnPct', label: 'Return', format: pct, higherIsBetter: true },
  { key: 'buyHoldReturnPct', label: 'Buy & hold return', format: pct },
  { key: 'returnAnnPct', label: 'Return (annualized)', format: pct, higherIsBetter: true },
  { key: 'cagrPct', label: 'CAGR', format: pct, higherIsBetter: true },
  { key: 'volatilityAnnPct', label: 'Volatility (annualized)', format: pct, higherIsBetter: false },
  { key: 'sharpe', label: 'Sharpe ratio', format: ratio, higherIsBetter: true },
  { key: 'sortino', label: 'Sortino ratio', format: ratio, higherIsBetter: true },
  { key: 'calmar', label: 'Calmar ratio', format: ratio, higherIsBetter: true },
  { key: 'maxDrawdownPct', label: 'Max drawdown', format: pct, higherIsBetter: true },
  { key: 'avgDrawdownPct', label: 'Average drawdown', format: pct, higherIsBetter: true },
  { key: 'maxDrawdownDurationDays', label: 'Longest drawdown', format: days, higherIsBetter: false },
  { key: 'equityFinal', label: 'Final equity', format: num, higherIsBetter: true },
  { key: 'equityPeak', label: 'Peak equity', format: num },
  { key: 'trades', label: 'Trades', format: (v) => fmtInt(v) },
  { key: 'winRatePct', label: 'Win rate', format: pct, higherIsBetter: true },
  { key: 'bestTradePct', label: 'Best trade', format: pct },
  { key: 'worstTradePct', label: 'Worst trade', format: pct },
  { key: 'avgTradePct', label: 'Average trade', format: pct, higherIsBetter: true },
  { key: 'profitFactor', label: 'Profit factor', format: ratio, higherIsBetter: true },
  { key: 'expectancyPct', label: 'Expectancy', format: pct, higherIsBetter: true },
  { key: 'sqn', label: 'SQN', format: ratio, higherIsBetter: true },
  { key: 'kelly', label: 'Kelly criterion', format: ratio },
  { key: 'exposurePct', label: 'Exposure time', format: pct },
];

export const statLabel = (key: keyof Statistics): string => STAT_ROWS.find((r) => r.key === key)?.label ?? key;
export const formatStat = (key: keyof Statistics, value: number | null): string => (STAT_ROWS.find((r) => r.key === key)?.format ?? num)(value);
