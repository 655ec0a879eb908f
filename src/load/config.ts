/**
 * What a load run does. Defaults follow SPEC §2 (the original load test's
 * flags): 50 strategies × 200 orders = 10 000 orders per burst, 10 bursts a
 * second apart, P95 ≤ 150 ms, failure rate ≤ 0.5 %, throughput ≥ 100 orders/s.
 */
export interface LoadConfig {
  /** Concurrent strategies, each with its own order flow. */
  strategies: number;
  /** Orders per strategy per burst (closed model). */
  ordersPerBurst: number;
  bursts: number;
  /** Seconds from one burst's start to the next's. */
  burstIntervalS: number;
  /** SLA: p95 latency, intent to the venue's acknowledgement, ms. */
  targetLatencyMs: number;
  /** SLA: share of intents not placed, 0..1. */
  targetFailureRate: number;
  /** SLA: placed orders per second over the run. */
  targetThroughput: number;
  /** Closed model: no burst starts after this. Open model: seconds at the full rate. */
  durationS: number;
  /** Closed model: strategies join evenly over this. Open model: the rate rises from 0 over this. */
  rampUpS: number;
  /** Closed model: idle seconds after the last order, still sampled. Open model: the rate falls to 0 over this. */
  cooldownS: number;
  /** Orders one strategy has at the engine at once; the rest wait their turn. */
  maxConcurrentOrders: number;
  /** Open model when set: orders per second arriving on a schedule, whatever the engine's pace. */
  rate: number | undefined;
  /** Seed of the stack: prices and the proxy's draws. */
  seed: number;
  quick: boolean;
}

export const LOAD_DEFAULTS: Readonly<LoadConfig> = Object.freeze({
  strategies: 50,
  ordersPerBurst: 200,
  bursts: 10,
  burstIntervalS: 1,
  targetLatencyMs: 150,
  targetFailureRate: 0.005,
  targetThroughput: 100,
  durationS: 300,
  rampUpS: 0,
  cooldownS: 0,
  // A strategy that waits for the venue's answer before its next order, as bots
  // that must know their fills do. Raise it to see the engine under deeper queues.
  maxConcurrentOrders: 1,
  rate: undefined,
  seed: 1,
  quick: false,
});

/**
 * --quick, for CI: 10 strategies × 20 orders × 3 bursts (600 orders, 200 a
 * second offered), or 3 s at --rate; SLAs unchanged. Fewer strategies than the
 * default because CI machines are shared: fifty orders in flight at once put
 * a 2-core machine's p95 near the 150 ms line, and a test must not flip on a
 * neighbour's load. Flags given explicitly win.
 */
export const QUICK_LOAD: Readonly<Partial<LoadConfig>> = Object.freeze({
  strategies: 10,
  ordersPerBurst: 20,
  bursts: 3,
});
/** --quick with --rate: seconds at the full rate. (Bursts are not cut short by a quick duration.) */
const QUICK_RATE_SECONDS = 3;

export type LoadModel = 'closed' | 'open';

export function modelOf(config: LoadConfig): LoadModel {
  return config.rate === undefined ? 'closed' : 'open';
}

/** Orders the configuration asks for (open model: the arrivals of the whole rate profile). */
export function plannedOrders(config: LoadConfig): number {
  if (config.rate === undefined) return config.strategies * config.ordersPerBurst * config.bursts;
  return Math.floor(config.rate * (config.rampUpS / 2 + config.durationS + config.cooldownS / 2));
}

/** The defaults, then --quick's, then what was given; the result checked as a whole. */
export function loadConfig(given: Partial<LoadConfig>): LoadConfig {
  const defined = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as Partial<LoadConfig>;
  const config: LoadConfig = {
    ...LOAD_DEFAULTS,
    ...(given.quick ? QUICK_LOAD : {}),
    ...(given.quick && given.rate !== undefined ? { durationS: QUICK_RATE_SECONDS } : {}),
    ...defined,
    rate: given.rate,
  };
  const problem = problemOf(config);
  if (problem !== undefined) throw new LoadConfigError(problem);
  return config;
}

export class LoadConfigError extends Error {
  override readonly name = 'LoadConfigError';
}

/** Longest a run may plan for; the runner keeps per-second rows for this long at most. */
const MAX_RUN_SECONDS = 24 * 3600;

/** Each number's lower bound, and whether it must be whole. */
const NUMBER_RULES: ReadonlyArray<{
  key: keyof LoadConfig;
  flag: string;
  least: 'above zero' | 'zero';
  whole: boolean;
}> = [
  { key: 'strategies', flag: '--strategies', least: 'above zero', whole: true },
  { key: 'ordersPerBurst', flag: '--orders-per-burst', least: 'above zero', whole: true },
  { key: 'bursts', flag: '--bursts', least: 'above zero', whole: true },
  { key: 'maxConcurrentOrders', flag: '--max-concurrent-orders', least: 'above zero', whole: true },
  { key: 'targetLatencyMs', flag: '--target-latency', least: 'above zero', whole: false },
  { key: 'durationS', flag: '--duration', least: 'above zero', whole: false },
  { key: 'burstIntervalS', flag: '--burst-interval', least: 'zero', whole: false },
  { key: 'rampUpS', flag: '--ramp-up', least: 'zero', whole: false },
  { key: 'cooldownS', flag: '--cooldown', least: 'zero', whole: false },
  { key: 'targetThroughput', flag: '--target-throughput', least: 'zero', whole: false },
  { key: 'seed', flag: '--seed', least: 'zero', whole: true },
];

function problemOf(config: LoadConfig): string | undefined {
  for (const { key, flag, least, whole } of NUMBER_RULES) {
    const value = config[key] as number;
    const inRange = Number.isFinite(value) && (least === 'zero' ? value >= 0 : value > 0);
    if (!inRange)
      return `${flag} must be ${least === 'zero' ? '0 or more' : 'more than 0'}, got ${value}`;
    if (whole && !Number.isInteger(value)) return `${flag} must be a whole number, got ${value}`;
  }
  if (!(config.targetFailureRate >= 0 && config.targetFailureRate <= 1))
    return `--target-failure-rate is a share from 0 to 1 (0.005 is 0.5 %), got ${config.targetFailureRate}`;
  if (config.rate !== undefined && !(config.rate > 0))
    return `--rate must be more than 0 orders/s, got ${config.rate}`;
  const seconds =
    config.rampUpS +
    config.cooldownS +
    (config.rate === undefined
      ? Math.min(config.durationS, config.bursts * config.burstIntervalS)
      : config.durationS);
  if (seconds > MAX_RUN_SECONDS)
    return `the run would last ${seconds} s; the longest is ${MAX_RUN_SECONDS} s`;
  return undefined;
}
