import type { ScenarioReport } from '../report-types.js';
import { COLORS, latencyMs, percent, percentOf, perSecond, type ChartSpec } from './chart-spec.js';
import { escapeHtml } from './escape.js';
import { num } from './markup.js';

/**
 * Where a scenario's events sit on its timeline, in seconds since the
 * scenario started. The timeline starts with the scenario
 * (`execution.start_time`): point `second: n` counts what ended in
 * [n, n + 1) s and is plotted at n + 0.5. The phases' ISO times map onto
 * the same axis.
 */
export interface TimelineMarks {
  chaos: { from: number; to: number } | null;
  /** Chaos start + first_alert_ms (the watchdog times its alert from fault onset). */
  firstAlert: number | null;
  /** Recovery phase start (faults removed) + recovery_time_seconds. */
  recovered: number | null;
}

export function timelineMarks(report: ScenarioReport): TimelineMarks {
  const origin = Date.parse(report.execution.start_time);
  const at = (iso: string) => (Date.parse(iso) - origin) / 1000;
  const { chaos, recovery } = report.phases;
  const chaosFrom = chaos === undefined ? null : at(chaos.start_time);
  const recoveryTime = report.execution.recovery_time_seconds;
  const alertMs = report.diagnosis.first_alert_ms;
  return {
    chaos:
      chaos === undefined || chaosFrom === null
        ? null
        : { from: chaosFrom, to: at(chaos.end_time ?? report.execution.end_time) },
    firstAlert: chaosFrom === null || alertMs === null ? null : chaosFrom + alertMs / 1000,
    recovered:
      recovery === undefined || recoveryTime === null
        ? null
        : at(recovery.start_time) + recoveryTime,
  };
}

/** The two synced charts of one scenario (orders and latency; failure rates), and their key. */
export function scenarioCharts(
  report: ScenarioReport,
  id: string,
): { specs: ChartSpec[]; html: string } {
  const { timeline } = report;
  if (timeline.length === 0)
    return { specs: [], html: '<p class="muted">No timeline was recorded.</p>' };
  const marks = timelineMarks(report);
  const x = timeline.map((point) => point.second + 0.5);
  const ends = [timeline.length, marks.chaos?.to ?? 0, marks.firstAlert ?? 0, marks.recovered ?? 0];
  const common = {
    x,
    xRange: [0, Math.ceil(Math.max(...ends))] as [number, number],
    xLabel: 's since start',
    bands: marks.chaos === null ? [] : [{ ...marks.chaos, color: COLORS.chaos }],
    markers: [
      ...(marks.firstAlert === null
        ? []
        : [{ at: marks.firstAlert, label: 'first alert', color: COLORS.alert }]),
      ...(marks.recovered === null
        ? []
        : [{ at: marks.recovered, label: 'recovered', color: COLORS.recovery }]),
    ],
    thresholds: [],
    sync: id,
  };
  const target = report.target;
  const specs: ChartSpec[] = [
    {
      ...common,
      id: `${id}-orders`,
      axes: [
        { scale: 'count', label: 'orders/s', side: 'left', range: 'zero' },
        { scale: 'ms', label: 'p95 ms', side: 'right', range: 'zero' },
      ],
      series: [
        { label: 'placed/s', values: timeline.map((p) => p.orders), ...perSecond(COLORS.orders) },
        {
          label: 'refused/s',
          values: timeline.map((p) => p.refused),
          ...perSecond(COLORS.refused, true),
        },
        {
          label: 'p95 latency',
          values: timeline.map((p) => p.p95_ms),
          ...latencyMs(COLORS.latency),
        },
      ],
    },
    {
      ...common,
      id: `${id}-failures`,
      axes: [{ scale: 'pct', label: 'failed %', side: 'left', range: 'percent' }],
      series: [
        {
          label: 'orders failed ÷ (placed + failed)',
          values: timeline.map((p) => percentOf(p.failures, p.orders + p.failures)),
          ...percent(COLORS.failed),
        },
        {
          label: `${target} requests failed ÷ sent (proxy)`,
          values: timeline.map((p) => percentOf(p.target_failures, p.target_requests)),
          ...percent(COLORS.target, true),
        },
      ],
    },
  ];
  const chart = (spec: ChartSpec, title: string) =>
    `<h3>${escapeHtml(title)}</h3><div class="chart" id="${escapeHtml(spec.id)}"></div>`;
  const [orders, failures] = specs as [ChartSpec, ChartSpec];
  return {
    specs,
    html: [
      chart(orders, 'Orders per second and p95 latency'),
      chart(failures, 'Failure rate per second'),
      chartKey(marks),
    ].join('\n'),
  };
}

/** The chart key for what is drawn on the canvas rather than listed in uPlot's legend. */
function chartKey(marks: TimelineMarks): string {
  const items: string[] = [];
  if (marks.chaos !== null) {
    const { from, to } = marks.chaos;
    items.push(
      `<span><span class="swatch" style="background:${COLORS.chaos};outline:1px solid ${COLORS.failed}"></span>chaos window ${num(from)}–${num(to)} s</span>`,
    );
  }
  if (marks.firstAlert !== null)
    items.push(
      `<span><span class="rule" style="color:${COLORS.alert}"></span>first alert at ${num(marks.firstAlert)} s</span>`,
    );
  if (marks.recovered !== null)
    items.push(
      `<span><span class="rule" style="color:${COLORS.recovery}"></span>recovered at ${num(marks.recovered)} s</span>`,
    );
  if (items.length === 0) return '';
  return `<div class="key">${items.join('')}</div>`;
}
