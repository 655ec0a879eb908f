import { roundedPercentiles } from '../common/index.js';
import type { LoadResult } from '../load/index.js';
import { parseReportFile } from './chaos-schema.js';
import { readRunFile, writeJsonAtomically } from './json-file.js';
import { LoadReportSchema, type LoadReport } from './load-schema.js';
import { invariantsSection } from './sections.js';

/** A load run as `load_test_results.json` holds it; figures rounded once, so table and file agree. */
export function loadReport(result: LoadResult): LoadReport {
  const { config, totals } = result;
  return {
    test_run: {
      kind: 'load',
      status: result.status,
      model: result.model,
      start_time: new Date(result.startedAt).toISOString(),
      end_time: new Date(result.finishedAt).toISOString(),
      duration_seconds: round((result.finishedAt - result.startedAt) / 1000, 3),
      warm_up_orders: result.warmUpOrders,
      error: result.error,
    },
    config: {
      strategies: config.strategies,
      orders_per_burst: config.ordersPerBurst,
      bursts: config.bursts,
      burst_interval_seconds: config.burstIntervalS,
      target_latency_ms: config.targetLatencyMs,
      target_failure_rate: config.targetFailureRate,
      target_throughput: config.targetThroughput,
      duration_seconds: config.durationS,
      ramp_up_seconds: config.rampUpS,
      cooldown_seconds: config.cooldownS,
      max_concurrent_orders: config.maxConcurrentOrders,
      rate: config.rate ?? null,
      seed: config.seed,
      quick: config.quick,
    },
    totals: {
      planned: totals.planned,
      intents: totals.intents,
      placed: totals.placed,
      failed: totals.failed,
      late: totals.late,
      dropped: totals.dropped,
      failure_rate: round(totals.failureRate, 6),
      throughput_per_second: round(totals.throughputPerSecond, 1),
      peak_per_second: totals.peakPerSecond,
      active_seconds: round(totals.activeSeconds, 3),
    },
    failures: result.failures,
    latency_ms: {
      ...roundedPercentiles(result.latencyMs),
      measured_from: result.model === 'open' ? 'intended_time' : 'send',
      coordinated_omission_interval_ms:
        result.correctionIntervalMs === null ? null : round(result.correctionIntervalMs, 3),
    },
    latency_uncorrected_ms: roundedPercentiles(result.uncorrectedLatencyMs),
    service_latency_ms: roundedPercentiles(result.serviceLatencyMs),
    throughput: result.seconds.map((row) => ({
      second: row.second,
      sent: row.sent,
      placed: row.placed,
      failed: row.failed,
      p95_ms: row.p95Ms === null ? null : round(row.p95Ms, 3),
    })),
    strategies: result.strategies.map((row) => ({
      id: row.id,
      intents: row.intents,
      placed: row.placed,
      failed: row.failed,
      latency_ms: roundedPercentiles(row.latencyMs),
    })),
    sla: result.sla.map((verdict) => ({ ...verdict, value: round(verdict.value, 6) })),
    passed: result.passed,
    invariants: result.invariants === null ? null : invariantsSection(result.invariants),
    engine:
      result.engine === null
        ? null
        : {
            outcomes: result.engine.outcomes,
            orders_by_status: result.engine.ordersByStatus,
            unresolved: result.engine.unresolved,
          },
    machine: {
      cores: result.machine.cores,
      cpu_model: result.machine.cpuModel,
      node_version: result.machine.nodeVersion,
      platform: result.machine.platform,
      arch: result.machine.arch,
      total_memory_mb: result.machine.totalMemoryMb,
      peak_rss_mb: result.peakRssMb,
    },
  };
}

/** Writes the report atomically (a temp file renamed into place). */
export async function writeLoadReport(path: string, report: LoadReport): Promise<void> {
  await writeJsonAtomically(path, report);
}

/** Reads a load report back; a ReportFileError names the file, and the field when one is bad. */
export async function readLoadReport(path: string): Promise<LoadReport> {
  return parseReportFile(LoadReportSchema, await readRunFile(path), path);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
