import { STATISTICS_KEYS, type Statistics } from '../../../../../shared/trading/backtest/backtest-types.js';
import { metricDirection, metricValue } from '../../../../../shared/trading/optimize/optimize-metric.js';
import { rankByMetric, type RunOutcome } from '../../../../../shared/trading/optimize/rank-results.js';

function stats(values: Partial<Statistics>): Statistics {
  const base = Object.fromEntries(STATISTICS_KEYS.map((k) => [k, null])) as unknown as Statistics;
  return { ...base, trades: 0, equityFinal: 1, equityPeak: 1, returnPct: 0, ...values };
}

const outcome = (index: number, values: Partial<Statistics>): RunOutcome<{ id: number }> => ({
  index,
  params: { id: index },
  stats: stats(values),
});

describe('rankByMetric', () => {
  it('puts the highest value first for a higher-is-better metric', () => {
    const ranked = rankByMetric([outcome(0, { sharpe: 0.5 }), outcome(1, { sharpe: 1.2 }), outcome(2, { sharpe: -0.3 })], 'sharpe');
    expect(ranked.map((r) => r.index)).toEqual([1, 0, 2]);
  });

  it('puts the lowest value first for volatility and drawdown duration', () => {
    const runs = [outcome(0, { volatilityAnnPct: 30 }), outcome(1, { volatilityAnnPct: 10 }), outcome(2, { volatilityAnnPct: 20 })];
    expect(rankByMetric(runs, 'volatilityAnnPct').map((r) => r.index)).toEqual([1, 2, 0]);
    expect(metricDirection('maxDrawdownDurationDays')).toBe('min');
  });

  it('treats the negative max drawdown closest to zero as best', () => {
    const runs = [outcome(0, { maxDrawdownPct: -40 }), outcome(1, { maxDrawdownPct: -5 })];
    expect(rankByMetric(runs, 'maxDrawdownPct').map((r) => r.index)).toEqual([1, 0]);
  });

  it('ranks undefined metrics last and breaks ties by grid order', () => {
    const runs = [outcome(3, { sharpe: null }), outcome(2, { sharpe: 1 }), outcome(0, { sharpe: null }), outcome(1, { sharpe: 1 })];
    expect(rankByMetric(runs, 'sharpe').map((r) => r.index)).toEqual([1, 2, 0, 3]);
  });

  it('does not reorder its input', () => {
    const runs = [outcome(0, { sharpe: 0 }), outcome(1, { sharpe: 1 })];
    rankByMetric(runs, 'sharpe');
    expect(runs.map((r) => r.index)).toEqual([0, 1]);
  });
});

describe('metricValue', () => {
  it('is null for NaN and missing values', () => {
    expect(metricValue(stats({ sharpe: Number.NaN }), 'sharpe')).toBeNull();
    expect(metricValue(stats({ sqn: null }), 'sqn')).toBeNull();
    expect(metricValue(stats({ sqn: 1.5 }), 'sqn')).toBe(1.5);
  });
});
