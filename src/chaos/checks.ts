import type { EngineSummary } from '../engine/index.js';
import { judgeInvariants, type InvariantReport } from '../stack/index.js';
import type { Check, Scenario, WatchdogOutcome } from './model.js';

/** What a scenario run measured, as the checks read it. */
export interface Measured {
  scenario: Scenario;
  recoverySeconds: number | null;
  chaosFailureRate: number | null;
  watchdog: WatchdogOutcome;
  invariants: InvariantReport | undefined;
  /** The engine's stop summary (balances explained); undefined when it did not stop cleanly. */
  summary: EngineSummary | undefined;
}

/**
 * SPEC §1's pass/fail checks, each with what was measured against what. A
 * scenario passes only when every one holds; the report names those that
 * did not.
 */
export function scenarioChecks(measured: Measured): Check[] {
  const { scenario, recoverySeconds, chaosFailureRate, watchdog, invariants, summary } = measured;
  const band = scenario.failureBand;
  const detected = recoverySeconds !== null;
  const rate = chaosFailureRate === null ? 'nothing reached it' : `${chaosFailureRate}%`;
  return [
    {
      name: 'recovery_detected',
      passed: detected,
      detail: detected
        ? `steady state back ${recoverySeconds} s after the faults were removed`
        : `no steady state within the ${scenario.recoveryTimeoutSeconds} s recovery timeout`,
    },
    {
      name: 'sla_met',
      passed: detected && recoverySeconds <= scenario.slaRecoverySeconds,
      detail: `recovery ${detected ? `${recoverySeconds} s` : 'not detected'}; SLA ${scenario.slaRecoverySeconds} s`,
    },
    {
      name: 'failure_rate_acceptable',
      passed:
        chaosFailureRate !== null && chaosFailureRate >= band.min && chaosFailureRate <= band.max,
      detail: `failure rate at the ${scenario.target} proxy during chaos ${rate}; expected ${band.min}–${band.max}%`,
    },
    {
      name: 'watchdog_alerts_fired',
      passed: watchdog.alerts > 0,
      detail: `${watchdog.alerts} alert(s); diagnosed ${watchdog.diagnosedFailureType ?? 'nothing'}, injected ${scenario.failureType}`,
    },
    {
      name: 'recovery_events_logged',
      passed: watchdog.recoveryEvents > 0,
      detail: `${watchdog.recoveryEvents} recovery event(s) in the CHAOS_EVENT log`,
    },
    invariantCheck(invariants, summary),
  ];
}

function invariantCheck(
  invariants: InvariantReport | undefined,
  summary: EngineSummary | undefined,
): Check {
  if (!invariants) return { name: 'invariants_hold', passed: false, detail: 'not checked' };
  return { name: 'invariants_hold', ...judgeInvariants(invariants, summary) };
}
