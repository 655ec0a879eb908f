import type { PhaseName, ScenarioResult } from '../chaos/index.js';
import { reportFiles } from './report-files.js';
import { evidenceSections } from './evidence-sections.js';
import { invariantsSection } from './sections.js';
import type { ChaosRunInfo, ChaosSummary, CountedPhase, ScenarioReport } from './report-types.js';

export type { ChaosRunInfo, ChaosSummary, ScenarioReport } from './report-types.js';

/** Report values carry one decimal, as the seed's do (25.3 s, 100.0 %). */
function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Rounded, and null unless recovery was detected: an undetected recovery has no time. */
function recoveryTimeSeconds(result: ScenarioResult): number | null {
  const { detected, seconds } = result.recovery;
  return detected && seconds !== null ? round1(seconds) : null;
}

function chaosFailureRate(result: ScenarioResult): number | null {
  return result.chaosFailureRate === null ? null : round1(result.chaosFailureRate);
}

function failedChecks(result: ScenarioResult): string[] {
  return result.checks
    .filter((check) => !check.passed && check.skipped !== true)
    .map((check) => check.name);
}

/** The SPEC's sections of the report, in the seed's key order. */
function specSections(result: ScenarioResult) {
  const { scenario, counts } = result;
  const recoverySeconds = recoveryTimeSeconds(result);
  // An absent check counts as failed: a report must not claim what was not checked.
  const checkPassed = (name: ScenarioResult['checks'][number]['name']): boolean =>
    result.checks.find((check) => check.name === name)?.passed === true;
  return {
    scenario: {
      name: scenario.name,
      description: scenario.description,
      duration_seconds: scenario.chaosSeconds,
      expected_failure_rate: scenario.expectedFailureRate,
      sla_recovery_time_seconds: scenario.slaRecoverySeconds,
    },
    execution: {
      start_time: iso(result.startedAt),
      end_time: iso(result.endedAt),
      recovery_time_seconds: recoverySeconds,
      failure_injected: result.faultInjected,
      recovery_detected: result.recovery.detected,
    },
    metrics: {
      orders_before_chaos: counts.baseline.orders,
      orders_during_chaos: counts.chaos.orders,
      orders_after_chaos: counts.recovery.orders,
      failures_before_chaos: counts.baseline.failures,
      failures_during_chaos: counts.chaos.failures,
      failures_after_chaos: counts.recovery.failures,
      chaos_failure_rate: chaosFailureRate(result),
      // Unchecked invariants are not a success: recovering into lost orders is no recovery.
      recovery_successful: result.recovery.detected && result.invariants?.ok === true,
    },
    validation: {
      recovery_detected: checkPassed('recovery_detected'),
      recovery_time_seconds: recoverySeconds,
      sla_met: checkPassed('sla_met'),
      failure_rate_acceptable: checkPassed('failure_rate_acceptable'),
      watchdog_alerts_fired: checkPassed('watchdog_alerts_fired'),
      recovery_events_logged: checkPassed('recovery_events_logged'),
    },
    watchdog: {
      alerts_count: result.watchdog.alerts,
      recovery_events_count: result.watchdog.recoveryEvents,
    },
    timestamp: iso(result.endedAt),
  } satisfies Partial<ScenarioReport>;
}

