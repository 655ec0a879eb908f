import { z } from 'zod';
import { count, invariantsSchema, latencySchema, seconds } from './sections.js';

/**
 * `load_test_results.json`: what `n1v1 load` writes and `readLoadReport`
 * reads back. SPEC §2 names its contents (totals, percentiles, per-strategy
 * stats, error counts, per-second throughput); the names follow the chaos
 * reports' snake_case.
 */

const share = z.number().min(0).max(1);
const utcTime = z.iso.datetime();

const strategyRow = z.object({
  id: z.string().min(1),
  intents: count,
  placed: count,
  failed: count,
  latency_ms: latencySchema,
});

const secondRow = z.object({
  second: count,
  sent: count,
  placed: count,
  failed: count,
  p95_ms: seconds.nullable(),
});

const slaRow = z.object({
  metric: z.enum(['p95_latency_ms', 'failure_rate', 'throughput_per_second', 'invariants']),
  value: z.number(),
  threshold: z.number(),
  comparison: z.enum(['<=', '>=']),
  passed: z.boolean(),
  detail: z.string(),
});

export const LoadReportSchema = z.looseObject({
  test_run: z.object({
    kind: z.literal('load'),
    status: z.enum(['completed', 'aborted']),
    model: z.enum(['closed', 'open']),
    start_time: utcTime,
    end_time: utcTime,
    duration_seconds: seconds,
    warm_up_orders: count,
    error: z.string().nullable(),
  }),
  config: z.object({
    strategies: count,
    orders_per_burst: count,
    bursts: count,
    burst_interval_seconds: seconds,
    target_latency_ms: seconds,
    target_failure_rate: share,
    target_throughput: seconds,
    duration_seconds: seconds,
    ramp_up_seconds: seconds,
    cooldown_seconds: seconds,
    max_concurrent_orders: count,
    rate: seconds.nullable(),
    seed: count,
    quick: z.boolean(),
  }),
  totals: z.object({
    planned: count,
    intents: count,
    placed: count,
    failed: count,
    late: count,
    dropped: count,
    failure_rate: share,
    throughput_per_second: seconds,
    peak_per_second: count,
    active_seconds: seconds,
  }),
  failures: z.record(z.string(), count),
  latency_ms: latencySchema.extend({
    measured_from: z.enum(['send', 'intended_time']),
    coordinated_omission_interval_ms: seconds.nullable(),
  }),
  latency_uncorrected_ms: latencySchema,
  service_latency_ms: latencySchema,
  throughput: z.array(secondRow),
  strategies: z.array(strategyRow),
  sla: z.array(slaRow),
  passed: z.boolean(),
  invariants: invariantsSchema.nullable(),
  /** The engine's own count of its intents' outcomes and its journal's final states; null when it did not stop cleanly. */
  engine: z
    .object({
      outcomes: z.record(z.string(), count),
      orders_by_status: z.record(z.string(), count),
      unresolved: count,
    })
    .nullable(),
  machine: z.object({
    cores: count,
    cpu_model: z.string(),
    node_version: z.string(),
    platform: z.string(),
    arch: z.string(),
    total_memory_mb: count,
    peak_rss_mb: count,
  }),
});

export type LoadReport = z.infer<typeof LoadReportSchema>;
