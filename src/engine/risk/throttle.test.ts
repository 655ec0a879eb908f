import { describe, expect, it } from 'vitest';
import { OrderRateThrottle } from './throttle.js';

function clock(start = 1_000_000) {
  const state = { now: start };
  return { now: () => state.now, advance: (ms: number) => (state.now += ms) };
}

/** Admits `perSecond` orders spread over each of `seconds` seconds. */
function steadyLoad(
  throttle: OrderRateThrottle,
  time: ReturnType<typeof clock>,
  perSecond: number,
  seconds: number,
) {
  let admitted = 0;
  for (let s = 0; s < seconds; s += 1) {
    for (let i = 0; i < perSecond; i += 1) {
      if (throttle.admit()) admitted += 1;
      time.advance(1000 / perSecond);
    }
  }
  return admitted;
}

describe('OrderRateThrottle', () => {
  it('admits everything and measures the recent rate while not throttled', () => {
    const time = clock();
    const throttle = new OrderRateThrottle(time.now);
    expect(steadyLoad(throttle, time, 40, 12)).toBe(480);
    expect(throttle.recentRate()).toBeCloseTo(40, 0);
    expect(throttle.active).toBeUndefined();
  });

  it('holds new orders to the given share of the recent rate until it lifts', () => {
    const time = clock();
    const throttle = new OrderRateThrottle(time.now);
    steadyLoad(throttle, time, 40, 10);
    const state = throttle.throttle(0.5, 5_000);
    expect(state.perSecond).toBe(20);
    expect(state.until).toBe(time.now() + 5_000);
    // Offered 40/s for 5 s: about 20/s get through.
    const admitted = steadyLoad(throttle, time, 40, 5);
    expect(admitted).toBeGreaterThanOrEqual(95);
    expect(admitted).toBeLessThanOrEqual(105);
    expect(throttle.active).toBeUndefined();
    expect(steadyLoad(throttle, time, 40, 1)).toBe(40);
  });

  it('never throttles below one order a second, even from a standstill', () => {
    const time = clock();
    const throttle = new OrderRateThrottle(time.now);
    expect(throttle.throttle(0.5, 3_000).perSecond).toBe(1);
    expect(steadyLoad(throttle, time, 10, 3)).toBeLessThanOrEqual(4);
  });

  it('forgets seconds older than its window', () => {
    const time = clock();
    const throttle = new OrderRateThrottle(time.now);
    steadyLoad(throttle, time, 50, 3);
    time.advance(30_000);
    expect(throttle.recentRate()).toBe(0);
  });

  it('lift() ends the throttle at once', () => {
    const time = clock();
    const throttle = new OrderRateThrottle(time.now);
    throttle.throttle(0.5, 60_000);
    throttle.lift();
    expect(throttle.active).toBeUndefined();
    expect(steadyLoad(throttle, time, 10, 1)).toBe(10);
  });
});
