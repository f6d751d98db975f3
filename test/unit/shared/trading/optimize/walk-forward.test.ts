import {
  OPTIMIZE_INVALID_WALK_FORWARD,
  parseWalkForwardSpec,
  testRangeWithWarmup,
  walkForwardWindows,
} from '../../../../../shared/trading/optimize/walk-forward.js';

describe('parseWalkForwardSpec', () => {
  it('reads train and test bar counts in either order', () => {
    expect(parseWalkForwardSpec('train=500,test=100')).toEqual({ ok: true, value: { train: 500, test: 100 } });
    expect(parseWalkForwardSpec(' test = 20 , train=80')).toEqual({ ok: true, value: { train: 80, test: 20 } });
  });

  it.each([
    ['train=500', 'both train and test are required'],
    ['train=500,test=0', 'at least 1 bar'],
    ['train=5.5,test=1', 'whole numbers of bars'],
    ['train=5,test=1,test=2', 'test given twice'],
    ['days=5,test=1', 'expected train=N,test=M'],
  ])('refuses %p', (text, reason) => {
    const spec = parseWalkForwardSpec(text);
    expect(spec.ok).toBe(false);
    if (!spec.ok) {
      expect(spec.error.code).toBe(OPTIMIZE_INVALID_WALK_FORWARD);
      expect(spec.error.message).toContain(`--walk-forward ${text}: `);
      expect(spec.error.message).toContain(reason);
    }
  });
});

describe('walkForwardWindows', () => {
  it('rolls by the test length and ends at the last bar', () => {
    const windows = walkForwardWindows(23, { train: 10, test: 5 });
    expect(windows).toEqual({
      ok: true,
      value: [
        { index: 0, trainStart: 3, trainEnd: 13, testStart: 13, testEnd: 18 },
        { index: 1, trainStart: 8, trainEnd: 18, testStart: 18, testEnd: 23 },
      ],
    });
  });

  it('uses every bar when the length fits exactly', () => {
    const windows = walkForwardWindows(20, { train: 10, test: 5 });
    expect(windows.ok && windows.value.map((w) => [w.trainStart, w.testEnd])).toEqual([
      [0, 15],
      [5, 20],
    ]);
  });

  it('refuses a series shorter than one train + test', () => {
    const windows = walkForwardWindows(14, { train: 10, test: 5 });
    expect(windows.ok ? '' : windows.error.message).toBe('walk-forward needs at least train + test = 15 bars; the series has 14');
  });
});

describe('testRangeWithWarmup', () => {
  const window = { index: 0, trainStart: 0, trainEnd: 100, testStart: 100, testEnd: 150 };

  it('prepends the warmup bars from before the test window', () => {
    expect(testRangeWithWarmup(window, 30)).toEqual({ start: 70, end: 150 });
  });

  it('never starts before the first bar', () => {
    expect(testRangeWithWarmup(window, 500)).toEqual({ start: 0, end: 150 });
  });
});
