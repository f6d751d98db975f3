import { z } from 'zod';
import {
  INDICATOR_INVALID_PARAMS,
  IndicatorParamsError,
  MAX_PERIOD,
  checkIndicatorParams,
  commonLength,
  periodSchema,
  requireIndicatorParams,
} from '../../../../../shared/trading/indicators/indicator-params.js';
import { vwapInit } from '../../../../../shared/trading/indicators/vwap.js';

const schema = z.object({ period: periodSchema });

describe('indicator params', () => {
  it('returns the parsed params as an ok Result', () => {
    expect(checkIndicatorParams(schema, { period: 3 }, 'sma')).toEqual({ ok: true, value: { period: 3 } });
  });

  it('reports invalid params as a value with a stable code and a message naming the indicator and field', () => {
    const result = checkIndicatorParams(schema, { period: 0 }, 'sma');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(INDICATOR_INVALID_PARAMS);
      expect(result.error.message).toMatch(/^sma: .*period must be at least 1/s);
    }
  });

  it('refuses periods above MAX_PERIOD instead of allocating them', () => {
    expect(() => requireIndicatorParams(schema, { period: MAX_PERIOD + 1 }, 'sma')).toThrow(IndicatorParamsError);
    expect(() => vwapInit({ period: MAX_PERIOD + 1 })).toThrow(/at most/);
  });

  it('throws errors carrying the same code', () => {
    try {
      requireIndicatorParams(schema, { period: 'ten' }, 'ema');
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(IndicatorParamsError);
      expect((e as IndicatorParamsError).code).toBe(INDICATOR_INVALID_PARAMS);
    }
  });

  it('checks that parallel input columns have one length', () => {
    expect(commonLength('x', [1, 2], new Float64Array(2))).toBe(2);
    expect(() => commonLength('vwap', [1, 2], [1])).toThrow(/vwap: input columns must have the same length/);
  });
});
