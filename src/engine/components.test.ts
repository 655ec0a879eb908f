import { describe, expect, it } from 'vitest';
import { componentAlive } from './components.js';
import type { StrategyRunner } from './strategies/index.js';

/** The three things componentAlive reads of a runner. */
function runner(isRunning: boolean, lastTickAt: number | undefined): StrategyRunner {
  return { isRunning, lastTickAt, longestIntervalMs: 2_000 } as StrategyRunner;
}

describe('componentAlive', () => {
  const at = 1_000_000;

  it('counts running strategies alive while some loop ticked within its longest interval and a beat', () => {
    expect(componentAlive('strategies', runner(true, at - 3_000), at, 1_000)).toBe(true);
    expect(componentAlive('strategies', runner(true, at - 3_001), at, 1_000)).toBe(false);
  });

  it('counts stopped strategies, and running ones before their first tick, alive', () => {
    expect(componentAlive('strategies', runner(false, at - 60_000), at, 1_000)).toBe(true);
    expect(componentAlive('strategies', runner(true, undefined), at, 1_000)).toBe(true);
  });

  it('counts components without a loop of their own alive whenever the engine beats', () => {
    for (const component of ['exchange', 'database', 'executor', 'reconciler'] as const)
      expect(componentAlive(component, runner(true, at - 60_000), at, 1_000)).toBe(true);
  });
});
