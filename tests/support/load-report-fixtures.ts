import { LoadReportSchema, type LoadReport } from '../../src/report/load-schema.js';

/** Load reports as `n1v1 load` writes them, checked by the schema, for tests of what reads them. */

const loadLatency = { count: 57, p50: 12.3, p90: 40, p95: 61.2, p99: 100, p999: 140.1, max: 149.9 };

/** A closed-model load run that placed 57 of 60 orders and missed its failure-rate and throughput SLAs. */
export function closedLoadReport(overrides: Partial<LoadReport> = {}): LoadReport {
  const sla = (metric: string, value: number, threshold: number, passed: boolean) => ({
    metric,
    value,
    threshold,
    comparison: metric === 'throughput_per_second' ? '>=' : '<=',
    passed,
    detail: `${metric} detail`,
  });
  return LoadReportSchema.parse({
    test_run: {
      kind: 'load',
      status: 'completed',
      model: 'closed',
      start_time: '2024-03-03T04:05:06.789Z',
      end_time: '2024-03-03T04:05:10.912Z',
      duration_seconds: 4.123,
      warm_up_orders: 37,
      error: null,
    },
    config: {
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
    },
    totals: {
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
    },
    failures: { 'rejected:-2010': 2, shed: 1 },
    latency_ms: { ...loadLatency, measured_from: 'send', coordinated_omission_interval_ms: 15.1 },
    latency_uncorrected_ms: loadLatency,
    service_latency_ms: loadLatency,
    throughput: [{ second: 0, sent: 20, placed: 19, failed: 1, p95_ms: 55.6 }],
    strategies: [{ id: 's1', intents: 60, placed: 57, failed: 3, latency_ms: loadLatency }],
    sla: [
      sla('p95_latency_ms', 61.2, 150, true),
      sla('failure_rate', 0.05, 0.005, false),
      sla('throughput_per_second', 19.1, 100, false),
      sla('invariants', 0, 0, true),
    ],
    passed: false,
    invariants: null,
    engine: null,
    machine: {
      cores: 8,
      cpu_model: 'Test CPU',
      node_version: 'v20.19.0',
      platform: 'linux',
      arch: 'x64',
      total_memory_mb: 16384,
      peak_rss_mb: 312,
    },
    ...overrides,
  });
}

/** The same run in the open model: measured from intended times, 4 late, 1 dropped, throughput met. */
export function openLoadReport(overrides: Partial<LoadReport> = {}): LoadReport {
  const closed = closedLoadReport();
  return closedLoadReport({
    test_run: { ...closed.test_run, model: 'open' },
    config: { ...closed.config, rate: 20 },
    totals: { ...closed.totals, late: 4, dropped: 1 },
    latency_ms: {
      ...closed.latency_ms,
      measured_from: 'intended_time',
      coordinated_omission_interval_ms: null,
    },
    sla: closed.sla.map((line) =>
      line.metric === 'throughput_per_second' ? { ...line, passed: true } : line,
    ),
    ...overrides,
  });
}
