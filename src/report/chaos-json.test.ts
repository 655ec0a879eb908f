import { describe, expect, it } from 'vitest';
import type { Check, PhaseCounts, ScenarioResult } from '../chaos/index.js';
import { chaosSummary, scenarioReport } from './chaos-json.js';
import type { ChaosRunInfo } from './chaos-json.js';
import { ChaosSummarySchema, parseReportFile, ScenarioReportSchema } from './chaos-schema.js';

const T0 = Date.UTC(2023, 11, 1, 2, 0, 0);
const CHECK_NAMES: Check['name'][] = [
  'recovery_detected',
  'sla_met',
  'failure_rate_acceptable',
  'watchdog_alerts_fired',
  'recovery_events_logged',
  'invariants_hold',
];

function counts(orders: number, failures: number, refused = 0): PhaseCounts {
  const latency = { count: orders, p50: 1.5, p90: 2, p95: 2.5, p99: 4, p999: 9.1, max: 12 };
  return { orders, failures, refused, latency };
}

function checks(failed: Check['name'][] = []): Check[] {
  return CHECK_NAMES.map((name) => ({ name, passed: !failed.includes(name), detail: `${name}?` }));
}

/** A network partition that recovered in 25.26 s with every check passed. */
function passing(overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    scenario: {
      name: 'network_partition',
      description: 'Network partition causing 60s API timeouts',
      failureType: 'chaos_network_partition',
      target: 'exchange',
      baselineSeconds: 10,
      chaosSeconds: 60,
      recoveryTimeoutSeconds: 120,
      slaRecoverySeconds: 30,
      expectedFailureRate: 100,
      failureBand: { min: 90, max: 100 },
      recoveryTolerancePercent: 5,
      faults: [],
    },
    seed: 42,
    iteration: 1,
    status: 'completed',
    error: undefined,
    startedAt: T0,
    endedAt: T0 + 65_000,
    phases: {
      baseline: { startedAt: T0, endedAt: T0 + 10_000 },
      chaos: { startedAt: T0 + 10_000, endedAt: T0 + 70_000 },
      recovery: { startedAt: T0 + 70_000, endedAt: T0 + 95_260 },
      verify: { startedAt: T0 + 95_260, endedAt: T0 + 100_000 },
    },
    faultInjected: true,
    recovery: { detected: true, seconds: 25.26 },
    counts: { baseline: counts(150, 1), chaos: counts(0, 50, 3), recovery: counts(148, 1) },
    chaosFailureRate: 99.96,
    targetTraffic: { requests: 2500, failures: 2499 },
    watchdog: {
      alerts: 3,
      recoveryEvents: 1,
      actions: ['reconnect'],
      diagnosedFailureType: 'chaos_network_partition',
      diagnosisCorrect: true,
      firstAlertMs: 1200,
      events: [
        { at: T0 + 11_200, kind: 'alert', name: 'chaos_network_partition' },
        { at: T0 + 11_450, kind: 'action', name: 'reconnect' },
        { at: T0 + 95_260, kind: 'recovered', name: 'chaos_network_partition' },
      ],
    },
    system: undefined,
    account: undefined,
    verdicts: undefined,
    invariants: {
      lost: 0,
      duplicated: 0,
      unresolved: 0,
      mismatched: 0,
      exchangeOrders: 298,
      journalOrders: 298,
      ok: true,
      examples: [],
    },
    timeline: [
      {
        second: 0,
        phase: 'baseline',
        orders: 15,
        failures: 0,
        refused: 0,
        p95Ms: 2.5,
        targetRequests: 16,
        targetFailures: 0,
      },
    ],
    checks: checks(),
    passed: true,
    ...overrides,
  };
}

/** Recovered, but too slowly and at too low a failure rate; one duplicate order. */
function failing(): ScenarioResult {
  const base = passing();
  return passing({
    scenario: { ...base.scenario, name: 'rate_limit_flood', failureType: 'chaos_rate_limit' },
    recovery: { detected: true, seconds: 40 },
    chaosFailureRate: 12.34,
    invariants: {
      ...(base.invariants as NonNullable<ScenarioResult['invariants']>),
      duplicated: 1,
      ok: false,
      examples: [{ kind: 'duplicated', clientOrderId: 'c-7', detail: 'accepted 2 times' }],
    },
    checks: checks(['sla_met', 'failure_rate_acceptable', 'invariants_hold']),
    passed: false,
  });
}

