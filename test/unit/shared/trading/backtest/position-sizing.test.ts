import {
  affordableQuantity, commissionFor, floorDiv, lotsToQuantity, roundDownToLot,
} from '../../../../../shared/trading/backtest/position-sizing.js';

describe('floorDiv', () => {
  it('floors the exact quotient like Python’s //, not the rounded one', () => {
    // 0.1 is slightly above 1/10, so the exact quotient 1 / 0.1 is just below 10 (Python: 1 // 0.1 == 9.0).
    expect(1 / 0.1).toBe(10);
    expect(floorDiv(1, 0.1)).toBe(9);
    expect(floorDiv(999.9, 10)).toBe(99);
    expect(floorDiv(20, 5)).toBe(4);
    expect(floorDiv(-7, 2)).toBe(-4);
  });
});

describe('lotsToQuantity', () => {
  it('gives the correctly rounded decimal for decimal lot steps', () => {
    expect(7 * 0.1).not.toBe(0.7);
    expect(lotsToQuantity(7, 0.1)).toBe(0.7);
    expect(lotsToQuantity(33333, 0.01)).toBe(333.33);
    expect(lotsToQuantity(3, 25)).toBe(75);
  });
});

describe('roundDownToLot', () => {
  it('rounds down to a multiple of the step, never up', () => {
    expect(roundDownToLot(12.7, 1)).toBe(12);
    expect(roundDownToLot(0.0199, 0.01)).toBe(0.01);
    expect(roundDownToLot(0.3, 0.1)).toBe(0.3);
    expect(roundDownToLot(99, 10)).toBe(90);
    expect(roundDownToLot(0.5, 1)).toBe(0);
    expect(roundDownToLot(-3, 1)).toBe(0);
  });
});

describe('affordableQuantity', () => {
  it('buys the largest lot count whose cost with commission fits the budget', () => {
    // 10 × 1.01 = 10.1 a unit: 1000 / 10.1 = 99.0099.
    expect(affordableQuantity(1000, 10, 0.01, 0, 1)).toBe(99);
    // The fixed fee comes out of the budget first: 995 / 10.
    expect(affordableQuantity(1000, 10, 0, 5, 1)).toBe(99);
    expect(affordableQuantity(1000, 3, 0, 0, 0.01)).toBe(333.33);
  });

  it('buys nothing when not even one lot fits', () => {
    expect(affordableQuantity(9, 10, 0, 0, 1)).toBe(0);
    expect(affordableQuantity(5, 10, 0, 5, 0.001)).toBe(0);
  });

  it('stays bounded for absurd magnitudes', () => {
    const quantity = affordableQuantity(1e25, 1e-3, 0, 0, 1);
    expect(quantity).toBeGreaterThan(0);
    expect(quantity * 1e-3).toBeLessThanOrEqual(1e25);
  });
});

describe('commissionFor', () => {
  it('adds the fixed part to the rate on notional', () => {
    expect(commissionFor(10, 50, 0.001, 1)).toBeCloseTo(1.5, 12);
  });
});
