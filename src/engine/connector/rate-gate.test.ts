import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateGate } from './rate-gate.js';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

describe('RateGate', () => {
  it('is open until closed, then holds waiters until Retry-After has passed', async () => {
    const gate = new RateGate();
    await gate.wait();
    expect(gate.close(2000)).toBe(true);
    expect(gate.remainingMs()).toBe(2000);
    let passed = false;
    const waiting = gate.wait().then(() => (passed = true));
    await vi.advanceTimersByTimeAsync(1999);
    expect(passed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(passed).toBe(true);
    expect(gate.remainingMs()).toBe(0);
  });

  it('only ever extends the closure, and waiters honour an extension made while they sleep', async () => {
    const gate = new RateGate();
    gate.close(1000);
    expect(gate.close(500)).toBe(false);
    let passed = false;
    const waiting = gate.wait().then(() => (passed = true));
    await vi.advanceTimersByTimeAsync(800);
    expect(gate.close(1000)).toBe(true);
    await vi.advanceTimersByTimeAsync(900);
    expect(passed).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    await waiting;
    expect(passed).toBe(true);
  });

  it('rejects a waiter whose signal aborts, and one already aborted', async () => {
    const gate = new RateGate();
    gate.close(10_000);
    const controller = new AbortController();
    const waiting = gate.wait(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await expect(gate.wait(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });
});
