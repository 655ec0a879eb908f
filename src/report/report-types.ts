import type { PhaseName, RunStatus, ScenarioTarget, WatchdogEventKind } from '../chaos/index.js';
import type { LatencyPercentiles } from '../common/index.js';
import type { InvariantViolation } from '../stack/index.js';
import type { EvidenceSections } from './evidence-sections.js';

/** How a run was started; the summary's `test_run` comes from it. */
export interface ChaosRunInfo {
  startedAt: Date;
  endedAt: Date;
  mode: 'sequential' | 'random';
  parallel: boolean;
  seed: number;
  /** Length of a soak run, s; null when each scenario ran once. */
  soakSeconds: number | null;
  /** True when the run was interrupted (SIGINT/SIGTERM). */
  aborted: boolean;
}

/** The phases whose orders are counted: before, during and after the chaos window. */
export type CountedPhase = 'baseline' | 'chaos' | 'recovery';
type BeforeDuringAfter = { before_chaos: number; during_chaos: number; after_chaos: number };

/**
 * One scenario's JSON report: SPEC §4's sections with the seed's keys, in the
 * seed's order (timestamps ISO-8601 UTC, rates in percent, times in s), then
 * ours after them. Check names and failure types stay plain strings so that a
 * newer run directory still reads.
 */
export interface ScenarioReport extends EvidenceSections {
  scenario: {
    name: string;
    description: string;
    duration_seconds: number;
    expected_failure_rate: number;
    sla_recovery_time_seconds: number;
  };
  execution: {
    start_time: string;
    end_time: string;
    recovery_time_seconds: number | null;
    failure_injected: boolean;
    recovery_detected: boolean;
  };
  metrics: {
    orders_before_chaos: number;
    orders_during_chaos: number;
    orders_after_chaos: number;
    failures_before_chaos: number;
    failures_during_chaos: number;
    failures_after_chaos: number;
    chaos_failure_rate: number | null;
    recovery_successful: boolean;
  };
  validation: {
    recovery_detected: boolean;
    recovery_time_seconds: number | null;
    sla_met: boolean;
    failure_rate_acceptable: boolean;
    watchdog_alerts_fired: boolean;
    recovery_events_logged: boolean;
  };
  watchdog: { alerts_count: number; recovery_events_count: number };
  timestamp: string;
  status: RunStatus;
  error: string | null;
  passed: boolean;
  /** `skipped`: the system could not give the check's evidence (then `passed` is false and the run is not failed by it). */
  checks: { name: string; passed: boolean; skipped: boolean; detail: string }[];
  failed_checks: string[];
  seed: number;
  iteration: number;
  expected_failure_band: { min: number; max: number };
  target: ScenarioTarget;
  target_traffic: { requests: number; failures: number };
  /** Only the phases the run reached; end_time null when a phase was cut short. */
  phases: Partial<Record<PhaseName, { start_time: string; end_time: string | null }>>;
  latency_ms: Record<CountedPhase, LatencyPercentiles>;
  orders_refused: BeforeDuringAfter;
  diagnosis: {
    injected_failure_type: string;
    diagnosed_failure_type: string | null;
    correct: boolean | null;
    first_alert_ms: number | null;
    actions: string[];
    /** The watchdog's alerts, recovery actions and recoveries, in time order (at most 50). */
    events: { time: string; kind: WatchdogEventKind; name: string }[];
  };
  /** Null when the invariants were not checked (the run was aborted or broke first). */
  invariants: {
    lost: number;
    duplicated: number;
    unresolved: number;
    mismatched: number;
    exchange_orders: number;
    journal_orders: number;
    ok: boolean;
    examples: { kind: InvariantViolation['kind']; client_order_id: string; detail: string }[];
  } | null;
  timeline: {
    second: number;
    phase: PhaseName;
    orders: number;
    failures: number;
    refused: number;
    p95_ms: number | null;
    target_requests: number;
    target_failures: number;
  }[];
}

/** `chaos_summary.json`: SPEC §4's two sections, then ours. */
export interface ChaosSummary {
  test_run: {
    timestamp: string;
    duration_seconds: number;
    mode: ChaosRunInfo['mode'];
    parallel: boolean;
    total_scenarios: number;
    /** In run order; a soak run names a scenario once per iteration. */
    scenarios_run: string[];
  };
  results: {
    passed_scenarios: number;
    failed_scenarios: number;
    pass_rate_percent: number;
    /** Over the scenarios whose recovery was detected; null when none was. */
    average_recovery_time_seconds: number | null;
  };
  seed: number;
  /** Scenarios that did not apply to the system (e.g. a database outage for a bot with no database): neither passed nor failed. */
  skipped_scenarios: number;
  soak_duration_seconds: number | null;
  aborted: boolean;
  scenarios: {
    name: string;
    iteration: number;
    passed: boolean;
    status: RunStatus;
    failed_checks: string[];
    recovery_time_seconds: number | null;
    chaos_failure_rate: number | null;
    /** The scenario report's file name inside the run directory. */
    report_file: string;
  }[];
}
