import { join } from 'node:path';
import type { Check, PhaseCounts, ScenarioResult } from '../../src/chaos/index.js';
import { LOAD_DEFAULTS, type LoadResult } from '../../src/load/index.js';
import { loadReport, writeChaosRun, writeLoadReport } from '../../src/report/index.js';

/** Finished chaos and load runs, written by the real report writers, for tests of what reads them. */

export const T0 = Date.UTC(2024, 4, 6, 2, 0, 0);

function counts(orders: number, failures: number): PhaseCounts {
  const latency = { count: orders, p50: 1, p90: 2, p95: 3, p99: 4, p999: 5, max: 6 };
  return { orders, failures, refused: 0, latency };
}

/** A finished scenario run; `failed` names the checks that did not hold. */
export function result(
  name: string,
  recoverySeconds: number,
  failed: Check['name'][] = [],
): ScenarioResult {
  const names: Check['name'][] = ['recovery_detected', 'sla_met', 'invariants_hold'];
  return {
    scenario: {
      name,
      description: `${name} scenario`,
      failureType: name === 'rate_limit_flood' ? 'chaos_rate_limit' : 'chaos_network_partition',
      target: 'exchange',
      baselineSeconds: 3,
      chaosSeconds: 5,
      recoveryTimeoutSeconds: 120,
      slaRecoverySeconds: 30,
      expectedFailureRate: 100,
      failureBand: { min: 90, max: 100 },
      recoveryTolerancePercent: 10,
      faults: [],
    },
    seed: 7,
    iteration: 1,
    status: 'completed',
    error: undefined,
    startedAt: T0,
    endedAt: T0 + 40_000,
    phases: { baseline: { startedAt: T0, endedAt: T0 + 3_000 } },
    faultInjected: true,
    recovery: { detected: true, seconds: recoverySeconds },
    counts: { baseline: counts(50, 0), chaos: counts(10, 30), recovery: counts(48, 1) },
    chaosFailureRate: 95,
    targetTraffic: { requests: 100, failures: 95 },
    watchdog: {
      alerts: 2,
      recoveryEvents: 1,
      actions: [],
      diagnosedFailureType: null,
      diagnosisCorrect: null,
      firstAlertMs: null,
      events: [],
    },
    system: undefined,
    account: undefined,
    verdicts: undefined,
    invariants: undefined,
    timeline: [],
    checks: names.map((check) => ({ name: check, passed: !failed.includes(check), detail: '' })),
    passed: failed.length === 0,
  };
}

/** A chaos run directory written by the real writer, in `dir`. */
export async function writeRun(dir: string, results: ScenarioResult[]): Promise<string> {
  const run = {
    startedAt: new Date(T0),
    endedAt: new Date(T0 + 80_000),
    ...({
      mode: 'sequential',
      parallel: false,
      seed: 7,
      soakSeconds: null,
      aborted: false,
    } as const),
  };
  return writeChaosRun(dir, run, results);
}

/** A load run that met its latency SLA and missed throughput. */
export async function writeLoadFile(dir: string): Promise<string> {
  const latency = { count: 57, p50: 10, p90: 40, p95: 61.5, p99: 99, p999: 140, max: 150 };
  const sla = (metric: LoadResult['sla'][number]['metric'], value: number, passed: boolean) =>
    ({ metric, value, threshold: 100, comparison: '<=', passed, detail: '' }) as const;
  const result: LoadResult = {
    status: 'completed',
    model: 'closed',
    config: { ...LOAD_DEFAULTS, seed: 11 },
    startedAt: T0,
    finishedAt: T0 + 4_000,
    warmUpOrders: 10,
    totals: {
      ...{ planned: 60, intents: 60, placed: 57, failed: 3, late: 0, dropped: 0 },
      ...{ failureRate: 0.05, throughputPerSecond: 19, peakPerSecond: 21, activeSeconds: 3 },
    },
    failures: { shed: 3 },
    latencyMs: latency,
    uncorrectedLatencyMs: latency,
    serviceLatencyMs: latency,
    correctionIntervalMs: null,
    seconds: [],
    strategies: [],
    sla: [sla('p95_latency_ms', 61.5, true), sla('throughput_per_second', 19, false)],
    passed: false,
    invariants: null,
    engine: null,
    machine: {
      ...{ cores: 4, cpuModel: 'cpu', nodeVersion: 'v20.19.0', platform: 'linux', arch: 'x64' },
      totalMemoryMb: 8192,
    },
    peakRssMb: 200,
    error: null,
  };
  const path = join(dir, 'load_test_results.json');
  await writeLoadReport(path, loadReport(result));
  return path;
}
