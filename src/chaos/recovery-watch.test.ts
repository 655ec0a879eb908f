import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../common/index.js';
import type { SystemEvents } from '../sut/index.js';
import { OrderSampler } from './order-sampler.js';
import { recoveryWindowMs, watchRecovery, type RecoveryWatchOptions } from './recovery-watch.js';

describe('recoveryWindowMs', () => {
  it('is a second for a busy system', () => {
    expect(recoveryWindowMs(3_000, 3_000)).toBe(1_000);
  });

  it('holds three of a slow system’s orders', () => {
    // Five orders in 3 s: one every 600 ms, three take 1.8 s.
    expect(recoveryWindowMs(5, 3_000)).toBe(1_800);
  });

  it('is at most 10 s, and a second when the baseline had nothing', () => {
    expect(recoveryWindowMs(1, 30_000)).toBe(10_000);
    expect(recoveryWindowMs(0, 3_000)).toBe(1_000);
  });
});

describe('watchRecovery: when recovery happened', () => {
  const setup = (over: Partial<RecoveryWatchOptions> = {}) => {
    const events = new EventEmitter<SystemEvents>();
    const sampler = new OrderSampler(events);
    sampler.phase = 'recovery';
    const healedAt = Date.now();
    const options: RecoveryWatchOptions = {
      sampler,
      baselinePercent: 100,
      tolerancePercent: 10,
      windowMs: 1_000,
      componentHealthy: () => Promise.resolve(undefined),
      firstSignOfLife: () => undefined,
      running: () => true,
      timeoutMs: 3_000,
      signal: AbortSignal.timeout(10_000),
      healedAt,
      ...over,
    };
    const order = () => events.emit('outcome', { kind: 'order', latencyMs: 1 });
    return { options, order, healedAt, sampler };
  };

  it('without a health view of its own, at the first order the venue accepted once steady state confirms it', async () => {
    const { options, order, sampler } = setup();
    const watching = watchRecovery(options);
    await sleep(20); // an order in the heal's own millisecond is before the window
    order();
    const first = sampler.firstRecoveryOrderAt!;
    await sleep(250);
    order();
    order();
    expect(await watching).toBe(first);
  });

  it('with a health view, when orders and health both hold', async () => {
    let healthy = false;
    const { options, order, sampler } = setup({ componentHealthy: () => Promise.resolve(healthy) });
    const watching = watchRecovery(options);
    await sleep(20);
    order();
    order();
    order();
    await sleep(250);
    healthy = true;
    const at = await watching;
    expect(at).toBeGreaterThan(sampler.firstRecoveryOrderAt! + 200);
  });

  it('a system with no baseline orders is back at its first authenticated request after the heal', async () => {
    let sign: number | undefined = undefined;
    const { options, healedAt } = setup({ baselinePercent: null, firstSignOfLife: () => sign });
    const watching = watchRecovery(options);
    await sleep(150);
    sign = healedAt + 120;
    expect(await watching).toBe(healedAt + 120);
  });

  it('gives up at once when the system has ended, and at the timeout otherwise', async () => {
    const { options } = setup({ running: () => false });
    expect(await watchRecovery(options)).toBeUndefined();
    const slow = setup({ timeoutMs: 300 });
    const started = Date.now();
    expect(await watchRecovery(slow.options)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});