/** Interrupted during the chaos window: no recovery, no invariants, nothing at the proxy. */
function aborted(): ScenarioResult {
  const base = passing();
  return passing({
    scenario: {
      ...base.scenario,
      name: 'database_outage',
      failureType: 'chaos_database_outage',
      target: 'database',
    },
    status: 'aborted',
    error: 'interrupted by SIGINT',
    endedAt: T0 + 20_000,
    phases: {
      baseline: { startedAt: T0, endedAt: T0 + 10_000 },
      chaos: { startedAt: T0 + 10_000, endedAt: undefined },
    },
    recovery: { detected: false, seconds: null },
    chaosFailureRate: null,
    targetTraffic: { requests: 0, failures: 0 },
    invariants: undefined,
    checks: checks(['recovery_detected', 'sla_met']).filter(
      (check) => check.name !== 'invariants_hold',
    ),
    passed: false,
  });
}

/** A copy of `value` without `key`, to break a report on purpose. */
function without<T extends object>(value: T, key: keyof T): Partial<T> {
  const copy: Partial<T> = { ...value };
  delete copy[key];
  return copy;
}

const run: ChaosRunInfo = {
  startedAt: new Date(T0),
  endedAt: new Date(T0 + 1_850_049),
  mode: 'sequential',
  parallel: false,
  seed: 42,
  soakSeconds: null,
  aborted: false,
};

