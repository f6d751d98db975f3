import { BollingerBands } from 'technicalindicators';
import { bollinger, bollingerInit } from '../../../../../shared/trading/indicators/bollinger.js';
import { sma } from '../../../../../shared/trading/indicators/sma.js';
import { IndicatorParamsError } from '../../../../../shared/trading/indicators/indicator-params.js';
import { DATASETS, compareAligned, sameBits } from './indicator-test-helpers.js';

const SETTINGS = [
  { period: 20, multiplier: 2 },
  { period: 5, multiplier: 1.5 },
  { period: 50, multiplier: 3 },
];

describe('bollinger', () => {
  it('puts the bands multiplier population deviations around the SMA on a hand-checked sequence', () => {
    // window [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, population deviation 2.
    const out = bollinger([2, 4, 4, 4, 5, 5, 7, 9], { period: 8, multiplier: 2 });
    expect([out.middle[7], out.upper[7], out.lower[7]]).toEqual([5, 9, 1]);
    expect([out.middle[6], out.upper[6], out.lower[6]].every(Number.isNaN)).toBe(true);
  });

  it('defaults to period 20 and multiplier 2', () => {
    const close = DATASETS[0]!.close;
    expect(sameBits(bollinger(close).upper, bollinger(close, { period: 20, multiplier: 2 }).upper)).toBe(true);
  });

  it('has a middle band bit-identical to sma', () => {
    for (const d of DATASETS) expect(sameBits(bollinger(d.close, { period: 20 }).middle, sma(d.close, { period: 20 }))).toBe(true);
  });

  it.each(DATASETS.flatMap((d) => SETTINGS.map((s) => [d.name, s, d.close] as const)))(
    'matches technicalindicators BollingerBands on %s close with %o to 1e-9 relative',
    (_name, { period, multiplier }, close) => {
      const reference = BollingerBands.calculate({ period, stdDev: multiplier, values: close });
      const ours = bollinger(close, { period, multiplier });
      expect(compareAligned(ours.middle, reference.map((r) => r.middle), period - 1)).toEqual([]);
      expect(compareAligned(ours.upper, reference.map((r) => r.upper), period - 1)).toEqual([]);
      expect(compareAligned(ours.lower, reference.map((r) => r.lower), period - 1)).toEqual([]);
    },
  );

  it.each([0, -1, NaN])('rejects multiplier %p', (multiplier) => {
    expect(() => bollingerInit({ multiplier })).toThrow(IndicatorParamsError);
  });
});
