import type { ParamsJsonSchema } from '../../../../shared/schemas/backtest-views';
import { collectParams, controlOf, initialTexts, paramErrorsFrom, parseParam } from '../../../../site/src/lib/param-form';

const schema: ParamsJsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    fast: { type: 'integer', minimum: 1, default: 10 },
    level: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100, default: 30 },
    allowShort: { type: 'boolean', default: false },
    direction: { type: 'string', enum: ['long', 'short'], default: 'long' },
  },
};

describe('param form', () => {
  it('picks a control per JSON Schema type', () => {
    expect(Object.values(schema.properties).map(controlOf)).toEqual(['number', 'number', 'checkbox', 'select']);
  });

  it('starts from the defaults, or from saved values', () => {
    expect(initialTexts(schema, {})).toEqual({ fast: '10', level: '30', allowShort: false, direction: 'long' });
    expect(initialTexts(schema, { fast: 5, allowShort: true })).toEqual({ fast: '5', level: '30', allowShort: true, direction: 'long' });
  });

  it('states what the schema refuses, as the user types', () => {
    const fast = schema.properties.fast!;
    const level = schema.properties.level!;
    expect(parseParam(fast, '12')).toEqual({ value: 12 });
    expect(parseParam(fast, '1.5')).toEqual({ error: 'must be a whole number' });
    expect(parseParam(fast, '0')).toEqual({ error: 'must be at least 1' });
    expect(parseParam(fast, '')).toEqual({ error: 'must not be empty' });
    expect(parseParam(fast, '0x10')).toEqual({ error: 'must be a number' });
    expect(parseParam(level, '100')).toEqual({ error: 'must be less than 100' });
    expect(parseParam(level, '0')).toEqual({ error: 'must be greater than 0' });
    expect(parseParam(schema.properties.direction!, 'sideways')).toEqual({ error: 'must be one of long, short' });
  });

  it('collects typed params and the errors by name', () => {
    expect(collectParams(schema, { fast: '7', level: '25.5', allowShort: true, direction: 'short' })).toEqual({ params: { fast: 7, level: 25.5, allowShort: true, direction: 'short' }, errors: {} });
    expect(collectParams(schema, { fast: 'x', level: '25', allowShort: false, direction: 'long' }).errors).toEqual({ fast: 'must be a number' });
  });

  it("maps the API's field details to params, whatever the route's prefix", () => {
    expect(
      paramErrorsFrom([
        { path: 'settings.params.fast', message: 'fast must be less than slow' },
        { path: 'params.slow', message: 'too big' },
        { path: 'cash', message: 'must be positive' },
      ]),
    ).toEqual({ fast: 'fast must be less than slow', slow: 'too big' });
  });
});
