export interface RateLimits {
  /** REQUEST_WEIGHT per minute. Binance's default: 6000. */
  weightPerMinute: number;
  /** ORDERS per 10 seconds. Binance's default: 100. */
  ordersPer10s: number;
  /** Requests sent during a back-off, after a 429, before the client is banned (418). Default 5. */
  banAfterViolations: number;
  /** First ban's length in seconds; each further ban doubles it, up to 3 days. Default 120. */
  banSeconds: number;
}

export const RATE_LIMIT_DEFAULTS: RateLimits = {
  weightPerMinute: 6000,
  ordersPer10s: 100,
  banAfterViolations: 5,
  banSeconds: 120,
};

const MAX_BAN_MS = 3 * 24 * 3600 * 1000;

export type RateDecision =
  | { allowed: true; usedWeight: number; orderCount: number }
  | {
      allowed: false;
      status: 429 | 418;
      reason: 'weight' | 'orders' | 'backoff' | 'banned';
      retryAfterS: number;
      /** Epoch ms the ban or back-off ends. */
      until: number;
      usedWeight: number;
      orderCount: number;
    };

interface ClientState {
  minute: number;
  weight: number;
  tenSeconds: number;
  orders: number;
  backoffUntil: number;
  violations: number;
  bannedUntil: number;
  bans: number;
}

/**
 * Binance's fixed-window limits: request weight per minute and new orders per
 * 10 s, counted per client. Over a limit the client gets 429 with the seconds
 * until the window resets; a client that keeps sending during that back-off is
 * banned (418) for a time that doubles with each ban.
 */
export class RateLimiter {
  private clients = new Map<string, ClientState>();

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request and decides whether it may proceed. */
  charge(clientId: string, weight: number, isOrder: boolean): RateDecision {
    const now = this.now();
    const state = this.stateOf(clientId, now);
    state.weight += weight;
    if (isOrder) state.orders += 1;
    const counts = { usedWeight: state.weight, orderCount: state.orders };

    if (now < state.bannedUntil) return refuse(418, 'banned', state.bannedUntil, now, counts);
    if (now < state.backoffUntil) {
      state.violations += 1;
      if (state.violations < this.limits.banAfterViolations) {
        return refuse(429, 'backoff', state.backoffUntil, now, counts);
      }
      const banMs = Math.min(this.limits.banSeconds * 1000 * 2 ** state.bans, MAX_BAN_MS);
      state.bans += 1;
      state.bannedUntil = now + banMs;
      state.backoffUntil = 0;
      return refuse(418, 'banned', state.bannedUntil, now, counts);
    }
    if (state.weight > this.limits.weightPerMinute) {
      return this.backOff(state, 'weight', (state.minute + 1) * 60_000, now, counts);
    }
    if (isOrder && state.orders > this.limits.ordersPer10s) {
      return this.backOff(state, 'orders', (state.tenSeconds + 1) * 10_000, now, counts);
    }
    return { allowed: true, usedWeight: state.weight, orderCount: state.orders };
  }

  reset(): void {
    this.clients = new Map();
  }

  private backOff(
    state: ClientState,
    reason: 'weight' | 'orders',
    until: number,
    now: number,
    counts: { usedWeight: number; orderCount: number },
  ): RateDecision {
    state.backoffUntil = until;
    state.violations = 0;
    return refuse(429, reason, until, now, counts);
  }

  private stateOf(clientId: string, now: number): ClientState {
    const minute = Math.floor(now / 60_000);
    const tenSeconds = Math.floor(now / 10_000);
    let state = this.clients.get(clientId);
    if (!state) {
      state = {
        minute,
        weight: 0,
        tenSeconds,
        orders: 0,
        backoffUntil: 0,
        violations: 0,
        bannedUntil: 0,
        bans: 0,
      };
      this.clients.set(clientId, state);
    }
    if (state.minute !== minute) {
      state.minute = minute;
      state.weight = 0;
    }
    if (state.tenSeconds !== tenSeconds) {
      state.tenSeconds = tenSeconds;
      state.orders = 0;
    }
    return state;
  }
}

function refuse(
  status: 429 | 418,
  reason: 'weight' | 'orders' | 'backoff' | 'banned',
  until: number,
  now: number,
  counts: { usedWeight: number; orderCount: number },
): RateDecision {
  return {
    allowed: false,
    status,
    reason,
    until,
    retryAfterS: Math.max(1, Math.ceil((until - now) / 1000)),
    ...counts,
  };
}
