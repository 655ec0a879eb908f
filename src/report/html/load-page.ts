import type { LoadReport } from '../load-schema.js';
import { escapeHtml } from './escape.js';
import { failureTable, latencyTable, strategyTable, throughputChart } from './load-sections.js';
import { badge, facts, mark, num, table, withUnit, type Cell } from './markup.js';
import { htmlPage } from './page.js';

const SLA_NAMES: Record<LoadReport['sla'][number]['metric'], string> = {
  p95_latency_ms: 'p95 latency',
  failure_rate: 'Failure rate',
  throughput_per_second: 'Throughput',
  invariants: 'Invariant violations',
};

/**
 * A load run as one self-contained HTML page: SLA verdicts, totals, latency
 * percentiles, a per-second chart of placed and failed orders with p95
 * latency, failures by kind, and the per-strategy table.
 */
export function loadRunHtml(report: LoadReport): string {
  const chart = throughputChart(report);
  const body = [
    header(report),
    card('Service levels', slaTable(report)),
    card('Totals', totals(report)),
    card('Latency percentiles', latencyTable(report)),
    card('Throughput per second', chart.html),
    card('Failures', failureTable(report)),
    card('Strategies', strategyTable(report)),
    card('Machine', machine(report)),
  ].join('\n');
  return htmlPage({
    title: `Load run ${report.test_run.start_time}`,
    body,
    charts: chart.spec === null ? [] : [chart.spec],
  });
}

function card(title: string, html: string): string {
  return `<section class="card"><h2>${escapeHtml(title)}</h2>${html}</section>`;
}

function header(report: LoadReport): string {
  const { test_run: run, config } = report;
  const verdict = run.status === 'aborted' ? 'ABORTED' : report.passed ? 'PASS' : 'FAIL';
  const load =
    config.rate === null
      ? `closed model: ${config.strategies} strategies, ${config.bursts} bursts of ${config.orders_per_burst} every ${num(config.burst_interval_seconds)} s`
      : `open model: ${num(config.rate)} orders/s for ${num(config.duration_seconds)} s (ramp ${num(config.ramp_up_seconds)} s, cooldown ${num(config.cooldown_seconds)} s), ${config.strategies} strategies`;
  return `<header class="card">
<h1>Load run ${badge(verdict).html}</h1>
<p class="muted">${escapeHtml(run.start_time)} → ${escapeHtml(run.end_time)}</p>
${run.error === null ? '' : `<div class="banner">${escapeHtml(run.error)}</div>`}
${facts([
  ['Load', load],
  ['Duration', withUnit(run.duration_seconds, 's')],
  ['Warm-up orders', num(run.warm_up_orders, 0)],
  ['Seed', `${config.seed}${config.quick ? ' (quick)' : ''}`],
])}
</header>`;
}

/** A value in the SLA's own unit: the failure rate is a share in the JSON and a percentage here. */
function slaValue(metric: LoadReport['sla'][number]['metric'], value: number): string {
  if (metric === 'failure_rate') return `${num(value * 100, 3)} %`;
  if (metric === 'p95_latency_ms') return `${num(value, 1)} ms`;
  if (metric === 'throughput_per_second') return `${num(value, 1)} /s`;
  return num(value, 0);
}

function slaTable(report: LoadReport): string {
  const rows: Cell[][] = report.sla.map((row) => [
    SLA_NAMES[row.metric],
    slaValue(row.metric, row.value),
    `${row.comparison === '<=' ? '≤' : '≥'} ${slaValue(row.metric, row.threshold)}`,
    mark(row.passed, row.passed ? 'met' : 'missed'),
    row.detail,
  ]);
  return table(['SLA', 'Measured', 'Required', 'Verdict', 'Detail'], rows, {
    id: 'sla-table',
    numeric: [1, 2],
  });
}

function totals(report: LoadReport): string {
  const t = report.totals;
  return facts([
    ['Intents', `${num(t.intents, 0)} of ${num(t.planned, 0)} planned`],
    ['Placed', num(t.placed, 0)],
    ['Failed', `${num(t.failed, 0)} (${num(t.failure_rate * 100, 3)} %)`],
    ['Late / dropped', `${num(t.late, 0)} / ${num(t.dropped, 0)}`],
    [
      'Throughput',
      `${num(t.throughput_per_second)} placed/s over ${num(t.active_seconds)} s, peak ${num(t.peak_per_second, 0)}/s`,
    ],
    [
      'Invariants',
      report.invariants === null
        ? 'not checked'
        : mark(
            report.invariants.ok,
            report.invariants.ok
              ? 'ok'
              : `${report.invariants.lost} lost, ${report.invariants.duplicated} duplicated, ${report.invariants.unresolved} unresolved, ${report.invariants.mismatched} mismatched`,
          ),
    ],
  ]);
}

function machine(report: LoadReport): string {
  const m = report.machine;
  return facts([
    ['CPU', `${m.cores} × ${m.cpu_model}`],
    ['Memory', `${num(m.total_memory_mb, 0)} MB, peak RSS ${num(m.peak_rss_mb, 0)} MB`],
    ['Node', `${m.node_version} on ${m.platform}/${m.arch}`],
  ]);
}
