/**
 * The Retry-After windows of one proxy, kept small and searchable. A window
 * inside another adds nothing (whatever breaks it breaks the outer one, which
 * opened first), so it is dropped; what remains, sorted by opening, also
 * closes in order, and the earliest window a request breaks is one binary
 * search away. A bot hammering through a ban earns a 429 per request, but
 * with Binance's countdown Retry-After those windows all end together and
 * collapse into the first.
 */

/** A wait the client was told to observe: from when it got the answer until Retry-After ran out. */
export interface RetryWindow {
  /** The answer's request id. */
  requestId: string;
  /** 429 or 418. */
  status: number;
  /** When the client got the answer: the window opens, ms since the epoch. */
  endedAt: number;
  retryAfterS: number;
  /** When the window closes, ms since the epoch. */
  closesAt: number;
}

export class RetryWindows {
  /** Sorted by endedAt, with closesAt strictly increasing (none inside another). */
  private readonly windows: RetryWindow[] = [];

  /** Windows kept (the ones not inside another). */
  get size(): number {
    return this.windows.length;
  }

  add(window: RetryWindow): void {
    const list = this.windows;
    // Written in order of end, a window nearly always goes last; scanning back keeps any order right.
    let index = list.length;
    while (index > 0 && list[index - 1]!.endedAt > window.endedAt) index -= 1;
    const before = list[index - 1];
    if (before !== undefined && before.closesAt >= window.closesAt) return;
    // Same opening, shorter wait: the new window holds the one before.
    if (before !== undefined && before.endedAt === window.endedAt) index -= 1;
    let end = index;
    while (end < list.length && list[end]!.closesAt <= window.closesAt) end += 1;
    list.splice(index, end - index, window);
  }

  /**
   * The earliest-opened window that `at` falls inside, with `toleranceMs` of
   * grace at both ends (clocks and the client's own timers are not exact).
   */
  breaking(at: number, toleranceMs: number): RetryWindow | null {
    const list = this.windows;
    // Windows opened more than the tolerance before `at` are a prefix.
    const opened = firstIndex(list.length, (i) => list[i]!.endedAt + toleranceMs >= at);
    // Among them, the ones still open a tolerance after `at` are a suffix.
    const open = firstIndex(opened, (i) => list[i]!.closesAt - toleranceMs > at);
    return open < opened ? list[open]! : null;
  }
}

/** The first index in [0, length) where a monotone predicate holds; length when none. */
function firstIndex(length: number, holds: (index: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (holds(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}
