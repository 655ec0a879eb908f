import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withLinkedSignal } from './linked-signal.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('withLinkedSignal', () => {
  it('aborts when a parent aborts, with its reason', async () => {
    const parent = new AbortController();
    const seen = withLinkedSignal([parent.signal], undefined, (signal) => {
      parent.abort('stop');
      return Promise.resolve(signal.reason as unknown);
    });
    await expect(seen).resolves.toBe('stop');
  });

  it('aborts after the timeout with a TimeoutError', async () => {
    const seen = withLinkedSignal(
      [],
      100,
      (signal) =>
        new Promise<string>((resolve) =>
          signal.addEventListener('abort', () => resolve((signal.reason as Error).name)),
        ),
    );
    await vi.advanceTimersByTimeAsync(100);
    await expect(seen).resolves.toBe('TimeoutError');
  });

  it('starts aborted when a parent already is', async () => {
    const parent = AbortSignal.abort('gone');
    await expect(withLinkedSignal([parent], 1000, (s) => Promise.resolve(s.aborted))).resolves.toBe(
      true,
    );
  });

  it('detaches from long-lived parents and clears its timer when done', async () => {
    const parent = new AbortController();
    const removeSpy = vi.spyOn(parent.signal, 'removeEventListener');
    for (let i = 0; i < 100; i += 1)
      await withLinkedSignal([parent.signal], 1000, () => Promise.resolve());
    expect(removeSpy).toHaveBeenCalledTimes(100);
    expect(vi.getTimerCount()).toBe(0);
    await expect(
      withLinkedSignal([parent.signal], 1000, () => Promise.reject(new Error('x'))),
    ).rejects.toThrow('x');
    expect(removeSpy).toHaveBeenCalledTimes(101);
  });
});
