import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrivalTime, burstStart, totalArrivals, type RateProfile } from './schedule.js';

function profile(overrides: Partial<RateProfile> = {}): RateProfile {
  return { rate: 10, rampUpS: 0, durationS: 2, cooldownS: 0, ...overrides };
}

/** Every arrival time of a profile, in order. */
function times(p: RateProfile): number[] {
  return Array.from({ length: totalArrivals(p) }, (_, n) => arrivalTime(p, n)!);
}

describe('totalArrivals', () => {
  it('is the area under the rate curve: ramps count half', () => {
    expect(totalArrivals(profile({ rate: 10, durationS: 2 }))).toBe(20);
    expect(totalArrivals(profile({ rate: 10, rampUpS: 4, durationS: 2, cooldownS: 6 }))).toBe(70);
  });

  it('rounds a fractional area down: no arrival beyond the profile', () => {
    // 3/s · (0.5 + 1) = 4.5
    expect(totalArrivals(profile({ rate: 3, rampUpS: 1, durationS: 1 }))).toBe(4);
  });
});

describe('arrivalTime', () => {
  it('spaces a steady rate evenly, n/rate seconds', () => {
    const p = profile({ rate: 4, durationS: 2 });
    expect(times(p)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]);
  });

  it('follows the quadratic during the ramp-up: sqrt(2·R·n/rate)', () => {
    const p = profile({ rate: 10, rampUpS: 4, durationS: 1 });
    // The ramp holds rate·R/2 = 20 arrivals.
    for (let n = 0; n < 20; n++) expect(arrivalTime(p, n)).toBeCloseTo(Math.sqrt((2 * 4 * n) / 10));
    expect(arrivalTime(p, 1)).toBeCloseTo(Math.sqrt(0.8));
    expect(arrivalTime(p, 19)!).toBeLessThan(4);
    // The 21st arrival is the first of the steady stretch, right at its start.
    expect(arrivalTime(p, 20)).toBe(4);
    expect(arrivalTime(p, 21)).toBeCloseTo(4.1);
  });

  it('sends arrivals ever closer together as the ramp rises', () => {
    const ramp = times(profile({ rate: 10, rampUpS: 4, durationS: 0 })).slice(0, 20);
    const gaps = ramp.slice(1).map((t, i) => t - ramp[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThan(0);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeLessThan(gaps[i - 1]!);
  });

  it('mirrors the ramp in the cooldown, the last arrival before the end', () => {
    const p = profile({ rate: 10, rampUpS: 4, durationS: 1, cooldownS: 4 });
    expect(totalArrivals(p)).toBe(50);
    const all = times(p);
    // The cooldown's k-th arrival from its end sits as far from the end as the
    // ramp's k-th from its start (k ≥ 1; the ramp's 0th is at 0, the end is open).
    for (let k = 1; k < 20; k++) expect(9 - all[49 - k + 1]!).toBeCloseTo(all[k]!, 9);
    // Arrivals thin out: gaps grow through the cooldown.
    const cooldown = all.slice(30);
    for (let i = 2; i < cooldown.length; i++)
      expect(cooldown[i]! - cooldown[i - 1]!).toBeGreaterThan(cooldown[i - 1]! - cooldown[i - 2]!);
    expect(all[30]).toBe(5);
    expect(all[49]!).toBeLessThan(9);
    expect(all[49]!).toBeGreaterThan(8);
  });

  it('is undefined before the first and past the last arrival', () => {
    const p = profile({ rate: 10, rampUpS: 4, durationS: 1, cooldownS: 4 });
    expect(arrivalTime(p, -1)).toBeUndefined();
    expect(arrivalTime(p, 49)).toBeDefined();
    expect(arrivalTime(p, 50)).toBeUndefined();
    expect(arrivalTime(p, 1_000)).toBeUndefined();
  });

  it('never goes back in time, and stays inside the profile, whatever the profile', () => {
    const profiles = fc.record({
      rate: fc.double({ min: 0.1, max: 500, noNaN: true }),
      rampUpS: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 20, noNaN: true })),
      durationS: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 20, noNaN: true })),
      cooldownS: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 20, noNaN: true })),
    });
    fc.assert(
      fc.property(profiles, (p) => {
        const total = totalArrivals(p);
        // Bounded: at most 500/s over 50 s.
        const all = times(p);
        expect(all).toHaveLength(total);
        const backwards = all.findIndex((t, n) => n > 0 && t < all[n - 1]!);
        expect(backwards).toBe(-1);
        if (total > 0) {
          expect(all[0]).toBe(0);
          expect(all[total - 1]!).toBeLessThan(p.rampUpS + p.durationS + p.cooldownS);
        }
        expect(arrivalTime(p, total)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});

describe('burstStart', () => {
  it('puts every strategy at burst × interval without a ramp-up', () => {
    expect(burstStart(0, 4, 0, 1, 0)).toBe(0);
    expect(burstStart(3, 4, 0, 1, 0)).toBe(0);
    expect(burstStart(3, 4, 2, 1.5, 0)).toBe(3);
  });

  it('spreads the strategies evenly over the ramp-up, then adds burst × interval', () => {
    expect([0, 1, 2, 3].map((i) => burstStart(i, 4, 0, 1, 8))).toEqual([0, 2, 4, 6]);
    expect([0, 1, 2, 3].map((i) => burstStart(i, 4, 5, 0.5, 8))).toEqual([2.5, 4.5, 6.5, 8.5]);
  });
});
