import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LatencyPercentiles } from '../common/index.js';
import { LOAD_DEFAULTS, type LoadResult } from '../load/index.js';
import { ReportFileError } from './chaos-schema.js';
import { loadReport, readLoadReport, writeLoadReport } from './load-report.js';
import { LoadReportSchema } from './load-schema.js';

const T0 = Date.UTC(2024, 2, 3, 4, 5, 6, 789);

function latency(count: number, scale = 1): LatencyPercentiles {
  return {
    count,
    p50: 12.34567 * scale,
    p90: 40.0004 * scale,
    p95: 61.23449 * scale,
    p99: 99.9996 * scale,
    p999: 140.1 * scale,
    max: 149.87654 * scale,
  };
}

/** A closed-model run of 2 strategies that passed, with a few rejections. */
function closedResult(overrides: Partial<LoadResult> = {}): LoadResult {
  return {
    status: 'completed',
    model: 'closed',
    config: { ...LOAD_DEFAULTS, strategies: 2, ordersPerBurst: 10, bursts: 3 },
    startedAt: T0,
    finishedAt: T0 + 4_123.4567,
    warmUpOrders: 37,
    totals: {
      planned: 60,
      intents: 60,
      placed: 57,
      failed: 3,
      late: 0,
      dropped: 0,
      failureRate: 3 / 60,
      throughputPerSecond: 57 / 2.987654,
      peakPerSecond: 21,
      activeSeconds: 2.987654,
    },
    failures: { 'rejected:-2010': 2, shed: 1 },
    latencyMs: latency(57, 1.1),
    uncorrectedLatencyMs: latency(57),
    serviceLatencyMs: latency(57, 0.5),
    correctionIntervalMs: 15.123456,
    seconds: [
      { second: 0, sent: 20, placed: 19, failed: 1, p95Ms: 55.55555 },
      { second: 1, sent: 20, placed: 21, failed: 0, p95Ms: 61.0001 },
      { second: 2, sent: 20, placed: 17, failed: 2, p95Ms: null },
    ],
    strategies: [
      { id: 's1', intents: 30, placed: 29, failed: 1, latencyMs: latency(29) },
      { id: 's2', intents: 30, placed: 28, failed: 2, latencyMs: latency(28) },
    ],
    sla: [
      {
        metric: 'p95_latency_ms',
        value: 67.357939,
        threshold: 150,
        comparison: '<=',
        passed: true,
        detail: 'intent to acknowledgement',
      },
      {
        metric: 'failure_rate',
        value: 3 / 60,
        threshold: 0.005,
        comparison: '<=',
        passed: false,
        detail: 'intents not placed, of all intents',
      },
      {
        metric: 'throughput_per_second',
        value: 57 / 2.987654,
        threshold: 100,
        comparison: '>=',
        passed: false,
        detail: 'placed orders per second, first send to last outcome',
      },
      {
        metric: 'invariants',
        value: 0,
        threshold: 0,
        comparison: '<=',
        passed: true,
        detail: 'journal and exchange agree',
      },
    ],
    passed: false,
    invariants: {
      lost: 0,
      duplicated: 0,
      unresolved: 0,
      mismatched: 0,
      exchangeOrders: 94,
      journalOrders: 94,
      ok: true,
      examples: [],
    },
    engine: {
      outcomes: { placed: 57, rejected: 2, abandoned: 0, unknown: 0, refused: 0, shed: 1 },
      ordersByStatus: {
        PENDING: 0,
        UNKNOWN: 0,
        NEW: 0,
        PARTIALLY_FILLED: 0,
        FILLED: 94,
        CANCELED: 0,
        EXPIRED: 0,
        REJECTED: 2,
        ABANDONED: 0,
      },
      unresolved: 0,
    },
    machine: {
      cores: 8,
      cpuModel: 'Test CPU @ 3.0GHz',
      nodeVersion: 'v20.19.0',
      platform: 'linux',
      arch: 'x64',
      totalMemoryMb: 16_384,
    },
    peakRssMb: 312,
    error: null,
    ...overrides,
  };
}

/** The same at a rate: no correction, late and dropped arrivals, stopped by Ctrl-C. */
function openResult(): LoadResult {
  const base = closedResult();
  return closedResult({
    status: 'aborted',
    model: 'open',
    config: { ...base.config, rate: 20, durationS: 3 },
    totals: { ...base.totals, late: 4, dropped: 1 },
    failures: { dropped: 1, 'rejected:-2010': 2 },
    correctionIntervalMs: null,
    invariants: null,
    engine: null,
    error: 'interrupted by SIGINT',
  });
}

