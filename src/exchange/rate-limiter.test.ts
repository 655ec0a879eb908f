import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_DEFAULTS, RateLimiter } from './rate-limiter.js';

function limiter(start: number, weightWindowSeconds = 60) {
  const clock = { now: start };
  const rl = new RateLimiter(
    {
      ...RATE_LIMIT_DEFAULTS,
      weightLimit: 10,
      weightWindowSeconds,
      ordersPer10s: 3,
      banAfterViolations: 2,
      banSeconds: 120,
    },
    () => clock.now,
  );
  return { rl, clock };
}

const MINUTE = 60_000;

describe('RateLimiter', () => {
  it('counts weight per address in minute windows and reports it', () => {
    const { rl } = limiter(1000 * MINUTE);
    expect(rl.chargeWeight('a', 4)).toEqual({ allowed: true, usedWeight: 4 });
    expect(rl.chargeWeight('a', 6)).toEqual({ allowed: true, usedWeight: 10 });
    // Another address has its own budget.
    expect(rl.chargeWeight('b', 10)).toEqual({ allowed: true, usedWeight: 10 });
  });

  it('answers 429 with the seconds left in the window once over the weight limit', () => {
    const { rl, clock } = limiter(1000 * MINUTE + 15_000);
    rl.chargeWeight('a', 10);
    expect(rl.chargeWeight('a', 1)).toMatchObject({
      allowed: false,
      status: 429,
      reason: 'weight',
      retryAfterS: 45,
    });
    clock.now += 45_000;
    expect(rl.chargeWeight('a', 1)).toEqual({ allowed: true, usedWeight: 1 });
  });

  it('bans an address that keeps sending during its back-off, for longer each time', () => {
    const { rl, clock } = limiter(1000 * MINUTE);
    rl.chargeWeight('a', 11);
    expect(rl.chargeWeight('a', 1)).toMatchObject({ status: 429, reason: 'backoff' });
    expect(rl.chargeWeight('a', 1)).toMatchObject({
      status: 418,
      reason: 'banned',
      retryAfterS: 120,
    });
    clock.now += 119_000;
    expect(rl.chargeWeight('a', 1)).toMatchObject({ status: 418, retryAfterS: 1 });
    clock.now += 1_000;
    expect(rl.chargeWeight('a', 1).allowed).toBe(true);
    // Second offence: the ban doubles.
    rl.chargeWeight('a', 20);
    rl.chargeWeight('a', 1);
    expect(rl.chargeWeight('a', 1)).toMatchObject({ status: 418, retryAfterS: 240 });
  });

  it('does not ban an address that waits out its back-off', () => {
    const { rl, clock } = limiter(1000 * MINUTE + 59_000);
    rl.chargeWeight('a', 11);
    clock.now += 1_000;
    expect(rl.chargeWeight('a', 1).allowed).toBe(true);
  });

  it('limits new orders per account per 10 s, without back-off or ban', () => {
    const { rl, clock } = limiter(100_000 * 10 + 2_500);
    for (let i = 1; i <= 3; i += 1)
      expect(rl.countOrder('acct')).toEqual({ allowed: true, orderCount: i });
    for (let i = 0; i < 10; i += 1) {
      expect(rl.countOrder('acct')).toMatchObject({
        status: 429,
        reason: 'orders',
        retryAfterS: 8,
      });
    }
    // Reads from the same address are unaffected, and another account has its own count.
    expect(rl.chargeWeight('127.0.0.1', 1).allowed).toBe(true);
    expect(rl.countOrder('other').allowed).toBe(true);
    clock.now += 7_500;
    expect(rl.countOrder('acct')).toEqual({ allowed: true, orderCount: 1 });
  });

  it('counts weight in shorter windows when configured, with Retry-After to the window end', () => {
    const { rl, clock } = limiter(3 * 5_000, 5);
    expect(rl.chargeWeight('a', 10)).toMatchObject({ allowed: true });
    clock.now += 1_000;
    expect(rl.chargeWeight('a', 1)).toMatchObject({ allowed: false, status: 429, retryAfterS: 4 });
    clock.now += 4_000;
    expect(rl.chargeWeight('a', 1)).toMatchObject({ allowed: true, usedWeight: 1 });
  });
});
