import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildStrategies } from './factory.js';
import { BTC_RULES, DOGE_RULES } from '../../../tests/support/fake-strategy-context.js';
import { StrategyRunner, type StrategyRunnerOptions } from './runner.js';
import type { Strategy, StrategyAction, StrategyContext } from './strategy.js';

const CANCEL: StrategyAction = { kind: 'cancel', clientOrderId: 'x-1' };

/** A strategy that records its contexts and returns what `decide` says. */
function scripted(
  id: string,
  intervalMs: number,
  decide: (context: StrategyContext) => StrategyAction[] = () => [CANCEL],
): Strategy & { contexts: StrategyContext[] } {
  const contexts: StrategyContext[] = [];
  return {
    id,
    kind: 'scripted',
    symbols: ['BTC/USDT'],
    intervalMs,
    contexts,
    decide(context) {
      contexts.push(context);
      return decide(context);
    },
  };
}

function runner(
  strategies: Strategy[],
  overrides: Partial<StrategyRunnerOptions> = {},
): StrategyRunner {
  return new StrategyRunner({
    strategies,
    book: (symbol) => ({ symbol, bid: 1, ask: 2, at: 0 }),
    rules: () => BTC_RULES,
    openOrders: () => [],
    position: (strategyId, symbol) => (strategyId === 'a' && symbol === 'BTC/USDT' ? 0.5 : 0),
    inFlight: () => 3,
    submit: () => Promise.resolve(),
    ...overrides,
  });
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('StrategyRunner', () => {
  it('runs each strategy at its own interval, starting within its first interval', async () => {
    const fast = scripted('a', 100);
    const slow = scripted('b', 1000);
    const instance = runner([fast, slow]);
    instance.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(fast.contexts.length).toBeGreaterThanOrEqual(19);
    expect(fast.contexts.length).toBeLessThanOrEqual(21);
    const slowTicks = slow.contexts.length;
    expect([2, 3]).toContain(slowTicks);
    await instance.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(slow.contexts.length).toBe(slowTicks);
    expect(instance.isRunning).toBe(false);
  });

  it('spreads the start of many loops with a seeded offset', async () => {
    const firstTickAt = (seed: number): number[] => {
      const strategies = Array.from({ length: 50 }, (_, i) => scripted(`s${i}`, 1000));
      const instance = runner(strategies, { seed, now: () => Date.now() });
      const at: number[] = [];
      instance.on('tick', (event) => at.push(event.at));
      instance.start();
      vi.advanceTimersByTime(999);
      void instance.stop();
      return at;
    };
    const at = firstTickAt(7);
    expect(at).toHaveLength(50);
    expect(new Set(at).size).toBeGreaterThan(40);
    expect(firstTickAt(7)).toEqual(at.map((t) => t + 999));
  });

  it('builds the context from the engine callbacks for that strategy', async () => {
    const strategy = scripted('a', 100, () => []);
    const instance = runner([strategy], { now: () => 1234 });
    instance.start();
    await vi.advanceTimersByTimeAsync(100);
    const [context] = strategy.contexts;
    expect(context?.now).toBe(1234);
    expect(context?.position('BTC/USDT')).toBe(0.5);
    expect(context?.book('BTC/USDT')).toMatchObject({ bid: 1, ask: 2 });
    expect(context?.rules('BTC/USDT')).toBe(BTC_RULES);
    expect(context?.inFlight()).toBe(3);
    expect(context?.openOrders()).toEqual([]);
    await instance.stop();
  });

  it('submits without awaiting and skips ticks while too much is in flight', async () => {
    const submitted: StrategyAction[] = [];
    const strategy = scripted('a', 100);
    const instance = runner([strategy], {
      maxInFlightPerStrategy: 2,
      // Never settles: every action stays in flight.
      submit: (action) => {
        submitted.push(action);
        return new Promise(() => undefined);
      },
    });
    instance.start();
    await vi.advanceTimersByTimeAsync(1000);
    await instance.stop();
    // Three ticks take the count to 3 (> 2); every later tick is skipped.
    expect(submitted).toHaveLength(3);
    const stats = instance.stats()['a'];
    expect(stats).toMatchObject({ places: 0, cancels: 3, inFlight: 3 });
    expect(stats?.skipped).toBe((stats?.ticks ?? 0) - 3);
  });

  it('counts and reports a throwing decide() and keeps looping', async () => {
    let calls = 0;
    const strategy = scripted('a', 100, () => {
      calls += 1;
      if (calls % 2 === 1) throw new Error('boom');
      return [];
    });
    const instance = runner([strategy]);
    const errors: unknown[] = [];
    instance.on('error', (event) => errors.push(event));
    instance.start();
    await vi.advanceTimersByTimeAsync(1000);
    await instance.stop();
    expect(calls).toBe(10);
    expect(errors).toHaveLength(5);
    expect(errors[0]).toMatchObject({ strategyId: 'a', phase: 'decide' });
    expect(instance.stats()['a']?.decideErrors).toBe(5);
  });

  it('survives errors with no listener, and counts rejected submissions', async () => {
    let calls = 0;
    const strategy = scripted('a', 100, () => {
      calls += 1;
      if (calls % 2 === 0) throw new Error('no listener');
      return [CANCEL];
    });
    const instance = runner([strategy], {
      submit: () => Promise.reject(new Error('executor down')),
    });
    instance.start();
    await vi.advanceTimersByTimeAsync(1000);
    await instance.stop();
    const stats = instance.stats()['a'];
    expect(stats?.decideErrors).toBeGreaterThan(0);
    expect(stats?.submitErrors).toBeGreaterThan(0);
    expect(stats?.inFlight).toBe(0);
  });

  it('stops on abort and does not start on an aborted signal', async () => {
    const controller = new AbortController();
    const strategy = scripted('a', 100, () => []);
    const instance = runner([strategy], { signal: controller.signal });
    instance.start();
    await vi.advanceTimersByTimeAsync(300);
    controller.abort();
    const ticks = strategy.contexts.length;
    await vi.advanceTimersByTimeAsync(1000);
    expect(strategy.contexts.length).toBe(ticks);
    instance.start();
    expect(instance.isRunning).toBe(false);
  });

  it('refuses duplicate strategy ids', () => {
    expect(() => runner([scripted('a', 100), scripted('a', 100)])).toThrow(/duplicate/);
  });

  it('drives 60 built-in strategies whose client order ids fit the venue pattern', async () => {
    const strategies = buildStrategies({
      count: 60,
      symbols: ['BTC/USDT', 'DOGE/USDT'],
      seed: 11,
      intervalMs: 200,
    });
    const rules = new Map([BTC_RULES, DOGE_RULES].map((rule) => [rule.symbol, rule]));
    const mids: Record<string, number> = { 'BTC/USDT': 65000, 'DOGE/USDT': 0.12 };
    let step = 0;
    const sequences = new Map<string, number>();
    const clientOrderIds: string[] = [];
    const instance = runner(strategies, {
      book: (symbol) => {
        const mid = (mids[symbol] ?? 1) * (1 + 0.003 * Math.sin(step / 40));
        return { symbol, bid: mid * 0.9999, ask: mid * 1.0001, at: 0 };
      },
      rules: (symbol) => rules.get(symbol),
      position: () => 0,
      inFlight: () => 0,
      submit: async (action, strategy) => {
        step += 1;
        if (action.kind !== 'place') return;
        const seq = (sequences.get(strategy.id) ?? 0) + 1;
        sequences.set(strategy.id, seq);
        clientOrderIds.push(`${strategy.id}-${seq}`);
      },
    });
    instance.start();
    await vi.advanceTimersByTimeAsync(10_000);
    await instance.stop();
    const stats = Object.values(instance.stats());
    expect(stats).toHaveLength(60);
    expect(stats.every((counters) => counters.ticks >= 49)).toBe(true);
    expect(stats.reduce((sum, counters) => sum + counters.decideErrors, 0)).toBe(0);
    expect(new Set(strategies.map((s) => s.kind)).size).toBe(3);
    expect(clientOrderIds.length).toBeGreaterThan(100);
    for (const id of clientOrderIds) expect(id).toMatch(/^[.A-Z:/a-z0-9_-]{1,36}$/);
  });
});