describe('scenarioReport', () => {
  it('has exactly the SPEC sections and keys, in the seed order, before the extras', () => {
    const report = scenarioReport(passing());
    expect(Object.keys(report).slice(0, 6)).toEqual([
      'scenario',
      'execution',
      'metrics',
      'validation',
      'watchdog',
      'timestamp',
    ]);
    expect(Object.keys(report.scenario)).toEqual([
      'name',
      'description',
      'duration_seconds',
      'expected_failure_rate',
      'sla_recovery_time_seconds',
    ]);
    expect(Object.keys(report.execution)).toEqual([
      'start_time',
      'end_time',
      'recovery_time_seconds',
      'failure_injected',
      'recovery_detected',
    ]);
    expect(Object.keys(report.metrics)).toEqual([
      'orders_before_chaos',
      'orders_during_chaos',
      'orders_after_chaos',
      'failures_before_chaos',
      'failures_during_chaos',
      'failures_after_chaos',
      'chaos_failure_rate',
      'recovery_successful',
    ]);
    expect(Object.keys(report.validation)).toEqual([
      'recovery_detected',
      'recovery_time_seconds',
      'sla_met',
      'failure_rate_acceptable',
      'watchdog_alerts_fired',
      'recovery_events_logged',
    ]);
    expect(Object.keys(report.watchdog)).toEqual(['alerts_count', 'recovery_events_count']);
  });

  it('maps a passing run to the seed example values, rounded to 0.1', () => {
    const report = scenarioReport(passing());
    expect(report.scenario).toEqual({
      name: 'network_partition',
      description: 'Network partition causing 60s API timeouts',
      duration_seconds: 60,
      expected_failure_rate: 100,
      sla_recovery_time_seconds: 30,
    });
    expect(report.execution).toEqual({
      start_time: '2023-12-01T02:00:00.000Z',
      end_time: '2023-12-01T02:01:05.000Z',
      recovery_time_seconds: 25.3,
      failure_injected: true,
      recovery_detected: true,
    });
    expect(report.metrics).toEqual({
      orders_before_chaos: 150,
      orders_during_chaos: 0,
      orders_after_chaos: 148,
      failures_before_chaos: 1,
      failures_during_chaos: 50,
      failures_after_chaos: 1,
      chaos_failure_rate: 100,
      recovery_successful: true,
    });
    expect(report.validation).toEqual({
      recovery_detected: true,
      recovery_time_seconds: 25.3,
      sla_met: true,
      failure_rate_acceptable: true,
      watchdog_alerts_fired: true,
      recovery_events_logged: true,
    });
    expect(report.watchdog).toEqual({ alerts_count: 3, recovery_events_count: 1 });
    expect(report.timestamp).toBe('2023-12-01T02:01:05.000Z');
  });

  it('mirrors the checks in validation and lists the failed ones', () => {
    const report = scenarioReport(failing());
    expect(report.validation).toMatchObject({
      recovery_detected: true,
      sla_met: false,
      failure_rate_acceptable: false,
      watchdog_alerts_fired: true,
    });
    expect(report.failed_checks).toEqual(['sla_met', 'failure_rate_acceptable', 'invariants_hold']);
    expect(report.passed).toBe(false);
    expect(report.metrics.chaos_failure_rate).toBe(12.3);
    // Recovered, but into a duplicated order: not a successful recovery.
    expect(report.metrics.recovery_successful).toBe(false);
    expect(report.invariants?.examples).toEqual([
      { kind: 'duplicated', client_order_id: 'c-7', detail: 'accepted 2 times' },
    ]);
  });

  it('counts an absent check as failed', () => {
    const result = passing({
      checks: checks().filter((check) => check.name !== 'watchdog_alerts_fired'),
    });
    expect(scenarioReport(result).validation.watchdog_alerts_fired).toBe(false);
  });

  it('reports an aborted run with nulls where nothing was measured', () => {
    const report = scenarioReport(aborted());
    expect(report.status).toBe('aborted');
    expect(report.error).toBe('interrupted by SIGINT');
    expect(report.execution.recovery_time_seconds).toBeNull();
    expect(report.validation.recovery_time_seconds).toBeNull();
    expect(report.metrics.chaos_failure_rate).toBeNull();
    expect(report.metrics.recovery_successful).toBe(false);
    expect(report.invariants).toBeNull();
    expect(report.phases).toEqual({
      baseline: { start_time: '2023-12-01T02:00:00.000Z', end_time: '2023-12-01T02:00:10.000Z' },
      chaos: { start_time: '2023-12-01T02:00:10.000Z', end_time: null },
    });
  });

  it('adds the extras in snake case', () => {
    const report = scenarioReport(passing());
    expect(report).toMatchObject({
      status: 'completed',
      error: null,
      seed: 42,
      iteration: 1,
      expected_failure_band: { min: 90, max: 100 },
      target: 'exchange',
      target_traffic: { requests: 2500, failures: 2499 },
      orders_refused: { before_chaos: 0, during_chaos: 3, after_chaos: 0 },
      diagnosis: {
        injected_failure_type: 'chaos_network_partition',
        diagnosed_failure_type: 'chaos_network_partition',
        correct: true,
        first_alert_ms: 1200,
        actions: ['reconnect'],
        events: [
          { time: '2023-12-01T02:00:11.200Z', kind: 'alert', name: 'chaos_network_partition' },
          { time: '2023-12-01T02:00:11.450Z', kind: 'action', name: 'reconnect' },
          { time: '2023-12-01T02:01:35.260Z', kind: 'recovered', name: 'chaos_network_partition' },
        ],
      },
      invariants: { exchange_orders: 298, journal_orders: 298, ok: true },
    });
    expect(Object.keys(report.latency_ms)).toEqual(['baseline', 'chaos', 'recovery']);
    expect(Object.keys(report.phases)).toEqual(['baseline', 'chaos', 'recovery', 'verify']);
    expect(report.timeline[0]).toEqual({
      second: 0,
      phase: 'baseline',
      orders: 15,
      failures: 0,
      refused: 0,
      p95_ms: 2.5,
      target_requests: 16,
      target_failures: 0,
    });
  });

  it('writes every timestamp as ISO-8601 UTC ending in Z', () => {
    const report = scenarioReport(passing());
    const times = [
      report.execution.start_time,
      report.execution.end_time,
      report.timestamp,
      ...Object.values(report.phases).flatMap((phase) => [phase.start_time, phase.end_time]),
    ];
    for (const time of times) expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('ScenarioReportSchema', () => {
  const parse = (value: unknown) =>
    parseReportFile(ScenarioReportSchema, JSON.stringify(value), 'x_report.json');

  it('accepts every built report, and extra top-level sections', () => {
    for (const result of [passing(), failing(), aborted()]) {
      const report = scenarioReport(result);
      expect(ScenarioReportSchema.parse(report)).toEqual(report);
    }
    expect(() => parse({ ...scenarioReport(passing()), future_section: {} })).not.toThrow();
  });

  it("round-trips the watchdog's timed events, refuses a bad kind or a local time, and reads older reports without them", () => {
    const report = scenarioReport(passing());
    const parsed = parse(report);
    expect(parsed.diagnosis.events).toEqual(report.diagnosis.events);
    expect(parsed.diagnosis.events.map((event) => Date.parse(event.time))).toEqual(
      passing().watchdog.events.map((event) => event.at),
    );
    const withEvent = (event: object) => ({
      ...report,
      diagnosis: { ...report.diagnosis, events: [event] },
    });
    const event = { time: '2023-12-01T02:00:11.200Z', kind: 'alert', name: 'x' };
    expect(() => parse(withEvent({ ...event, kind: 'page' }))).toThrow(
      /diagnosis\.events\.0\.kind/,
    );
    expect(() => parse(withEvent({ ...event, time: '2023-12-01T03:00:11.200+01:00' }))).toThrow(
      /diagnosis\.events\.0\.time/,
    );
    // An older report, written before events were recorded, still reads: with none.
    expect(
      parse({ ...report, diagnosis: without(report.diagnosis, 'events') }).diagnosis.events,
    ).toEqual([]);
  });

  it('rejects a missing SPEC key and names it', () => {
    const validation = without(scenarioReport(passing()).validation, 'sla_met');
    expect(() => parse({ ...scenarioReport(passing()), validation })).toThrow(
      /x_report\.json: missing field validation\.sla_met/,
    );
  });

  it('rejects a renamed SPEC key, naming both the old and the new name', () => {
    const { duration_seconds, ...scenario } = scenarioReport(passing()).scenario;
    const renamed = {
      ...scenarioReport(passing()),
      scenario: { ...scenario, duration: duration_seconds },
    };
    expect(() => parse(renamed)).toThrow(/missing field scenario\.duration_seconds/);
    expect(() => parse(renamed)).toThrow(/unexpected field scenario\.duration/);
  });

  it('rejects a wrong type or a timestamp without Z, naming the field', () => {
    const report = scenarioReport(passing());
    const wrongType = { ...report, metrics: { ...report.metrics, chaos_failure_rate: '100' } };
    expect(() => parse(wrongType)).toThrow(/metrics\.chaos_failure_rate: .*expected number/);
    expect(() => parse({ ...report, timestamp: '2023-12-01T02:01:05+01:00' })).toThrow(
      /timestamp: /,
    );
    expect(() => parse(without(report, 'timestamp'))).toThrow(/missing field timestamp/);
  });
});

describe('chaosSummary', () => {
  const results = [passing(), failing(), aborted()];

  it('has exactly the SPEC sections and keys', () => {
    const summary = chaosSummary(run, results);
    expect(Object.keys(summary).slice(0, 2)).toEqual(['test_run', 'results']);
    expect(Object.keys(summary.test_run)).toEqual([
      'timestamp',
      'duration_seconds',
      'mode',
      'parallel',
      'total_scenarios',
      'scenarios_run',
    ]);
    expect(Object.keys(summary.results)).toEqual([
      'passed_scenarios',
      'failed_scenarios',
      'pass_rate_percent',
      'average_recovery_time_seconds',
    ]);
    expect(ChaosSummarySchema.parse(summary)).toEqual(summary);
  });

  it('counts passes and averages recovery over the detected ones only', () => {
    const summary = chaosSummary(run, results);
    expect(summary.test_run).toEqual({
      timestamp: '2023-12-01T02:30:50.049Z',
      duration_seconds: 1850,
      mode: 'sequential',
      parallel: false,
      total_scenarios: 3,
      scenarios_run: ['network_partition', 'rate_limit_flood', 'database_outage'],
    });
    // (25.26 + 40) / 2 = 32.63; the aborted run's undetected recovery does not count as 0.
    expect(summary.results).toEqual({
      passed_scenarios: 1,
      failed_scenarios: 2,
      pass_rate_percent: 33.3,
      average_recovery_time_seconds: 32.6,
    });
  });

  it('gives 0 % and no average for a run without results', () => {
    const summary = chaosSummary({ ...run, aborted: true }, []);
    expect(summary.results).toEqual({
      passed_scenarios: 0,
      failed_scenarios: 0,
      pass_rate_percent: 0,
      average_recovery_time_seconds: null,
    });
    expect(summary.aborted).toBe(true);
    expect(summary.scenarios).toEqual([]);
  });

  it('lists each scenario with its report file, iteration-named in soak mode', () => {
    const soak = { ...run, soakSeconds: 3600 };
    const summary = chaosSummary(soak, [passing(), passing({ iteration: 2 })]);
    expect(summary.soak_duration_seconds).toBe(3600);
    expect(summary.test_run.scenarios_run).toEqual(['network_partition', 'network_partition']);
    expect(summary.scenarios.map((scenario) => scenario.report_file)).toEqual([
      'network_partition_001_report.json',
      'network_partition_002_report.json',
    ]);
    expect(summary.scenarios[0]).toEqual({
      name: 'network_partition',
      iteration: 1,
      passed: true,
      status: 'completed',
      failed_checks: [],
      recovery_time_seconds: 25.3,
      chaos_failure_rate: 100,
      report_file: 'network_partition_001_report.json',
    });
  });

  it('gives a scenario that ran twice outside soak mode distinct file names', () => {
    const summary = chaosSummary(run, [passing(), failing(), passing({ iteration: 2 })]);
    expect(summary.scenarios.map((scenario) => scenario.report_file)).toEqual([
      'network_partition_001_report.json',
      'rate_limit_flood_001_report.json',
      'network_partition_002_report.json',
    ]);
    expect(() => chaosSummary(run, [passing(), passing()])).toThrow(/share a scenario/);
  });
});
