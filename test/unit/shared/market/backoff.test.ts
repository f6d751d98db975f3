import { backoffDelayMs } from '../../../../shared/market/backoff';

describe('backoffDelayMs', () => {
  const policy = { baseMs: 100, maxMs: 5_000 };

  it('draws a full-jitter delay below an exponentially growing cap', () => {
    expect(backoffDelayMs(policy, 0, () => 0.999)).toBe(99);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(400);
    expect(backoffDelayMs(policy, 20, () => 0.999)).toBe(4_995);
  });

  it('never returns less than a quarter of the base delay', () => {
    expect(backoffDelayMs(policy, 0, () => 0)).toBe(25);
  });
});
