import { afterAll, beforeAll } from 'vitest';
import { sleep } from '../../src/common/index.js';
import type { EngineSummary } from '../../src/engine/index.js';
import type { OrderEventKind } from '../../src/journal/index.js';
import {
  createStack,
  type InvariantReport,
  type Stack,
  type StackOptions,
} from '../../src/stack/index.js';

/**
 * Timings shrunk so a fault and its recovery fit in a few seconds of test:
 * short request timeout, order deadline and recvWindow, fast strategy loops.
 * Every rule the engine follows is the production rule, only sooner.
 */
export const FAST_ENGINE: NonNullable<StackOptions['engine']> = {
  strategyIntervalMs: 100,
  requestTimeoutMs: 800,
  reconcileIntervalMs: 1_000,
  drainTimeoutMs: 15_000,
  exchange: { recvWindowMs: 1_500 },
  executor: { orderDeadlineMs: 3_000, clockMarginMs: 300, resolveDeadlineMs: 10_000 },
};

export function fastStack(options: StackOptions = {}): Promise<Stack> {
  return createStack({
    strategies: 12,
    ...options,
    engine: { ...FAST_ENGINE, ...options.engine },
  });
}

/** What every fault test ends with: no order lost, doubled, stuck, or told differently. */
export const INVARIANTS_HOLD = { duplicated: 0, lost: 0, unresolved: 0, mismatched: 0, ok: true };

/**
 * One fast stack for a describe block: built before its tests (then `ready`
 * runs, to attach listeners before trading gets far), closed after them.
 */
export function stackForSuite(
  options: StackOptions,
  ready: (stack: Stack) => void = () => {},
): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await fastStack(options);
    ready(stack);
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  }, 30_000);
  return () => {
    if (!stack) throw new Error('the stack did not start');
    return stack;
  };
}

/** Stops the engine (drain, cancel, reconcile) and judges its journal against the exchange. */
export async function stopAndJudge(
  stack: Stack,
): Promise<{ summary: EngineSummary; invariants: InvariantReport }> {
  const summary = await stack.engine.stop();
  return { summary, invariants: await stack.invariants() };
}

/** Counts the journal entry kinds an in-process engine makes, e.g. how many orders went UNKNOWN. */
export function countOrderEvents(stack: Stack): Map<OrderEventKind, number> {
  const counts = new Map<OrderEventKind, number>();
  const executor = stack.engine.engine?.executor;
  if (!executor) throw new Error('countOrderEvents needs an in-process engine');
  executor.on('order', ({ kind }) => counts.set(kind, (counts.get(kind) ?? 0) + 1));
  return counts;
}

export function delay(ms: number): Promise<void> {
  return sleep(ms);
}

/** Waits until `predicate` holds, polling; fails after `timeoutMs`. */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > giveUpAt)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(50);
  }
}
