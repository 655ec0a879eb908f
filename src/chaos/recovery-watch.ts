import { sleep } from '../common/index.js';
import type { FailureView } from '../watchdog/index.js';
import type { OrderSampler } from './order-sampler.js';

/** How often recovery is checked: fine enough to time a sub-second recovery. */
const CHECK_EVERY_MS = 100;

export interface RecoveryWatchOptions {
  sampler: OrderSampler;
  /** The baseline's order success, percent; null when the baseline had no outcomes. */
  baselinePercent: number | null;
  tolerancePercent: number;
  /** The engine's `GET /watchdog/status`. */
  watchdogStatusUrl: string;
  /** The component the fault hit, as the watchdog names it. */
  component: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** When the faults were removed: outcomes before it say nothing about recovery. */
  healedAt: number;
}

/** Outcomes the last second must hold before its success rate means anything. */
const MIN_OUTCOMES = 3;

/**
 * Waits for steady state after the faults are removed (SPEC §1): order
 * success over the last second (since the heal, at first) back within
 * tolerance of the baseline, with orders flowing, and the watchdog holding
 * no open failure of the component.
 * Resolves with when both first held, or undefined at the timeout.
 */
export async function watchRecovery(options: RecoveryWatchOptions): Promise<number | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  const floor = (options.baselinePercent ?? 100) - options.tolerancePercent;
  while (Date.now() < deadline && !options.signal.aborted) {
    const windowMs = Math.min(1_000, Date.now() - options.healedAt);
    const success = options.sampler.successRate(windowMs);
    const ordersBack =
      success.outcomes >= MIN_OUTCOMES && success.percent !== null && success.percent >= floor;
    if (ordersBack && (await componentHealthy(options))) return Date.now();
    await sleep(CHECK_EVERY_MS, options.signal);
  }
  options.signal.throwIfAborted();
  return undefined;
}

async function componentHealthy(options: RecoveryWatchOptions): Promise<boolean> {
  try {
    const response = await fetch(options.watchdogStatusUrl, {
      signal: AbortSignal.timeout(1_000),
    });
    if (!response.ok) return false;
    const status = (await response.json()) as { openFailures?: FailureView[] };
    if (!Array.isArray(status.openFailures)) return false;
    return !status.openFailures.some((open) => open.componentId === options.component);
  } catch {
    // An engine that cannot answer its status is not yet back.
    return false;
  }
}
