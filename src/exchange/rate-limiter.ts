export interface RateLimits {
  /** REQUEST_WEIGHT per window, per client address. Binance's default: 6000 a minute. */
  weightLimit: number;
  /** Length of the weight window, s. Binance's: 60. Shorter windows make back-offs testable in seconds. */
  weightWindowSeconds: number;
  /** ORDERS per 10 seconds, per account. Binance's default: 100. */
  ordersPer10s: number;
  /** Requests sent during a weight back-off, after a 429, before the address is banned (418). Default 5. */
  banAfterViolations: number;
  /** First ban's length in seconds; each further ban doubles it, up to 3 days. Default 120. */
  banSeconds: number;
}

export const RATE_LIMIT_DEFAULTS: RateLimits = {
  weightLimit: 6000,
  weightWindowSeconds: 60,
  ordersPer10s: 100,
  banAfterViolations: 5,
  banSeconds: 120,
};

const MAX_BAN_MS = 3 * 24 * 3600 * 1000;

export type Refusal = {
  allowed: false;
  status: 429 | 418;
  reason: 'weight' | 'orders' | 'backoff' | 'banned';
  retryAfterS: number;
  /** Epoch ms the ban, back-off or window ends. */
  until: number;
};

export type WeightDecision = ({ allowed: true } | Refusal) & { usedWeight: number };
export type OrderDecision = ({ allowed: true } | Refusal) & { orderCount: number };

interface AddressState {
  /** Index of the current weight window since the epoch. */
  window: number;
  weight: number;
  backoffUntil: number;
  violations: number;
  bannedUntil: number;
  bans: number;
}

interface AccountState {
  tenSeconds: number;
  orders: number;
}

/**
 * Binance's fixed-window limits. Request weight is counted per minute per
 * client address: over it the client gets 429 with the seconds until the
 * window resets, and one that keeps sending during that back-off is banned
 * (418) for a time that doubles with each ban. New orders are counted per 10 s
 * per account: over that, only new orders are refused (429, -1015); it never
 * leads to a ban and does not block reads or cancels.
 */
export class RateLimiter {
  private addresses = new Map<string, AddressState>();
  private accounts = new Map<string, AccountState>();
  private readonly windowMs: number;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = limits.weightWindowSeconds * 1000;
  }

  /** Counts one request's weight against its client address. */
  chargeWeight(address: string, weight: number): WeightDecision {
    const now = this.now();
    const state = this.addressState(address, now);
    state.weight += weight;
    const usedWeight = state.weight;
    if (now < state.bannedUntil)
      return refuse(418, 'banned', state.bannedUntil, now, { usedWeight });
    if (now < state.backoffUntil) {
      state.violations += 1;
      if (state.violations < this.limits.banAfterViolations) {
        return refuse(429, 'backoff', state.backoffUntil, now, { usedWeight });
      }
      const banMs = Math.min(this.limits.banSeconds * 1000 * 2 ** state.bans, MAX_BAN_MS);
      state.bans += 1;
      state.bannedUntil = now + banMs;
      state.backoffUntil = 0;
      return refuse(418, 'banned', state.bannedUntil, now, { usedWeight });
    }
    if (state.weight > this.limits.weightLimit) {
      state.backoffUntil = (state.window + 1) * this.windowMs;
      state.violations = 0;
      return refuse(429, 'weight', state.backoffUntil, now, { usedWeight });
    }
    return { allowed: true, usedWeight };
  }

  /** Counts one new order against its account. Every new order counts, filled or not. */
  countOrder(accountId: string): OrderDecision {
    const now = this.now();
    const tenSeconds = Math.floor(now / 10_000);
    let state = this.accounts.get(accountId);
    if (!state) {
      state = { tenSeconds, orders: 0 };
      this.accounts.set(accountId, state);
    }
    if (state.tenSeconds !== tenSeconds) {
      state.tenSeconds = tenSeconds;
      state.orders = 0;
    }
    state.orders += 1;
    const orderCount = state.orders;
    if (orderCount > this.limits.ordersPer10s) {
      return refuse(429, 'orders', (tenSeconds + 1) * 10_000, now, { orderCount });
    }
    return { allowed: true, orderCount };
  }

  reset(): void {
    this.addresses = new Map();
    this.accounts = new Map();
  }

  private addressState(address: string, now: number): AddressState {
    const window = Math.floor(now / this.windowMs);
    let state = this.addresses.get(address);
    if (!state) {
      state = { window, weight: 0, backoffUntil: 0, violations: 0, bannedUntil: 0, bans: 0 };
      this.addresses.set(address, state);
    }
    if (state.window !== window) {
      state.window = window;
      state.weight = 0;
    }
    return state;
  }
}

function refuse<Extra extends object>(
  status: 429 | 418,
  reason: Refusal['reason'],
  until: number,
  now: number,
  extra: Extra,
): Refusal & Extra {
  const retryAfterS = Math.max(1, Math.ceil((until - now) / 1000));
  return Object.assign({ allowed: false as const, status, reason, until, retryAfterS }, extra);
}
