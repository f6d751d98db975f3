import type { ParamsJsonSchema } from '../../../../shared/schemas/backtest-views';
import { axisValues, gridBody, initialAxes } from '../../../../site/src/lib/grid-form';

const schema: ParamsJsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { fast: { type: 'integer', minimum: 1, default: 10 }, stdDevs: { type: 'number', default: 2 }, allowShort: { type: 'boolean', default: false } },
};

describe('grid form', () => {
  it('suggests a range around each numeric default, nothing varied yet', () => {
    const axes = initialAxes(schema);
    expect(axes.fast).toEqual({ vary: false, start: '10', end: '20', step: '3' });
    expect(Object.values(axes).every((a) => !a.vary)).toBe(true);
  });

  it('expands ranges like the API (inclusive, exact decimals) and booleans to both values', () => {
    expect(axisValues(schema.properties.stdDevs!, { vary: true, start: '1.5', end: '2.5', step: '0.5' })).toEqual({ values: [1.5, 2, 2.5] });
    expect(axisValues(schema.properties.fast!, { vary: true, start: '5', end: '3', step: '1' })).toEqual({ error: 'end must not be below start' });
    expect(axisValues(schema.properties.fast!, { vary: true, start: '5', end: '9', step: '0' })).toEqual({ error: 'step must be positive' });
    expect(axisValues(schema.properties.allowShort!, { vary: true, start: '', end: '', step: '' })).toEqual({ values: [false, true] });
  });

  it('builds the API grid from the varied params and counts the combinations', () => {
    const body = gridBody(schema, {
      fast: { vary: true, start: '5', end: '25', step: '5' },
      stdDevs: { vary: false, start: '1', end: '2', step: '1' },
      allowShort: { vary: true, start: '', end: '', step: '' },
    });
    expect(body).toEqual({ axes: [{ name: 'fast', start: 5, end: 25, step: 5 }, { name: 'allowShort', values: [false, true] }], combinations: 10, errors: {} });
    expect(gridBody(schema, initialAxes(schema)).combinations).toBe(0);
  });
});
