/** Seconds of accepted orders the recent rate is measured over. */
const RATE_WINDOW_SECONDS = 10;
/** The window's whole seconds plus the one under way. */
const RING_SLOTS = RATE_WINDOW_SECONDS + 1;

export interface ThrottleState {
  /** New orders allowed per second while throttled. */
  perSecond: number;
  /** When the throttle lifts, ms since the epoch. */
  until: number;
}

/**
 * Holds new orders to a reduced rate for a while, as after a venue's
 * rate-limit refusal: resuming at the full rate that drew the refusal would
 * draw the next one. Measures the rate it reduces from itself (accepted
 * orders per second over the last ten seconds, one counter per second, no
 * allocation per order) and admits at the reduced rate with a token bucket.
 */
export class OrderRateThrottle {
  private readonly perSecondCounts = new Array<number>(RING_SLOTS).fill(0);
  private currentSecond = 0;
  private state: ThrottleState | undefined;
  private tokens = 0;
  private refilledAt = 0;

  constructor(private readonly now: () => number) {}

  /** The throttle in force, or undefined. */
  get active(): ThrottleState | undefined {
    const state = this.current(this.now());
    return state && { ...state };
  }

  /** Accepted orders per second over the last ten whole seconds. */
  recentRate(): number {
    this.advance(this.now());
    let total = 0;
    for (let i = 1; i <= RATE_WINDOW_SECONDS; i += 1) total += this.slot(this.currentSecond - i);
    return total / RATE_WINDOW_SECONDS;
  }

  /**
   * From now on admits `fraction` of the recent rate (at least one order a
   * second) for `forMs`. Returns the state in force.
   */
  throttle(fraction: number, forMs: number): ThrottleState {
    const at = this.now();
    const perSecond = Math.max(1, Math.floor(this.recentRate() * fraction));
    this.state = { perSecond, until: at + forMs };
    this.tokens = 1;
    this.refilledAt = at;
    return { ...this.state };
  }

  lift(): void {
    this.state = undefined;
  }

  /** Whether one more order may go now; counts it when it may. */
  admit(): boolean {
    const at = this.now();
    const state = this.current(at);
    if (state) {
      this.tokens = Math.min(
        state.perSecond,
        this.tokens + ((at - this.refilledAt) / 1000) * state.perSecond,
      );
      this.refilledAt = at;
      if (this.tokens < 1) return false;
      this.tokens -= 1;
    }
    this.advance(at);
    this.perSecondCounts[this.currentSecond % RING_SLOTS] = this.slot(this.currentSecond) + 1;
    return true;
  }

  private current(at: number): ThrottleState | undefined {
    if (this.state && at >= this.state.until) this.state = undefined;
    return this.state;
  }

  /** Moves the ring to the second of `at`, zeroing the seconds skipped. */
  private advance(at: number): void {
    const second = Math.floor(at / 1000);
    if (second <= this.currentSecond) return;
    const skipped = Math.min(second - this.currentSecond, RING_SLOTS);
    for (let i = 1; i <= skipped; i += 1) {
      this.perSecondCounts[(this.currentSecond + i) % RING_SLOTS] = 0;
    }
    this.currentSecond = second;
  }

  private slot(second: number): number {
    return this.perSecondCounts[second % RING_SLOTS] ?? 0;
  }
}
