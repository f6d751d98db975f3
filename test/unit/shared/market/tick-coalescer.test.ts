import { TickCoalescer } from '../../../../shared/market/tick-coalescer';

const t = (timestampMs: number, price: number, amount = 1) => ({ timestampMs, price, amount });

describe('TickCoalescer', () => {
  it('lets the first trade of a quiet market go out at once', () => {
    const c = new TickCoalescer(10);
    expect(c.offer('m', t(1, 100), 1_000)).toBeLessThanOrEqual(1_000);
    expect(c.takeDue(1_000)).toEqual([{ market: 'm', timeMs: 1, price: 100, high: 100, low: 100, volume: 1, trades: 1, receivedMs: 1_000 }]);
  });

  it('coalesces the trades of one interval into one tick with the latest price and their range, volume and count', () => {
    const c = new TickCoalescer(10);
    c.offer('m', t(1, 100), 1_000);
    c.takeDue(1_000);
    expect(c.offer('m', t(2, 105, 2), 1_010)).toBe(1_100);
    c.offer('m', t(3, 98, 3), 1_020);
    c.offer('m', t(4, 101, 4), 1_050);
    expect(c.takeDue(1_099)).toEqual([]);
    expect(c.nextDueMs()).toBe(1_100);
    expect(c.takeDue(1_100)).toEqual([{ market: 'm', timeMs: 4, price: 101, high: 105, low: 98, volume: 9, trades: 3, receivedMs: 1_050 }]);
    expect(c.nextDueMs()).toBeUndefined();
  });

  it('never sends more than maxPerSecond ticks per market', () => {
    const c = new TickCoalescer(10);
    const sentAt: number[] = [];
    for (let now = 0; now < 1_000; now += 1) {
      c.offer('m', t(now, 100 + (now % 7)), now);
      if (c.takeDue(now).length > 0) sentAt.push(now);
    }
    expect(sentAt).toHaveLength(10);
    expect(sentAt.slice(1).map((s, i) => s - sentAt[i]!)).toEqual(Array(9).fill(100));
  });

  it('keeps the newest print as the price when a batch arrives out of order', () => {
    const c = new TickCoalescer(10);
    c.offer('m', t(50, 101), 0);
    c.offer('m', t(40, 99), 0);
    expect(c.takeDue(0)[0]).toMatchObject({ timeMs: 50, price: 101, low: 99, trades: 2 });
  });

  it('keeps markets apart, holds busy markets back and respects the limit', () => {
    const c = new TickCoalescer(10);
    c.offer('a', t(1, 1), 0);
    c.offer('b', t(1, 2), 0);
    c.offer('c', t(1, 3), 0);
    expect(c.takeDue(0, 1).map((x) => x.market)).toEqual(['a']);
    expect(c.takeDue(0, Infinity, (m) => m === 'b').map((x) => x.market)).toEqual(['c']);
    expect(c.pendingCount).toBe(1);
    c.remove('b');
    expect(c.pendingCount).toBe(0);
  });

  it('refuses a non-positive rate', () => {
    expect(() => new TickCoalescer(0)).toThrow(RangeError);
  });
});
