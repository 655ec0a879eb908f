import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../common/index.js';
import type { SystemEvents } from '../sut/index.js';
import { OrderSampler } from './order-sampler.js';
import { recoveryWindow, watchRecovery, type RecoveryWatchOptions } from './recovery-watch.js';

describe('recoveryWindow', () => {
  it('is a second of three outcomes for a busy system', () => {
    expect(recoveryWindow(3_000, 3_000)).toEqual({ windowMs: 1_000, minOutcomes: 3 });
  });

  it('holds three of a slow system’s orders', () => {
    // Five orders in 3 s: one every 600 ms, three take 1.8 s.
    expect(recoveryWindow(5, 3_000)).toEqual({ windowMs: 1_800, minOutcomes: 3 });
  });

  it('is at most 10 s, holding what a slower system’s pace puts in it, at least one', () => {
    expect(recoveryWindow(2, 10_000)).toEqual({ windowMs: 10_000, minOutcomes: 2 });
    expect(recoveryWindow(1, 30_000)).toEqual({ windowMs: 10_000, minOutcomes: 1 });
  });

  it('is a second of three when the baseline had nothing', () => {
    expect(recoveryWindow(0, 3_000)).toEqual({ windowMs: 1_000, minOutcomes: 3 });
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
      window: { windowMs: 1_000, minOutcomes: 3 },
      componentHealthy: () => Promise.resolve(undefined),
      firstSignOfLife: () => undefined,
      running: () => true,
      timeoutMs: 3_000,
      signal: AbortSignal.timeout(10_000),
      healedAt,
      ...over,
    };
    const order = () => events.emit('outcome', { kind: 'order', latencyMs: 1 });
    const failure = () => events.emit('outcome', { kind: 'failure' });
    const firstOrderAt = () => sampler.successRate(1_000).firstOrderAt!;
    return { options, order, failure, healedAt, firstOrderAt };
  };

  it('without a health view of its own, at the first order the venue accepted once steady state confirms it', async () => {
    const { options, order, firstOrderAt } = setup();
    const watching = watchRecovery(options);
    await sleep(20); // an order in the heal's own millisecond is before the window
    order();
    const first = firstOrderAt();
    await sleep(250);
    order();
    order();
    expect(await watching).toBe(first);
  });

  it('with a health view, when orders and health both hold', async () => {
    let healthy = false;
    const { options, order, firstOrderAt } = setup({
      componentHealthy: () => Promise.resolve(healthy),
    });
    const watching = watchRecovery(options);
    await sleep(20);
    order();
    order();
    order();
    await sleep(250);
    healthy = true;
    const at = await watching;
    expect(at).toBeGreaterThan(firstOrderAt() + 200);
  });

  it('a lone order before a relapse is not the recovery: the window that confirms it says when', async () => {
    const { options, order, failure, healedAt } = setup({
      window: { windowMs: 300, minOutcomes: 3 },
    });
    const watching = watchRecovery(options);
    await sleep(20);
    order();
    for (let i = 0; i < 5; i += 1) failure();
    await sleep(400);
    const back = Date.now();
    order();
    order();
    order();
    const at = (await watching)!;
    expect(at).toBeGreaterThanOrEqual(back);
    expect(at - healedAt).toBeGreaterThanOrEqual(400);
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
