/**
 * When orders are meant to go, in seconds from the start of the run. The
 * intended time is what latency is measured from in the open model, so it
 * comes from the plan, never from when the generator got round to sending.
 */

/** Rate profile of the open model: linear ramp up, steady, linear ramp down. */
export interface RateProfile {
  /** Orders per second at full rate. */
  rate: number;
  rampUpS: number;
  durationS: number;
  cooldownS: number;
}

/** Arrivals in the whole profile: the area under the rate curve. */
export function totalArrivals(profile: RateProfile): number {
  const { rate, rampUpS, durationS, cooldownS } = profile;
  return Math.floor(rate * (rampUpS / 2 + durationS + cooldownS / 2));
}

/**
 * Time of the n-th arrival (n from 0): the t where the arrivals so far,
 * the integral of the rate from 0 to t, reach n. Each stretch of the profile
 * inverts in closed form; undefined past the end of the profile.
 */
export function arrivalTime(profile: RateProfile, n: number): number | undefined {
  const { rate, rampUpS, durationS, cooldownS } = profile;
  if (n < 0 || n >= totalArrivals(profile)) return undefined;
  // Ramp: arrivals(t) = rate·t² / (2·rampUp).
  const rampArrivals = (rate * rampUpS) / 2;
  if (n < rampArrivals) return Math.sqrt((2 * rampUpS * n) / rate);
  // Steady: one arrival every 1/rate seconds.
  const steadyArrivals = rampArrivals + rate * durationS;
  if (n < steadyArrivals) return rampUpS + (n - rampArrivals) / rate;
  // Cooldown, u seconds in: arrivals = rate·(u − u² / (2·cooldown)).
  const left = n - steadyArrivals;
  const u = cooldownS * (1 - Math.sqrt(Math.max(0, 1 - (2 * left) / (rate * cooldownS))));
  return rampUpS + durationS + u;
}

/** Closed model: when a strategy's burst is due. Strategies join evenly over the ramp-up. */
export function burstStart(
  strategyIndex: number,
  strategies: number,
  burst: number,
  burstIntervalS: number,
  rampUpS: number,
): number {
  return (rampUpS * strategyIndex) / strategies + burst * burstIntervalS;
}
