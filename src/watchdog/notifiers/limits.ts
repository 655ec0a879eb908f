/**
 * Remembers which alert keys were accepted, for a fixed window from the first
 * acceptance: a repeat inside the window is a duplicate and does not extend it.
 */
export class DedupeWindow {
  /** Key → acceptance time, in acceptance order, so expired keys are at the front. */
  private readonly acceptedAt = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True when `key` was accepted less than the window ago. */
  has(key: string, nowMs: number): boolean {
    this.prune(nowMs);
    return this.acceptedAt.has(key);
  }

  remember(key: string, nowMs: number): void {
    this.acceptedAt.delete(key);
    this.acceptedAt.set(key, nowMs);
  }

  /** Lets the key through again, e.g. after its delivery failed. */
  forget(key: string): void {
    this.acceptedAt.delete(key);
  }

  /** Drops expired keys, so memory is bounded by the keys of one window. */
  private prune(nowMs: number): void {
    for (const [key, atMs] of this.acceptedAt) {
      if (nowMs - atMs < this.windowMs) return;
      this.acceptedAt.delete(key);
    }
  }
}

/** A sliding-window limit: at most `max` takes within any `windowMs`. */
export class RateWindow {
  private readonly takenAt: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Takes one slot if the window has room; false (and nothing taken) otherwise. */
  tryTake(nowMs: number): boolean {
    while (this.takenAt.length > 0 && nowMs - (this.takenAt[0] ?? nowMs) >= this.windowMs) {
      this.takenAt.shift();
    }
    if (this.takenAt.length >= this.max) return false;
    this.takenAt.push(nowMs);
    return true;
  }
}
