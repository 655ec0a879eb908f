import { sleep } from '../../common/index.js';

/**
 * Paces pieces of data at a given cost each, carrying fractions over: timers
 * cannot sleep less than a millisecond, so small pieces pass at once and the
 * debt is paid when it adds up, keeping the average rate exact.
 */
export class Pacer {
  private dueAtMs = performance.now();

  constructor(private readonly signal: AbortSignal) {}

  /** Waits until a piece costing `costMs` may pass. */
  async wait(costMs: number): Promise<void> {
    const now = performance.now();
    this.dueAtMs = Math.max(this.dueAtMs, now) + costMs;
    if (this.dueAtMs - now >= 1) await sleep(this.dueAtMs - now, this.signal);
  }
}
