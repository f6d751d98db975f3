import { MACD } from 'technicalindicators';
import { ema } from '../../../../../shared/trading/indicators/ema.js';
import { macd, macdInit } from '../../../../../shared/trading/indicators/macd.js';
import { IndicatorParamsError } from '../../../../../shared/trading/indicators/indicator-params.js';
import { DATASETS, compareAligned, sameBits } from './indicator-test-helpers.js';

const SETTINGS = [
  { fastPeriod: 12, slowPeriod: 26, signalPeriod: 9 },
  { fastPeriod: 3, slowPeriod: 10, signalPeriod: 16 },
  { fastPeriod: 1, slowPeriod: 2, signalPeriod: 1 },
];

describe('macd', () => {
  it('is the difference of two EMAs, with an EMA signal and the histogram between them', () => {
    const values = [1, 3, 2, 6, 4, 8, 7, 9, 12, 10];
    const out = macd(values, { fastPeriod: 2, slowPeriod: 4, signalPeriod: 3 });
    const line = Array.from(ema(values, { period: 2 }), (f, i) => f - ema(values, { period: 4 })[i]!);
    expect(Array.from(out.macd)).toEqual(line);
    const signal = ema(line.slice(3), { period: 3 });
    expect(Array.from(out.signal)).toEqual([NaN, NaN, NaN, ...signal]);
    expect(Array.from(out.histogram)).toEqual(line.map((m, i) => m - out.signal[i]!));
    // macd from index slow - 1 = 3, signal from slow + signal - 2 = 5.
    expect(out.macd.findIndex((v) => !Number.isNaN(v))).toBe(3);
    expect(out.signal.findIndex((v) => !Number.isNaN(v))).toBe(5);
  });

  it('defaults to 12, 26, 9', () => {
    const close = DATASETS[0]!.close;
    const defaults = macd(close);
    const explicit = macd(close, { fastPeriod: 12, slowPeriod: 26, signalPeriod: 9 });
    expect(sameBits(defaults.signal, explicit.signal)).toBe(true);
  });

  it.each(DATASETS.flatMap((d) => SETTINGS.map((s) => [d.name, s, d.close] as const)))(
    'matches technicalindicators MACD (EMA oscillator and signal) on %s close with %o to 1e-9 relative',
    (_name, params, close) => {
      const reference = MACD.calculate({ ...params, values: close, SimpleMAOscillator: false, SimpleMASignal: false });
      const ours = macd(close, params);
      const offset = params.slowPeriod - 1;
      const firstSignal = params.signalPeriod - 1;
      expect(compareAligned(ours.macd, reference.map((r) => r.MACD!), offset)).toEqual([]);
      // technicalindicators leaves the first signalPeriod - 1 signals undefined inside its output.
      expect(reference.slice(0, firstSignal).every((r) => r.signal === undefined)).toBe(true);
      const signals = reference.slice(firstSignal).map((r) => r.signal!);
      const histograms = reference.slice(firstSignal).map((r) => r.histogram!);
      expect(compareAligned(ours.signal, signals, offset + firstSignal)).toEqual([]);
      expect(compareAligned(ours.histogram, histograms, offset + firstSignal)).toEqual([]);
    },
  );

  it('rejects a fast period that is not below the slow one', () => {
    expect(() => macdInit({ fastPeriod: 26, slowPeriod: 26 })).toThrow(IndicatorParamsError);
    expect(() => macdInit({ fastPeriod: 26, slowPeriod: 12 })).toThrow(/fastPeriod must be less than slowPeriod/);
  });
});
