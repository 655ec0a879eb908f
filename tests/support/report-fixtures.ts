import { join } from 'node:path';
import {
  scenarioChecks,
  type Check,
  type PhaseCounts,
  type ScenarioResult,
  type WorldVerdicts,
} from '../../src/chaos/index.js';
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

/** Text a page would run, or fetch, if a report's strings reached it unescaped. */
export const HOSTILE_OUTPUT = 'KeyError: <script>window.__pwned = 2</script> & "quoted"';

/** An external bot, stopped by the run with SIGTERM; it printed a few lines and kept its log. */
export function externalSystem(): NonNullable<ScenarioResult['system']> {
  return {
    kind: 'external',
    command: 'python3 bot.py --symbol BTCUSDT && echo <done>',
    exitCode: null,
    signal: 'SIGTERM',
    survived: true,
    runByThisTool: true,
    detail: 'ran until stopped; exited with signal SIGTERM',
    lastOutput: ['placing BUY 0.01 BTCUSDT', HOSTILE_OUTPUT, 'shutting down'],
    logFile: '/runs/chaos/rate_limit_flood-target.log',
    leftProcessesBehind: false,
  };
}

/**
 * What the world saw of that bot from `at` on: it resent an order blindly
 * after a timed-out answer, reused a client order id, sent one order 350 ms
 * into a 2 s Retry-After wait, and left one order resting; its intents file
 * names neither resend.
 */
export function externalVerdicts(at: number): WorldVerdicts {
  const ref = (orderId: number, clientOrderId: string, offsetMs: number, requestId: string) => ({
    ...{ orderId, clientOrderId, at: at + offsetMs, requestId },
  });
  const lostAnswer = {
    end: 'timedOut' as const,
    status: null,
    at: at + 4_000,
    endedAt: at + 9_000,
  };
  return {
    duplicates: {
      ordersAccepted: 40,
      lostAnswers: 1,
      duplicatesTotal: 2,
      duplicates: [
        {
          ...{ kind: 'blind_resend', apiKey: 'bot', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT' },
          ...{ quantity: '0.01', price: '50000', lostAnswer },
          original: ref(101, 'bot-101', 4_000, 'req-41'),
          duplicate: ref(102, 'bot-102', 9_500, 'req-45'),
        },
        {
          ...{ kind: 'client_order_id_reused', apiKey: 'bot', clientOrderId: 'bot-110' },
          symbol: 'ETHUSDT',
          original: ref(110, 'bot-110', 12_000, 'req-60'),
          duplicate: ref(111, 'bot-110', 12_400, 'req-61'),
        },
      ],
    },
    retryAfter: {
      windows: 3,
      bans: 0,
      violationsTotal: 1,
      violations: [
        {
          ...{ proxy: 'exchange', requestId: 'req-52', at: at + 6_350, insideMs: 350 },
          ...{ method: 'POST', path: '/api/v3/order' },
          window: { requestId: 'req-51', status: 429, endedAt: at + 6_000, retryAfterS: 2 },
        },
      ],
    },
    orphans: {
      total: 1,
      orders: [
        {
          ...{ symbol: 'BTCUSDT', orderId: 120, clientOrderId: 'bot-120', side: 'SELL' },
          ...{ price: '51000', remainingQty: '0.01', at: at + 20_000 },
        },
      ],
    },
  };
}

/**
 * `result()` for the external bot above: recovered in time, but it placed
 * orders twice and broke a Retry-After wait, so it fails; it keeps no
 * watchdog, so those checks are skipped. The checks are the runner's own.
 */
export function externalResult(name = 'rate_limit_flood'): ScenarioResult {
  const base = result(name, 2.5);
  const system = externalSystem();
  const verdicts = externalVerdicts(base.startedAt);
  const account: NonNullable<ScenarioResult['account']> = {
    verdict: { status: 'judged', passed: false, detail: '41 intent(s), 40 venue order(s)' },
    intents: {
      ...{
        intents: 41,
        ordersAccepted: 40,
        unknownOrders: 1,
        placedTwice: 1,
        mismatched: 0,
        unplaced: 2,
      },
      malformedLines: 0,
      examples: [
        'unknown order 102 (client id bot-102): BUY 0.01 BTCUSDT, no intent announced it',
        'intent bot-110 (line 12) placed twice: orders 110 and 111',
      ],
    },
  };
  const checks = scenarioChecks({
    ...{ scenario: base.scenario, recoverySeconds: 2.5, chaosFailureRate: 95, chaosRequests: 40 },
    ...{ refusalsUncounted: false, watchdog: undefined, expectFlat: false },
    ...{ system, account, verdicts },
  });
  const passed = checks.every((check) => check.passed || check.skipped === true);
  const watchdog = { ...base.watchdog, alerts: 0, recoveryEvents: 0 };
  return { ...base, watchdog, system, account, verdicts, checks, passed };
}

/** A database outage for a bot that uses no database: skipped after its baseline, nothing judged. */
export function skippedResult(): ScenarioResult {
  const base = result('database_outage', 0);
  return {
    ...base,
    status: 'skipped',
    error: 'the target uses no database',
    faultInjected: false,
    recovery: { detected: false, seconds: null },
    chaosFailureRate: null,
    system: externalSystem(),
    checks: [],
    passed: false,
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