describe('loadReport', () => {
  it('writes a report its own schema accepts, for both models', () => {
    expect(LoadReportSchema.safeParse(loadReport(closedResult())).success).toBe(true);
    expect(LoadReportSchema.safeParse(loadReport(openResult())).success).toBe(true);
  });

  it('names the run, its times and its configuration', () => {
    const report = loadReport(closedResult());
    expect(report.test_run).toEqual({
      kind: 'load',
      status: 'completed',
      model: 'closed',
      start_time: '2024-03-03T04:05:06.789Z',
      end_time: '2024-03-03T04:05:10.912Z',
      duration_seconds: 4.123,
      warm_up_orders: 37,
      error: null,
    });
    expect(report.config).toEqual({
      strategies: 2,
      orders_per_burst: 10,
      bursts: 3,
      burst_interval_seconds: 1,
      target_latency_ms: 150,
      target_failure_rate: 0.005,
      target_throughput: 100,
      duration_seconds: 300,
      ramp_up_seconds: 0,
      cooldown_seconds: 0,
      max_concurrent_orders: 1,
      rate: null,
      seed: 1,
      quick: false,
    });
  });

  it('rounds the figures once', () => {
    const report = loadReport(closedResult());
    expect(report.totals).toEqual({
      planned: 60,
      intents: 60,
      placed: 57,
      failed: 3,
      late: 0,
      dropped: 0,
      failure_rate: 0.05,
      throughput_per_second: 19.1,
      peak_per_second: 21,
      active_seconds: 2.988,
    });
    expect(report.latency_uncorrected_ms).toEqual({
      count: 57,
      p50: 12.346,
      p90: 40,
      p95: 61.234,
      p99: 100,
      p999: 140.1,
      max: 149.877,
    });
    expect(report.latency_ms.p95).toBe(67.358);
    expect(report.latency_ms.coordinated_omission_interval_ms).toBe(15.123);
    expect(report.service_latency_ms.max).toBe(74.938);
    expect(report.throughput.map((row) => row.p95_ms)).toEqual([55.556, 61, null]);
    expect(report.strategies[1]).toEqual({
      id: 's2',
      intents: 30,
      placed: 28,
      failed: 2,
      latency_ms: { ...report.latency_uncorrected_ms, count: 28 },
    });
    expect(report.sla.map((row) => row.value)).toEqual([67.357939, 0.05, 19.078514, 0]);
  });

  it('carries the failures, SLA lines, invariants and machine', () => {
    const report = loadReport(closedResult());
    expect(report.failures).toEqual({ 'rejected:-2010': 2, shed: 1 });
    expect(report.sla.map((row) => [row.metric, row.passed])).toEqual([
      ['p95_latency_ms', true],
      ['failure_rate', false],
      ['throughput_per_second', false],
      ['invariants', true],
    ]);
    expect(report.passed).toBe(false);
    expect(report.invariants).toMatchObject({ exchange_orders: 94, journal_orders: 94, ok: true });
    expect(report.machine).toEqual({
      cores: 8,
      cpu_model: 'Test CPU @ 3.0GHz',
      node_version: 'v20.19.0',
      platform: 'linux',
      arch: 'x64',
      total_memory_mb: 16_384,
      peak_rss_mb: 312,
    });
  });

  it('measures the closed model from the send, the open one from the intended time', () => {
    const closed = loadReport(closedResult());
    expect(closed.latency_ms.measured_from).toBe('send');
    const open = loadReport(openResult());
    expect(open.latency_ms.measured_from).toBe('intended_time');
    expect(open.latency_ms.coordinated_omission_interval_ms).toBeNull();
    expect(open.test_run).toMatchObject({
      status: 'aborted',
      model: 'open',
      error: 'interrupted by SIGINT',
    });
    expect(open.config.rate).toBe(20);
    expect(open.totals).toMatchObject({ late: 4, dropped: 1 });
    expect(open.invariants).toBeNull();
  });
});

describe('writeLoadReport and readLoadReport', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n1v1-load-report-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a report through its file', async () => {
    const path = join(dir, 'load_test_results.json');
    const report = loadReport(closedResult());
    await writeLoadReport(path, report);
    expect(await readLoadReport(path)).toEqual(report);
    // 2-space JSON with a trailing newline.
    const text = await readFile(path, 'utf8');
    expect(text.startsWith('{\n  "test_run": {\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('overwrites an older report', async () => {
    const path = join(dir, 'load_test_results.json');
    await writeLoadReport(path, loadReport(closedResult()));
    await writeLoadReport(path, loadReport(openResult()));
    expect((await readLoadReport(path)).test_run.model).toBe('open');
  });

  async function refusal(path: string): Promise<ReportFileError> {
    const error: unknown = await readLoadReport(path).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ReportFileError);
    return error as ReportFileError;
  }

  it('refuses a missing file', async () => {
    const path = join(dir, 'absent.json');
    const error = await refusal(path);
    expect(error.code).toBe('MISSING');
    expect(error.file).toBe(path);
    expect(error.message).toContain(path);
  });

  it('refuses a file that is not JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"test_run": ', 'utf8');
    expect((await refusal(path)).code).toBe('NOT_JSON');
  });

  it('refuses a report with a field missing, naming it', async () => {
    const path = join(dir, 'incomplete.json');
    const report = loadReport(closedResult());
    const totals: Partial<typeof report.totals> = { ...report.totals };
    delete totals.placed;
    await writeFile(path, JSON.stringify({ ...report, totals }), 'utf8');
    const error = await refusal(path);
    expect(error.code).toBe('INVALID');
    expect(error.fields).toEqual(['totals.placed']);
    expect(error.message).toContain('totals.placed');
  });

  it('refuses a report with a figure out of range', async () => {
    const path = join(dir, 'bad-rate.json');
    const report = loadReport(closedResult());
    await writeFile(
      path,
      JSON.stringify({ ...report, totals: { ...report.totals, failure_rate: 1.5 } }),
      'utf8',
    );
    const error = await refusal(path);
    expect(error.code).toBe('INVALID');
    expect(error.fields).toEqual(['totals.failure_rate']);
  });
});
