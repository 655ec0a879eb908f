import { sleep } from '../common/index.js';
import type { OrderSampler } from './order-sampler.js';

/** How often recovery is checked: fine enough to time a sub-second recovery. */
const CHECK_EVERY_MS = 100;

export interface RecoveryWatchOptions {
  sampler: OrderSampler;
  /** The baseline's order success, percent; null when the baseline had no outcomes. */
  baselinePercent: number | null;
  tolerancePercent: number;
  /**
   * Outcomes are judged over this sliding window, and it must hold this
   * many: a second and three for a busy system, more time or fewer
   * outcomes for one that trades slowly (see recoveryWindow).
   */
  window: RecoveryWindow;
  /** The system's own view of the faulted component: false while it holds an open failure; undefined when it has none. */
  componentHealthy: () => Promise<boolean | undefined>;
  /**
   * For a system that placed no order in the baseline: when the venue first
   * answered one of its authenticated requests after the heal, its recovery.
   */
  firstSignOfLife: () => number | undefined;
  /** False once the system has ended: a system that is gone cannot recover, so the watch stops. */
  running: () => boolean;
  timeoutMs: number;
  signal: AbortSignal;
  /** When the faults were removed: outcomes before it say nothing about recovery. */
  healedAt: number;
}

/** Outcomes the window must hold before its success rate means anything, for a busy system. */
const MIN_OUTCOMES = 3;
const MAX_WINDOW_MS = 10_000;

/** The sliding window recovery is judged over, ms, and the outcomes it must hold. */
export interface RecoveryWindow {
  windowMs: number;
  minOutcomes: number;
}

/**
 * The window a system's recovery is judged over: a second holding three
 * outcomes; for a system that trades slower, long enough to hold three of
 * its baseline orders (at most 10 s), and for one slower still, as many as
 * its baseline pace puts in 10 s (at least one): a bot that trades every
 * 20 s is back at its first accepted order.
 */
export function recoveryWindow(baselineOutcomes: number, baselineMs: number): RecoveryWindow {
  if (baselineOutcomes <= 0 || baselineMs <= 0)
    return { windowMs: 1_000, minOutcomes: MIN_OUTCOMES };
  const perOutcomeMs = baselineMs / baselineOutcomes;
  const windowMs = Math.round(
    Math.min(MAX_WINDOW_MS, Math.max(1_000, perOutcomeMs * MIN_OUTCOMES)),
  );
  const fits = Math.floor(windowMs / perOutcomeMs);
  return { windowMs, minOutcomes: Math.max(1, Math.min(MIN_OUTCOMES, fits)) };
}

/**
 * Waits for steady state after the faults are removed (SPEC §1): order
 * success over the window (since the heal, at first) back within tolerance
 * of the baseline, with orders flowing, and the system (when it has a view
 * of its own) holding no open failure of the component. A system with no
 * baseline orders is back at its first authenticated request after the heal.
 *
 * Resolves with the recovery's time, or undefined at the timeout or once the
 * system has ended. With a health view of its own, recovery is when both
 * held (SPEC); without one, the venue's view decides: the first order it
 * accepted in the window that confirmed steady state (or that first
 * request).
 */
export async function watchRecovery(options: RecoveryWatchOptions): Promise<number | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  const floor = (options.baselinePercent ?? 100) - options.tolerancePercent;
  while (Date.now() < deadline && !options.signal.aborted && options.running()) {
    const venueSaysBackAt = backAt(options, floor);
    if (venueSaysBackAt !== undefined) {
      const healthy = await options.componentHealthy();
      if (healthy === true) return Date.now();
      if (healthy === undefined) return venueSaysBackAt;
    }
    await sleep(CHECK_EVERY_MS, options.signal);
  }
  options.signal.throwIfAborted();
  return undefined;
}

/** When the venue's view first showed the system back, once it holds now; undefined while it does not. */
function backAt(options: RecoveryWatchOptions, floor: number): number | undefined {
  if (options.baselinePercent === null) {
    const alive = options.firstSignOfLife();
    return alive !== undefined && alive >= options.healedAt ? alive : undefined;
  }
  const windowMs = Math.min(options.window.windowMs, Date.now() - options.healedAt);
  const success = options.sampler.successRate(windowMs);
  const ordersBack =
    success.outcomes >= options.window.minOutcomes &&
    success.percent !== null &&
    success.percent >= floor;
  // The first order of the window that confirmed it: a relapse before it moves recovery later.
  return ordersBack ? (success.firstOrderAt ?? Date.now()) : undefined;
}
