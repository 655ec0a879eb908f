import type { LoadReport } from '../load-schema.js';
import { COLORS, latencyMs, perSecond, type ChartSpec } from './chart-spec.js';
import { escapeHtml } from './escape.js';
import { num, raw, table, type Cell } from './markup.js';

const PERCENTILES = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p99.9', 'p999'],
  ['max', 'max'],
] as const;

/**
 * Latency percentiles as a bar table: one bar per percentile, scaled to the
 * maximum, with the uncorrected and service-time figures beside it.
 */
export function latencyTable(report: LoadReport): string {
  const {
    latency_ms: latency,
    latency_uncorrected_ms: uncorrected,
    service_latency_ms: service,
  } = report;
  const top = Math.max(latency.max, 1e-9);
  const rows: Cell[][] = PERCENTILES.map(([label, key]) => [
    label,
    num(latency[key], 1),
    raw(
      `<div class="bar" style="width:${Math.min(100, (latency[key] / top) * 100).toFixed(1)}%"></div>`,
    ),
    num(uncorrected[key], 1),
    num(service[key], 1),
  ]);
  const interval = latency.coordinated_omission_interval_ms;
  const from =
    latency.measured_from === 'intended_time'
      ? 'measured from each order’s intended send time'
      : interval === null
        ? 'measured from send'
        : `measured from send, corrected for coordinated omission at ${num(interval)} ms`;
  const note = `${num(latency.count, 0)} orders, ${from}. Uncorrected: the same without the correction; service: from the engine’s hand-over to the acknowledgement.`;
  return `<p class="muted">${escapeHtml(note)}</p>${table(
    ['Percentile', 'ms', '', 'uncorrected ms', 'service ms'],
    rows,
    { id: 'latency-table', numeric: [1, 3, 4], classes: { 2: 'bar-cell' } },
  )}`;
}

/** Placed, failed and sent orders per second (left axis), p95 latency (right axis), the p95 SLA as a line. */
export function throughputChart(report: LoadReport): { spec: ChartSpec | null; html: string } {
  const rows = report.throughput;
  if (rows.length === 0)
    return { spec: null, html: '<p class="muted">No per-second rows were recorded.</p>' };
  const spec: ChartSpec = {
    id: 'chart-throughput',
    x: rows.map((row) => row.second + 0.5),
    xRange: [0, rows.length],
    xLabel: 's since start',
    axes: [
      { scale: 'count', label: 'orders/s', side: 'left', range: 'zero' },
      { scale: 'ms', label: 'p95 ms', side: 'right', range: 'zero' },
    ],
    series: [
      { label: 'placed/s', values: rows.map((r) => r.placed), ...perSecond(COLORS.orders) },
      { label: 'failed/s', values: rows.map((r) => r.failed), ...perSecond(COLORS.failed) },
      { label: 'sent/s', values: rows.map((r) => r.sent), ...perSecond(COLORS.refused, true) },
      { label: 'p95 latency', values: rows.map((r) => r.p95_ms), ...latencyMs(COLORS.latency) },
    ],
    bands: [],
    markers: [],
    thresholds: [
      {
        scale: 'ms',
        value: report.config.target_latency_ms,
        label: `p95 SLA ${num(report.config.target_latency_ms)} ms`,
        color: COLORS.threshold,
      },
    ],
    sync: null,
  };
  return { spec, html: `<div class="chart" id="${spec.id}"></div>` };
}

export function strategyTable(report: LoadReport): string {
  const rows: Cell[][] = report.strategies.map(({ id, intents, placed, failed, latency_ms: l }) => [
    id,
    num(intents, 0),
    num(placed, 0),
    num(failed, 0),
    ...(l.count === 0
      ? [null, null, null, null]
      : [num(l.p50), num(l.p95), num(l.p99), num(l.max)]),
  ]);
  return table(
    ['Strategy', 'Intents', 'Placed', 'Failed', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    rows,
    {
      id: 'strategy-table',
      numeric: [1, 2, 3, 4, 5, 6, 7],
    },
  );
}

/** Failures by kind, most frequent first. */
export function failureTable(report: LoadReport): string {
  const entries = Object.entries(report.failures).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return '<p class="ok">No failures.</p>';
  return table(
    ['Failure', 'Count'],
    entries.map(([kind, count]) => [kind, num(count, 0)]),
    { numeric: [1] },
  );
}
