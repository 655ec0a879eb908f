import { BrokenCircuitError } from 'cockatiel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BreakerState } from '../../journal/index.js';
import { DependencyBreaker } from './dependency-breaker.js';

const START = 1_000_000;

class Outage extends Error {
  override readonly name = 'Outage';
}

const fail = () => Promise.reject(new Outage());
const ok = () => Promise.resolve('ok');

beforeEach(() => vi.useFakeTimers({ now: START }));
afterEach(() => vi.useRealTimers());

/** A breaker that opens after 3 outages and half-opens after 1 s; probe starts are logged relative to START. */
function setup(probeFailures = Number.POSITIVE_INFINITY) {
  const probes: number[] = [];
  const states: [BreakerState, number][] = [];
  const signals: AbortSignal[] = [];
  const breaker = new DependencyBreaker({
    consecutiveFailures: 3,
    halfOpenAfterMs: 1000,
    isFailure: (error) => error instanceof Outage,
    probe: async (signal) => {
      probes.push(Date.now() - START);
      signals.push(signal);
      if (probes.length <= probeFailures) throw new Outage();
    },
  });
  breaker.on('state', ({ state, at }) => states.push([state, at - START]));
  return { breaker, probes, states, signals };
}

async function failTimes(breaker: DependencyBreaker, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await expect(breaker.execute(fail)).rejects.toThrow(Outage);
}

describe('DependencyBreaker', () => {
  it('opens after N consecutive failures and then refuses without calling', async () => {
    const { breaker, states } = setup();
    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(states).toEqual([['open', 0]]);
    const fn = vi.fn(ok);
    await expect(breaker.execute(fn)).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(fn).not.toHaveBeenCalled();
    breaker.close();
  });

  it('lets errors isFailure rejects through without counting them, and a success resets the count', async () => {
    const { breaker } = setup();
    await failTimes(breaker, 2);
    await expect(breaker.execute(() => Promise.reject(new TypeError('bug')))).rejects.toThrow(
      TypeError,
    );
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    breaker.close();
  });

  it('probes once per halfOpenAfterMs while open and closes when a probe succeeds', async () => {
    const { breaker, probes, states } = setup(2);
    await failTimes(breaker, 3);
    await vi.advanceTimersByTimeAsync(999);
    expect(probes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(probes).toEqual([1000]);
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(2000);
    expect(probes).toEqual([1000, 2000, 3000]);
    expect(breaker.state).toBe('closed');
    expect(states).toEqual([
      ['open', 0],
      ['half-open', 1000],
      ['open', 1000],
      ['half-open', 2000],
      ['open', 2000],
      ['half-open', 3000],
      ['closed', 3000],
    ]);
    // Closed: the probe timer is gone and no more probes go out.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(probes).toHaveLength(3);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
  });

  it('stops probing and aborts a probe in flight on close()', async () => {
    const signals: AbortSignal[] = [];
    const breaker = new DependencyBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 1000,
      isFailure: (error) => error instanceof Outage,
      // A probe the venue never answers: only its signal ends it.
      probe: (signal) =>
        new Promise((_, reject) => {
          signals.push(signal);
          signal.addEventListener('abort', () => reject(new Outage()), { once: true });
        }),
    });
    await failTimes(breaker, 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(signals).toHaveLength(1);
    breaker.close();
    expect(signals[0]?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(signals).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not close on a half-open trial that never got an answer, only on one that did', async () => {
    class OwnAbort extends Error {
      override readonly name = 'OwnAbort';
    }
    class Refused extends Error {
      override readonly name = 'Refused';
    }
    const breaker = new DependencyBreaker({
      consecutiveFailures: 1,
      halfOpenAfterMs: 1000,
      isFailure: (error) => error instanceof Outage,
      isAnswer: (error) => error instanceof Refused,
      // A probe that never settles: only real calls try the half-open state here.
      probe: (signal) => new Promise((_, reject) => signal.addEventListener('abort', reject)),
    });
    await failTimes(breaker, 1);
    vi.setSystemTime(START + 1500);
    // Closed, our own abort passes through uncounted; half-open, it proves nothing.
    await expect(breaker.execute(() => Promise.reject(new OwnAbort()))).rejects.toThrow(OwnAbort);
    expect(breaker.state).toBe('open');
    vi.setSystemTime(START + 3000);
    await expect(breaker.execute(() => Promise.reject(new Refused()))).rejects.toThrow(Refused);
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(() => Promise.reject(new OwnAbort()))).rejects.toThrow(OwnAbort);
    expect(breaker.state).toBe('closed');
    breaker.close();
  });
});
