import { describe, expect, it } from 'vitest';
import {
  LOAD_DEFAULTS,
  loadConfig,
  LoadConfigError,
  modelOf,
  plannedOrders,
  type LoadConfig,
} from './config.js';

/** The error loadConfig throws for `given`, or a failure when it throws none. */
function refusal(given: Partial<LoadConfig>): LoadConfigError {
  try {
    loadConfig(given);
  } catch (error) {
    expect(error).toBeInstanceOf(LoadConfigError);
    return error as LoadConfigError;
  }
  throw new Error(`loadConfig(${JSON.stringify(given)}) was accepted`);
}

describe('loadConfig', () => {
  it('gives the defaults when nothing is given', () => {
    expect(loadConfig({})).toEqual(LOAD_DEFAULTS);
  });

  it('has the SPEC §2 defaults', () => {
    // 50 strategies × 200 orders, 10 bursts a second apart, p95 ≤ 150 ms,
    // failure rate ≤ 0.5 %, throughput ≥ 100 orders/s, bursts stop after 300 s.
    expect(LOAD_DEFAULTS).toMatchObject({
      strategies: 50,
      ordersPerBurst: 200,
      bursts: 10,
      burstIntervalS: 1,
      targetLatencyMs: 150,
      targetFailureRate: 0.005,
      targetThroughput: 100,
      durationS: 300,
      rate: undefined,
      quick: false,
    });
  });

  it('applies --quick', () => {
    const config = loadConfig({ quick: true });
    expect(config).toMatchObject({
      strategies: 10,
      ordersPerBurst: 20,
      bursts: 3,
      // Bursts are never cut short: a slow machine still sends all 600 orders.
      durationS: LOAD_DEFAULTS.durationS,
      quick: true,
    });
    expect(loadConfig({ quick: true, rate: 50 }).durationS).toBe(3);
    // SLAs are unchanged by --quick.
    expect(config.targetLatencyMs).toBe(LOAD_DEFAULTS.targetLatencyMs);
    expect(config.targetFailureRate).toBe(LOAD_DEFAULTS.targetFailureRate);
  });

  it('lets flags given explicitly win over --quick', () => {
    const config = loadConfig({ quick: true, strategies: 7, durationS: 12 });
    expect(config.strategies).toBe(7);
    expect(config.durationS).toBe(12);
    expect(config.ordersPerBurst).toBe(20);
  });

  it('ignores keys given as undefined, as commander leaves absent flags', () => {
    const config = loadConfig({ quick: true, strategies: undefined, bursts: undefined });
    expect(config.strategies).toBe(10);
    expect(config.bursts).toBe(3);
  });

  it('is the closed model without a rate, the open one with it', () => {
    expect(modelOf(loadConfig({}))).toBe('closed');
    const open = loadConfig({ rate: 250 });
    expect(open.rate).toBe(250);
    expect(modelOf(open)).toBe('open');
  });

  it('refuses a bad value, naming its flag', () => {
    const cases: Array<[Partial<LoadConfig>, string]> = [
      [{ strategies: 0 }, '--strategies'],
      [{ strategies: Number.NaN }, '--strategies'],
      [{ ordersPerBurst: -1 }, '--orders-per-burst'],
      [{ bursts: 0 }, '--bursts'],
      [{ maxConcurrentOrders: 0 }, '--max-concurrent-orders'],
      [{ targetLatencyMs: 0 }, '--target-latency'],
      [{ durationS: 0 }, '--duration'],
      [{ durationS: Number.POSITIVE_INFINITY }, '--duration'],
      [{ burstIntervalS: -1 }, '--burst-interval'],
      [{ targetFailureRate: 2 }, '--target-failure-rate'],
      [{ targetFailureRate: -0.1 }, '--target-failure-rate'],
      [{ rate: 0 }, '--rate'],
      [{ rate: -5 }, '--rate'],
    ];
    for (const [given, flag] of cases) expect(refusal(given).message).toContain(flag);
  });

  it('accepts the edges of the ranges', () => {
    expect(loadConfig({ targetFailureRate: 0 }).targetFailureRate).toBe(0);
    expect(loadConfig({ targetFailureRate: 1 }).targetFailureRate).toBe(1);
    expect(loadConfig({ burstIntervalS: 0 }).burstIntervalS).toBe(0);
  });

  it('refuses a run longer than 24 h', () => {
    expect(refusal({ rate: 10, durationS: 24 * 3600 + 1 }).message).toMatch(/86401 s/);
    expect(refusal({ rate: 10, durationS: 24 * 3600, rampUpS: 1 }).message).toMatch(/86401 s/);
    // Exactly 24 h is allowed.
    expect(loadConfig({ rate: 10, durationS: 23 * 3600, cooldownS: 3600 }).durationS).toBe(82_800);
  });

  it('counts the closed model by its bursts, not its duration', () => {
    // 100 000 bursts a second apart would take 27.8 h, but the duration stops them at 1 h.
    expect(loadConfig({ bursts: 100_000, durationS: 3600 }).bursts).toBe(100_000);
    expect(refusal({ bursts: 100_000, durationS: 100_000 }).message).toMatch(/100000 s/);
  });
});

describe('plannedOrders', () => {
  it('is strategies × orders per burst × bursts in the closed model', () => {
    expect(plannedOrders(loadConfig({}))).toBe(100_000);
    expect(plannedOrders(loadConfig({ quick: true }))).toBe(600);
  });

  it('is the arrivals of the whole rate profile in the open model', () => {
    expect(plannedOrders(loadConfig({ rate: 200, durationS: 3 }))).toBe(600);
    // Ramps count half: 100/s · (10/2 + 20 + 4/2).
    expect(plannedOrders(loadConfig({ rate: 100, durationS: 20, rampUpS: 10, cooldownS: 4 }))).toBe(
      2_700,
    );
    // Strategies and bursts do not matter at a rate.
    expect(plannedOrders(loadConfig({ rate: 200, durationS: 3, strategies: 1, bursts: 1 }))).toBe(
      600,
    );
  });
});
