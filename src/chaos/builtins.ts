import type { FailureType } from '../watchdog/index.js';
import type { FaultSpec, Scenario, ScenarioTarget } from './model.js';

/** Binance's answer when a client exceeds its request weight, word for word. */
const BINANCE_429_BODY =
  '{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."}';

/** Quick mode's longest windows, s: short enough for CI, long enough for a few orders per phase. */
const QUICK_BASELINE_SECONDS = 3;
const QUICK_CHAOS_SECONDS = 5;

interface BuiltInInput {
  name: string;
  description: string;
  failureType: FailureType;
  target: ScenarioTarget;
  chaosSeconds: number;
  slaRecoverySeconds: number;
  expectedFailureRate: number;
  failureBand: { min: number; max: number };
  fault: Pick<FaultSpec, 'toxic' | 'toxicity' | 'attributes'> & Partial<Pick<FaultSpec, 'scope'>>;
}

/** What every built-in shares: a 30 s baseline, one fault on the target for the whole chaos window. */
function builtIn(input: BuiltInInput): Scenario {
  const { fault, ...scenario } = input;
  return {
    ...scenario,
    baselineSeconds: 30,
    recoveryTimeoutSeconds: 2 * input.slaRecoverySeconds,
    recoveryTolerancePercent: 10,
    faults: [
      {
        scope: 'connection',
        ...fault,
        target: input.target,
        stream: 'downstream',
        startSeconds: 0,
        durationSeconds: undefined,
      },
    ],
  };
}

/** SPEC §1's four scenarios, in the order `--all` runs them. Frozen: copy before changing. */
export const BUILT_IN_SCENARIOS: readonly Scenario[] = [
  builtIn({
    name: 'network_partition',
    description:
      'Exchange link black-holed: every request is held without an answer until the client times out.',
    failureType: 'chaos_network_partition',
    target: 'exchange',
    chaosSeconds: 60,
    slaRecoverySeconds: 30,
    expectedFailureRate: 100,
    failureBand: { min: 90, max: 100 },
    fault: { toxic: 'http_timeout', toxicity: 1, attributes: { timeout: 0 } },
  }),
  builtIn({
    name: 'rate_limit_flood',
    description:
      "Half the exchange's requests are refused with Binance's 429 (code -1003) and Retry-After: 1.",
    failureType: 'chaos_rate_limit',
    target: 'exchange',
    chaosSeconds: 30,
    slaRecoverySeconds: 45,
    expectedFailureRate: 50,
    failureBand: { min: 40, max: 60 },
    fault: {
      toxic: 'http_status',
      toxicity: 0.5,
      attributes: {
        status: 429,
        headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
        body: BINANCE_429_BODY,
      },
    },
  }),
  builtIn({
    name: 'exchange_downtime',
    description: 'Exchange unreachable: its proxy is switched off, so every connection is refused.',
    failureType: 'chaos_exchange_downtime',
    target: 'exchange',
    chaosSeconds: 300,
    slaRecoverySeconds: 60,
    expectedFailureRate: 100,
    failureBand: { min: 95, max: 100 },
    fault: { toxic: 'disabled', toxicity: 1, attributes: {} },
  }),
  builtIn({
    name: 'database_outage',
    description:
      'Database failing: 80% of its answers are lost and their connection reset (TCP RST), query by query.',
    failureType: 'chaos_database_outage',
    target: 'database',
    chaosSeconds: 120,
    slaRecoverySeconds: 90,
    expectedFailureRate: 80,
    failureBand: { min: 70, max: 90 },
    // Per message: drawn per connection, a pool's one surviving connection would carry every query.
    fault: { toxic: 'reset_peer', toxicity: 0.8, scope: 'chunk', attributes: { timeout: 0 } },
  }),
].map(deepFreeze);

/** The built-in scenario of that name, as a copy the caller may change; undefined if none. */
export function builtInScenario(name: string): Scenario | undefined {
  const scenario = BUILT_IN_SCENARIOS.find((candidate) => candidate.name === name);
  return scenario && structuredClone(scenario);
}

/**
 * The scenario with its windows compressed for CI: baseline at most 3 s,
 * chaos at most 5 s, each fault's timing scaled with the chaos window. SLAs,
 * bands and the recovery timeout stay: recovery is what is being tested, and
 * it takes as long as it takes.
 */
export function quickScenario(scenario: Scenario): Scenario {
  const quick = structuredClone(scenario);
  const chaosSeconds = Math.min(scenario.chaosSeconds, QUICK_CHAOS_SECONDS);
  // Multiply before dividing: 150 * 6 / 300 is exactly 3, 150 * (6 / 300) is not.
  const scale = (seconds: number) => (seconds * chaosSeconds) / scenario.chaosSeconds;
  quick.baselineSeconds = Math.min(scenario.baselineSeconds, QUICK_BASELINE_SECONDS);
  quick.chaosSeconds = chaosSeconds;
  for (const fault of quick.faults) {
    fault.startSeconds = Math.min(scale(fault.startSeconds), chaosSeconds);
    if (fault.durationSeconds !== undefined) {
      const left = chaosSeconds - fault.startSeconds;
      fault.durationSeconds = Math.min(scale(fault.durationSeconds), left);
    }
  }
  return quick;
}

/** Freezes a plain-data value and everything in it, so a runner cannot change the catalogue. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
}