/** One scenario's report: the SPEC's sections, then what the suite adds. */
export function scenarioReport(result: ScenarioResult): ScenarioReport {
  const { scenario, counts, watchdog, invariants } = result;
  const perPhase = <T>(pick: (phase: CountedPhase) => T): Record<CountedPhase, T> => ({
    baseline: pick('baseline'),
    chaos: pick('chaos'),
    recovery: pick('recovery'),
  });
  return {
    ...specSections(result),
    status: result.status,
    error: result.error ?? null,
    passed: result.passed,
    checks: result.checks.map(({ name, passed, skipped, detail }) => ({
      name,
      passed,
      skipped: skipped === true,
      detail,
    })),
    failed_checks: failedChecks(result),
    seed: result.seed,
    iteration: result.iteration,
    expected_failure_band: { min: scenario.failureBand.min, max: scenario.failureBand.max },
    target: scenario.target,
    target_traffic: {
      requests: result.targetTraffic.requests,
      failures: result.targetTraffic.failures,
    },
    phases: phases(result),
    latency_ms: perPhase((phase) => ({ ...counts[phase].latency })),
    orders_refused: {
      before_chaos: counts.baseline.refused,
      during_chaos: counts.chaos.refused,
      after_chaos: counts.recovery.refused,
    },
    diagnosis: {
      injected_failure_type: scenario.failureType,
      diagnosed_failure_type: watchdog.diagnosedFailureType,
      correct: watchdog.diagnosisCorrect,
      first_alert_ms: watchdog.firstAlertMs,
      actions: [...watchdog.actions],
      events: watchdog.events.map(({ at, kind, name }) => ({ time: iso(at), kind, name })),
    },
    invariants: invariants === undefined ? null : invariantsSection(invariants),
    ...evidenceSections(result),
    timeline: result.timeline.map((point) => ({
      second: point.second,
      phase: point.phase,
      orders: point.orders,
      failures: point.failures,
      refused: point.refused,
      p95_ms: point.p95Ms,
      target_requests: point.targetRequests,
      target_failures: point.targetFailures,
    })),
  };
}

const PHASE_ORDER: readonly PhaseName[] = ['baseline', 'chaos', 'recovery', 'verify'];

/** The phases the run reached, in run order whatever order the runner recorded them in. */
function phases(result: ScenarioResult): ScenarioReport['phases'] {
  const reached: ScenarioReport['phases'] = {};
  for (const name of PHASE_ORDER) {
    const window = result.phases[name];
    if (!window) continue;
    const endTime = window.endedAt === undefined ? null : iso(window.endedAt);
    reached[name] = { start_time: iso(window.startedAt), end_time: endTime };
  }
  return reached;
}

/**
 * The run's `chaos_summary.json`. `soak` decides the report file names it
 * lists; default: soak mode when the run had a soak duration.
 */
export function chaosSummary(
  run: ChaosRunInfo,
  results: readonly ScenarioResult[],
  options: { soak?: boolean } = {},
): ChaosSummary {
  const passed = results.filter((result) => result.passed).length;
  const skipped = results.filter((result) => result.status === 'skipped').length;
  const recoveryTimes = results
    .filter((result) => result.recovery.detected && result.recovery.seconds !== null)
    .map((result) => result.recovery.seconds ?? 0);
  const soak = options.soak ?? run.soakSeconds !== null;
  return {
    test_run: {
      timestamp: run.endedAt.toISOString(),
      duration_seconds: round1((run.endedAt.getTime() - run.startedAt.getTime()) / 1000),
      mode: run.mode,
      parallel: run.parallel,
      total_scenarios: results.length,
      scenarios_run: results.map((result) => result.scenario.name),
    },
    results: {
      passed_scenarios: passed,
      failed_scenarios: results.length - passed - skipped,
      // Of the scenarios that applied: a skipped one neither passed nor failed.
      pass_rate_percent:
        results.length === skipped ? 0 : round1((passed / (results.length - skipped)) * 100),
      average_recovery_time_seconds:
        recoveryTimes.length === 0 ? null : round1(mean(recoveryTimes)),
    },
    seed: run.seed,
    skipped_scenarios: skipped,
    soak_duration_seconds: run.soakSeconds,
    aborted: run.aborted,
    scenarios: reportFiles(results, soak).map(({ result, file }) => ({
      name: result.scenario.name,
      iteration: result.iteration,
      passed: result.passed,
      status: result.status,
      failed_checks: failedChecks(result),
      recovery_time_seconds: recoveryTimeSeconds(result),
      chaos_failure_rate: chaosFailureRate(result),
      report_file: file,
    })),
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
