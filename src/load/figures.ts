import { arch, cpus, platform, totalmem } from 'node:os';
import type { LatencyPercentiles } from '../common/index.js';
import { modelOf, plannedOrders, type LoadConfig } from './config.js';
import type { LoadRecorder, SecondRow } from './recorder.js';
import type { LoadResult, LoadTotals, MachineInfo } from './result.js';

/** The figures of a load run, from what its recorder saw. */

export function totalsOf(
  config: LoadConfig,
  recorder: LoadRecorder,
  seconds: readonly SecondRow[],
): LoadTotals {
  const activeMs =
    recorder.firstSentAt === undefined || recorder.lastSettledAt === undefined
      ? 0
      : recorder.lastSettledAt - recorder.firstSentAt;
  const activeSeconds = activeMs / 1000;
  return {
    planned: plannedOrders(config),
    intents: recorder.intents,
    placed: recorder.placed,
    failed: recorder.failed,
    late: recorder.late,
    dropped: recorder.dropped,
    failureRate: recorder.intents === 0 ? 0 : recorder.failed / recorder.intents,
    throughputPerSecond: activeSeconds > 0 ? recorder.placed / activeSeconds : 0,
    peakPerSecond: seconds.reduce((peak, row) => Math.max(peak, row.placed), 0),
    activeSeconds,
  };
}

type Latencies = Pick<
  LoadResult,
  'latencyMs' | 'uncorrectedLatencyMs' | 'serviceLatencyMs' | 'correctionIntervalMs'
>;

/**
 * Open model: latency already runs from each order's intended time. Closed
 * model: a slot that waited for a slow answer did not send the orders it
 * would have sent meanwhile; the correction adds them, taking the run's mean
 * latency as a slot's steady pace. Near the mean the correction also adds
 * short samples that would pull a percentile below what was measured, so
 * each figure is the larger of the two: never more optimistic than measured.
 */
export function latenciesOf(config: LoadConfig, recorder: LoadRecorder): Latencies {
  const measured = recorder.latency.percentiles();
  const service = recorder.service.percentiles();
  if (modelOf(config) === 'open')
    return {
      latencyMs: measured,
      uncorrectedLatencyMs: measured,
      serviceLatencyMs: service,
      correctionIntervalMs: null,
    };
  const interval = recorder.meanLatencyMs;
  const corrected = recorder.latency.correctedPercentiles(interval);
  return {
    latencyMs: worseOf(measured, corrected),
    uncorrectedLatencyMs: measured,
    serviceLatencyMs: service,
    correctionIntervalMs: interval,
  };
}

function worseOf(a: LatencyPercentiles, b: LatencyPercentiles): LatencyPercentiles {
  return {
    count: b.count,
    p50: Math.max(a.p50, b.p50),
    p90: Math.max(a.p90, b.p90),
    p95: Math.max(a.p95, b.p95),
    p99: Math.max(a.p99, b.p99),
    p999: Math.max(a.p999, b.p999),
    max: Math.max(a.max, b.max),
  };
}

export function machineInfo(): MachineInfo {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    nodeVersion: process.version,
    platform: platform(),
    arch: arch(),
    totalMemoryMb: Math.round(totalmem() / 1e6),
  };
}
