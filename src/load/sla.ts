import type { LoadConfig } from './config.js';

export type SlaMetric = 'p95_latency_ms' | 'failure_rate' | 'throughput_per_second' | 'invariants';

/** One SLA line: what was measured against what it had to be. */
export interface SlaVerdict {
  metric: SlaMetric;
  value: number;
  threshold: number;
  comparison: '<=' | '>=';
  passed: boolean;
  /** In words, for the table and the JSON. */
  detail: string;
}

export interface SlaMeasurements {
  p95LatencyMs: number;
  /** Placed orders; with none, latency means nothing and fails. */
  placed: number;
  failureRate: number;
  throughputPerSecond: number;
  invariants: { passed: boolean; detail: string; violations: number };
}

/** SPEC §2's three SLAs, and the invariants no load may break. */
export function judgeSla(config: LoadConfig, measured: SlaMeasurements): SlaVerdict[] {
  return [
    {
      metric: 'p95_latency_ms',
      value: measured.p95LatencyMs,
      threshold: config.targetLatencyMs,
      comparison: '<=',
      passed: measured.placed > 0 && measured.p95LatencyMs <= config.targetLatencyMs,
      detail: measured.placed > 0 ? 'intent to acknowledgement' : 'no order was placed',
    },
    {
      metric: 'failure_rate',
      value: measured.failureRate,
      threshold: config.targetFailureRate,
      comparison: '<=',
      passed: measured.failureRate <= config.targetFailureRate,
      detail: 'intents not placed, of all intents',
    },
    {
      metric: 'throughput_per_second',
      value: measured.throughputPerSecond,
      threshold: config.targetThroughput,
      comparison: '>=',
      passed: measured.throughputPerSecond >= config.targetThroughput,
      detail: 'placed orders per second, first send to last outcome',
    },
    {
      metric: 'invariants',
      value: measured.invariants.violations,
      threshold: 0,
      comparison: '<=',
      passed: measured.invariants.passed,
      detail: measured.invariants.detail,
    },
  ];
}
