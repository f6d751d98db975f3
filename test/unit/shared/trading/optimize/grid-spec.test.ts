import {
  MAX_GRID_COMBINATIONS,
  OPTIMIZE_INVALID_GRID,
  coerceParamValue,
  expandGrid,
  parseGridAxes,
  parseGridAxis,
  rangeValues,
} from '../../../../../shared/trading/optimize/grid-spec.js';

function axisValues(spec: string): unknown[] {
  const axis = parseGridAxis(spec);
  if (!axis.ok) throw new Error(axis.error.message);
  return [...axis.value.values];
}

function axisError(spec: string): string {
  const axis = parseGridAxis(spec);
  if (axis.ok) throw new Error(`expected ${spec} to be refused`);
  expect(axis.error.code).toBe(OPTIMIZE_INVALID_GRID);
  return axis.error.message;
}

describe('parseGridAxis', () => {
  it('expands an inclusive start:end:step range', () => {
    expect(axisValues('fast=5:50:5')).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
  });

  it('stops below end when the step does not land on it, and defaults the step to 1', () => {
    expect(axisValues('slow=20:45:10')).toEqual([20, 30, 40]);
    expect(axisValues('n=3:6')).toEqual([3, 4, 5, 6]);
  });

  it('gives decimal steps their exact decimal values', () => {
    expect(axisValues('k=0.1:0.7:0.1')).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(axisValues('k=1:2:0.25')).toEqual([1, 1.25, 1.5, 1.75, 2]);
  });

  it('accepts lists of numbers, booleans and words', () => {
    expect(axisValues('allowShort=true,false')).toEqual([true, false]);
    expect(axisValues('mode= a , b')).toEqual(['a', 'b']);
    expect(axisValues('x=1,2.5,-3')).toEqual([1, 2.5, -3]);
  });

  it.each([
    ['fast', 'expected name=start:end:step'],
    ['=1:2', 'is not a parameter name'],
    ['fast=', 'no values'],
    ['fast=5:x:1', 'a range is start:end or start:end:step with numbers'],
    ['fast=1:2:3:4', 'a range is start:end'],
    ['fast=5:10:0', 'step must be positive'],
    ['fast=5:10:-1', 'step must be positive'],
    ['fast=10:5:1', 'end must not be below start'],
    ['fast=1,,2', 'empty value in list'],
    ['fast=1,2,1', 'duplicate value in list'],
    ['fast=0:1e9:1', `more than ${MAX_GRID_COMBINATIONS} values`],
  ])('refuses %p', (spec, reason) => {
    const message = axisError(spec);
    expect(message.startsWith(`--grid ${spec}: `)).toBe(true);
    expect(message).toContain(reason);
  });
});

describe('parseGridAxes', () => {
  it('refuses the same parameter twice', () => {
    const axes = parseGridAxes(['fast=1:3', 'fast=4:5']);
    expect(axes.ok ? '' : axes.error.message).toBe('--grid fast=4:5: parameter "fast" appears twice');
  });

  it('refuses grids above the combination limit', () => {
    const axes = parseGridAxes(['a=1:2000', 'b=1:2000']);
    expect(axes.ok ? '' : axes.error.message).toBe(`the grid has 4000000 combinations; the limit is ${MAX_GRID_COMBINATIONS}`);
  });
});

describe('expandGrid', () => {
  it('yields every combination with the first axis varying slowest', () => {
    expect(
      expandGrid([
        { name: 'fast', values: [5, 10] },
        { name: 'slow', values: [20, 30, 40] },
      ]),
    ).toEqual([
      { fast: 5, slow: 20 },
      { fast: 5, slow: 30 },
      { fast: 5, slow: 40 },
      { fast: 10, slow: 20 },
      { fast: 10, slow: 30 },
      { fast: 10, slow: 40 },
    ]);
  });

  it('yields one empty combination for no axes', () => {
    expect(expandGrid([])).toEqual([{}]);
  });
});

describe('coerceParamValue', () => {
  it('types numbers and booleans and keeps other text', () => {
    expect([coerceParamValue('10'), coerceParamValue('1e-3'), coerceParamValue('true'), coerceParamValue('False'), coerceParamValue('0x1')]).toEqual([
      10, 0.001, true, 'False', '0x1',
    ]);
  });
});

describe('rangeValues', () => {
  it('includes the end despite binary rounding of the quotient', () => {
    expect(rangeValues(0, 0.3, 0.1)).toEqual([0, 0.1, 0.2, 0.3]);
  });
});
