import { formatStat, renderGrid, renderTable, statisticsJson, statRows } from '../../../../shared/cli/stats-format.js';
import { STATISTICS_KEYS, type Statistics } from '../../../../shared/trading/backtest/backtest-types.js';

const stats = {
  ...Object.fromEntries(STATISTICS_KEYS.map((k) => [k, 1.5])),
  trades: 3,
  sharpe: Number.NaN,
  profitFactor: Number.POSITIVE_INFINITY,
  sqn: null,
  extra: 99,
} as unknown as Statistics;

describe('statisticsJson', () => {
  it('has exactly the statistics keys in order, with null for undefined and non-finite values', () => {
    const json = statisticsJson(stats);
    expect(Object.keys(json)).toEqual([...STATISTICS_KEYS]);
    expect([json.trades, json.sharpe, json.profitFactor, json.sqn, json.kelly]).toEqual([3, null, null, null, 1.5]);
  });
});

describe('formatStat', () => {
  it('formats counts, money, percentages, ratios and days', () => {
    expect([
      formatStat('trades', 65),
      formatStat('equityFinal', 51959.954),
      formatStat('returnPct', 419.59951),
      formatStat('sharpe', 0.583964),
      formatStat('maxDrawdownDurationDays', 584),
      formatStat('sqn', null),
    ]).toEqual(['65', '51959.95', '419.5995', '0.5840', '584', 'n/a']);
  });
});

describe('renderTable', () => {
  it('aligns labels left and values right', () => {
    expect(renderTable([['Trades', '5'], ['Equity final', '100.00']])).toBe(`Trades${' '.repeat(13)}5\nEquity final  100.00\n`);
  });

  it('labels every statistic', () => {
    expect(statRows(stats)).toHaveLength(STATISTICS_KEYS.length);
  });
});

describe('renderGrid', () => {
  it('right-aligns numeric columns under a header rule', () => {
    expect(renderGrid(['#', 'name', 'value'], [['1', 'a', '10.5'], ['2', 'bb', 'n/a']])).toBe(
      '#  name  value\n-  ----  -----\n1  a      10.5\n2  bb      n/a\n',
    );
  });
});
