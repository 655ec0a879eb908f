import { describe, expect, it } from 'vitest';
import { RateLimiter, type RateDecision } from './rate-limiter.js';

function limiter(start = 1_700_000_000_000) {
  const clock = { now: start };
  const rl = new RateLimiter(
    { weightPerMinute: 10, ordersPer10s: 3, banAfterViolations: 2, banSeconds: 120 },
    () => clock.now,
  );
  return { rl, clock };
}

function refused(decision: RateDecision) {
  if (decision.allowed) throw new Error('expected a refusal');
  return decision;
}

describe('RateLimiter', () => {
  it('counts weight per minute window and reports it', () => {
    const { rl } = limiter(60_000 * 1000);
    expect(rl.charge('a', 4, false)).toMatchObject({ allowed: true, usedWeight: 4 });
    expect(rl.charge('a', 6, false)).toMatchObject({ allowed: true, usedWeight: 10 });
    // Another client has its own budget.
    expect(rl.charge('b', 10, false)).toMatchObject({ allowed: true, usedWeight: 10 });
  });

  it('answers 429 with the seconds left in the window once over the weight limit', () => {
    const { rl, clock } = limiter(60_000 * 1000 + 15_000);
    rl.charge('a', 10, false);
    const over = refused(rl.charge('a', 1, false));
    expect(over).toMatchObject({ status: 429, reason: 'weight', retryAfterS: 45 });
    clock.now += 45_000;
    expect(rl.charge('a', 1, false)).toMatchObject({ allowed: true, usedWeight: 1 });
  });

  it('limits new orders per 10 s separately from weight', () => {
    const { rl, clock } = limiter(10_000 * 1000 + 2_500);
    for (let i = 0; i < 3; i += 1) expect(rl.charge('a', 1, true).allowed).toBe(true);
    expect(refused(rl.charge('a', 1, true))).toMatchObject({
      status: 429,
      reason: 'orders',
      retryAfterS: 8,
    });
    clock.now += 7_500;
    expect(rl.charge('a', 1, true)).toMatchObject({ allowed: true, orderCount: 1 });
  });

  it('bans a client that keeps sending during its back-off, for longer each time', () => {
    const { rl, clock } = limiter(60_000 * 1000);
    rl.charge('a', 11, false);
    expect(refused(rl.charge('a', 1, false))).toMatchObject({ status: 429, reason: 'backoff' });
    const ban = refused(rl.charge('a', 1, false));
    expect(ban).toMatchObject({ status: 418, reason: 'banned', retryAfterS: 120 });
    clock.now += 119_000;
    expect(refused(rl.charge('a', 1, false))).toMatchObject({ status: 418, retryAfterS: 1 });
    clock.now += 1_000;
    expect(rl.charge('a', 1, false).allowed).toBe(true);
    // Second offence: the ban doubles.
    rl.charge('a', 20, false);
    rl.charge('a', 1, false);
    expect(refused(rl.charge('a', 1, false))).toMatchObject({ status: 418, retryAfterS: 240 });
  });

  it('a client that waits out its back-off is not banned', () => {
    const { rl, clock } = limiter(60_000 * 1000 + 59_000);
    rl.charge('a', 11, false);
    clock.now += 1_000;
    expect(rl.charge('a', 1, false).allowed).toBe(true);
  });
});
