import { sleep } from '../../common/index.js';

/**
 * The one gate every request of a venue client passes first. A 429 or 418
 * closes it until the venue's Retry-After has passed; a later answer can
 * only extend that, never shorten it. Waiters re-check after waking, because
 * the gate may have been pushed further out while they slept.
 */
export class RateGate {
  private openAtMs = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Ms until the gate opens; 0 when open. */
  remainingMs(): number {
    return Math.max(0, this.openAtMs - this.now());
  }

  /** Epoch ms the gate opens at (in the past when open). */
  get openAt(): number {
    return this.openAtMs;
  }

  /**
   * Keeps the gate closed for retryAfterMs from now. Returns true when that
   * moved the opening later (the caller then reports a new closure).
   */
  close(retryAfterMs: number): boolean {
    const until = this.now() + Math.max(0, retryAfterMs);
    if (until <= this.openAtMs) return false;
    this.openAtMs = until;
    return true;
  }

  /** Resolves once the gate is open; rejects with the signal's reason when it aborts first. */
  async wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new DOMException('The gate wait was aborted', 'AbortError');
    for (let remaining = this.remainingMs(); remaining > 0; remaining = this.remainingMs()) {
      await sleep(remaining, signal);
      if (signal?.aborted) throw new DOMException('The gate wait was aborted', 'AbortError');
    }
  }
}
