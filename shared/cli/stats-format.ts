/** How statistics are shown to people: labels and number formats shared by the table and the HTML report. */
import { STATISTICS_KEYS, type Statistics } from '../trading/backtest/backtest-types.js';

type StatKey = (typeof STATISTICS_KEYS)[number];
type Format = 'count' | 'money' | 'percent' | 'ratio' | 'days';

const STAT_DISPLAY: Readonly<Record<StatKey, { readonly label: string; readonly format: Format }>> = {
  trades: { label: 'Trades', format: 'count' },
  equityFinal: { label: 'Equity final', format: 'money' },
  equityPeak: { label: 'Equity peak', format: 'money' },
  returnPct: { label: 'Return [%]', format: 'percent' },
  buyHoldReturnPct: { label: 'Buy & hold return [%]', format: 'percent' },
  returnAnnPct: { label: 'Return (ann.) [%]', format: 'percent' },
  volatilityAnnPct: { label: 'Volatility (ann.) [%]', format: 'percent' },
  cagrPct: { label: 'CAGR [%]', format: 'percent' },
  sharpe: { label: 'Sharpe ratio', format: 'ratio' },
  sortino: { label: 'Sortino ratio', format: 'ratio' },
  calmar: { label: 'Calmar ratio', format: 'ratio' },
  maxDrawdownPct: { label: 'Max. drawdown [%]', format: 'percent' },
  avgDrawdownPct: { label: 'Avg. drawdown [%]', format: 'percent' },
  maxDrawdownDurationDays: { label: 'Max. drawdown duration [days]', format: 'days' },
  winRatePct: { label: 'Win rate [%]', format: 'percent' },
  bestTradePct: { label: 'Best trade [%]', format: 'percent' },
  worstTradePct: { label: 'Worst trade [%]', format: 'percent' },
  avgTradePct: { label: 'Avg. trade [%]', format: 'percent' },
  profitFactor: { label: 'Profit factor', format: 'ratio' },
  expectancyPct: { label: 'Expectancy [%]', format: 'percent' },
  sqn: { label: 'SQN', format: 'ratio' },
  kelly: { label: 'Kelly criterion', format: 'ratio' },
  exposurePct: { label: 'Exposure time [%]', format: 'percent' },
};

export const NOT_AVAILABLE = 'n/a';

export function statLabel(key: StatKey): string {
  return STAT_DISPLAY[key].label;
}

export function formatStat(key: StatKey, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NOT_AVAILABLE;
  switch (STAT_DISPLAY[key].format) {
    case 'count':
      return String(value);
    case 'money':
      return value.toFixed(2);
    case 'days':
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
    case 'percent':
    case 'ratio':
      return value.toFixed(4);
  }
}

/** `[label, formatted value]` for every statistic, in the order of STATISTICS_KEYS. */
export function statRows(stats: Statistics): [string, string][] {
  return STATISTICS_KEYS.map((key) => [statLabel(key), formatStat(key, stats[key])]);
}

/**
 * The `--json` shape: exactly the STATISTICS_KEYS, in order, numbers or null. Built key by key so
 * extra fields an engine version might add never leak into the CLI contract.
 */
export function statisticsJson(stats: Statistics): Record<StatKey, number | null> {
  const out = {} as Record<StatKey, number | null>;
  for (const key of STATISTICS_KEYS) {
    const value = stats[key];
    out[key] = typeof value === 'number' && Number.isFinite(value) ? value : null;
  }
  return out;
}

/** Two-column text table with the values right-aligned. */
export function renderTable(rows: readonly (readonly [string, string])[]): string {
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  return rows.map(([label, value]) => `${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}`).join('\n') + '\n';
}

/** A table with a header row; numeric-looking cells are right-aligned. */
export function renderGrid(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const numeric = (text: string): boolean => /^[-+]?[\d.]+$/.test(text) || text === NOT_AVAILABLE;
  const line = (cells: readonly string[], alignRight: (c: number) => boolean): string =>
    cells
      .map((cell, c) => (alignRight(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const rightColumns = header.map((_, c) => rows.length > 0 && rows.every((row) => numeric(row[c] ?? '')));
  return [
    line(header, (c) => rightColumns[c]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((row) => line(row, (c) => rightColumns[c]!)),
  ].join('\n') + '\n';
}
