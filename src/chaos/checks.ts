import type { OrderAccount, SystemReport } from '../sut/index.js';
import type { WorldVerdicts } from './evidence-checks.js';
import type { Check, Scenario, WatchdogOutcome } from './model.js';

/** What a scenario run measured, as the checks read it. */
export interface Measured {
  scenario: Scenario;
  recoverySeconds: number | null;
  chaosFailureRate: number | null;
  /** Requests the failure rate stands on. */
  chaosRequests: number;
  /** The system cannot count the connections the OS refused it, so the proxy sees only part of the traffic. */
  refusalsUncounted: boolean;
  /** The system's watchdog, from its CHAOS_EVENT log; undefined when it keeps none. */
  watchdog: WatchdogOutcome | undefined;
  /** How the system ended; undefined when the run never stopped it. */
  system: SystemReport | undefined;
  /** Its own account of its orders against the venue; undefined when not judged. */
  account: OrderAccount | undefined;
  /** The world's evidence judged; undefined when the run broke first. */
  verdicts: WorldVerdicts | undefined;
  /** Orders left resting after the stop fail the run. */
  expectFlat: boolean;
}

/**
 * SPEC §1's pass/fail checks and those the world's evidence adds, each with
 * what was measured against what. A check whose evidence the system cannot
 * give is skipped with the reason, never passed; a scenario passes when
 * every check that was not skipped holds.
 */
export function scenarioChecks(measured: Measured): Check[] {
  return [
    ...recoveryChecks(measured),
    failureRateCheck(measured),
    ...watchdogChecks(measured.watchdog, measured.scenario),
    invariantCheck(measured.account),
    survivedCheck(measured.system),
    ...evidenceChecks(measured.verdicts, measured.expectFlat, measured.system),
  ];
}

/**
 * The checks that need no scenario: the system's own account of its orders,
 * and what the venue's and the wire's evidence says (for a world served
 * without one, `n1v1 stack --judge`).
 */
export function evidenceVerdictChecks(
  verdicts: WorldVerdicts,
  account: OrderAccount,
  expectFlat: boolean,
): Check[] {
  return [invariantCheck(account), ...evidenceChecks(verdicts, expectFlat)];
}

function recoveryChecks({ scenario, recoverySeconds }: Measured): Check[] {
  const detected = recoverySeconds !== null;
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
  ];
}

function failureRateCheck(measured: Measured): Check {
  const { scenario, chaosFailureRate, refusalsUncounted, chaosRequests } = measured;
  const band = scenario.failureBand;
  if (chaosFailureRate === null && refusalsUncounted) {
    return skipped(
      'failure_rate_acceptable',
      `nothing reached the ${scenario.target} proxy during chaos, and the connections the operating system refused are invisible to it (the target counts none)`,
    );
  }
  if (chaosFailureRate === null) {
    return {
      name: 'failure_rate_acceptable',
      passed: false,
      detail: `failure rate at the ${scenario.target} proxy during chaos: nothing reached it; expected ${band.min}–${band.max}%`,
    };
  }
  // The proxy's draws keep the faulted count within one request of toxicity × requests:
  // over a few requests (a bot that waits out every Retry-After) one request's share is noise.
  const slack = chaosRequests > 0 ? 100 / chaosRequests : 0;
  const inBand = chaosFailureRate >= band.min && chaosFailureRate <= band.max;
  const withinOne = chaosFailureRate >= band.min - slack && chaosFailureRate <= band.max + slack;
  const note = inBand
    ? ''
    : withinOne
      ? `, within one request of it (${chaosRequests} requests)`
      : '';
  return {
    name: 'failure_rate_acceptable',
    passed: withinOne,
    detail: `failure rate at the ${scenario.target} proxy during chaos ${chaosFailureRate}% of ${chaosRequests} requests; expected ${band.min}–${band.max}%${note}`,
  };
}

function watchdogChecks(watchdog: WatchdogOutcome | undefined, scenario: Scenario): Check[] {
  if (!watchdog) {
    const reason = 'the target has no watchdog this tool can read (no CHAOS_EVENT log)';
    return [skipped('watchdog_alerts_fired', reason), skipped('recovery_events_logged', reason)];
  }
  return [
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
  ];
}

function invariantCheck(account: OrderAccount | undefined): Check {
  if (!account) return { name: 'invariants_hold', passed: false, detail: 'not checked' };
  const { verdict } = account;
  if (verdict.status === 'skipped') return skipped('invariants_hold', verdict.reason);
  return { name: 'invariants_hold', passed: verdict.passed, detail: verdict.detail };
}

function survivedCheck(system: SystemReport | undefined): Check {
  if (!system) return { name: 'target_survived', passed: false, detail: 'not stopped by the run' };
  if (!system.runByThisTool) return skipped('target_survived', system.detail);
  const lastWords =
    system.survived || system.lastOutput.length === 0
      ? ''
      : `; last output: ${system.lastOutput.slice(-3).join(' | ')}`;
  const strays = system.leftProcessesBehind
    ? '; processes of its group were still alive after the stop'
    : '';
  return {
    name: 'target_survived',
    passed: system.survived && !system.leftProcessesBehind,
    detail: `${system.detail}${strays}${lastWords}`,
  };
}

function evidenceChecks(
  verdicts: WorldVerdicts | undefined,
  expectFlat: boolean,
  system?: SystemReport,
): Check[] {
  if (!verdicts) {
    return (['no_duplicate_orders', 'respects_retry_after', 'no_orphan_orders'] as const).map(
      (name) => ({ name, passed: false, detail: 'not checked' }),
    );
  }
  const { duplicates, retryAfter, orphans } = verdicts;
  return [
    {
      name: 'no_duplicate_orders',
      passed: duplicates.duplicatesTotal === 0,
      detail:
        `${duplicates.duplicatesTotal} duplicate order(s) among ${duplicates.ordersAccepted} the venue accepted; ` +
        `${duplicates.lostAnswers} answer(s) lost after the venue executed the order`,
    },
    {
      name: 'respects_retry_after',
      passed: retryAfter.violationsTotal === 0 && retryAfter.bans === 0,
      detail:
        `${retryAfter.violationsTotal} request(s) sent inside ${retryAfter.windows} Retry-After window(s)` +
        `${retryAfter.bans > 0 ? `; banned (418) ${retryAfter.bans} time(s)` : '; no ban (418)'}`,
    },
    // A bot this tool never stops keeps its orders resting on purpose: nothing to judge.
    system?.runByThisTool === false
      ? skipped('no_orphan_orders', 'the target runs on after the scenario: it was never stopped')
      : {
          name: 'no_orphan_orders',
          passed: !expectFlat || orphans.total === 0,
          detail:
            `${orphans.total} order(s) left resting at the venue after the stop` +
            (expectFlat ? '' : ' (reported; --target-expect-flat makes them a failure)'),
        },
  ];
}

function skipped(name: Check['name'], reason: string): Check {
  return { name, passed: false, skipped: true, detail: `skipped: ${reason}` };
}
