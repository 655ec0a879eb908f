import type { ScenarioReport } from '../report-types.js';
import {
  COLORS,
  latencyMs,
  percent,
  percentOf,
  perSecond,
  type ChartMarker,
  type ChartSpec,
} from './chart-spec.js';
import { escapeHtml } from './escape.js';
import { num } from './markup.js';

/**
 * Where a scenario's events sit on its timeline, in seconds since the
 * scenario started. The timeline starts with the scenario
 * (`execution.start_time`): point `second: n` counts what ended in
 * [n, n + 1) s and is plotted at n + 0.5. The phases' and the watchdog
 * events' ISO times map onto the same axis.
 */
export interface TimelineMarks {
  chaos: { from: number; to: number } | null;
  /**
   * Whether the watchdog marks below come from its logged events. When it
   * logged none: the first alert is chaos start + first_alert_ms (timed
   * from fault onset, so late when the fault started late) and the
   * recovery is recovery phase start + recovery_time_seconds.
   */
  exact: boolean;
  /** The faulted component's alerts. */
  alerts: number[];
  /** The recovery actions started, in time order. */
  actions: { at: number; name: string }[];
  /** The faulted component's recoveries. */
  recovered: number[];
}

export function timelineMarks(report: ScenarioReport): TimelineMarks {
  const origin = Date.parse(report.execution.start_time);
  const at = (iso: string) => (Date.parse(iso) - origin) / 1000;
  const { chaos, recovery } = report.phases;
  const chaosFrom = chaos === undefined ? null : at(chaos.start_time);
  const chaosWindow =
    chaos === undefined || chaosFrom === null
      ? null
      : { from: chaosFrom, to: at(chaos.end_time ?? report.execution.end_time) };
  const { events } = report.diagnosis;
  if (events.length > 0) {
    const times = (kind: (typeof events)[number]['kind']) =>
      events.filter((event) => event.kind === kind).map((event) => at(event.time));
    return {
      chaos: chaosWindow,
      exact: true,
      alerts: times('alert'),
      actions: events
        .filter((event) => event.kind === 'action')
        .map((event) => ({ at: at(event.time), name: event.name })),
      recovered: times('recovered'),
    };
  }
  const recoveryTime = report.execution.recovery_time_seconds;
  const alertMs = report.diagnosis.first_alert_ms;
  return {
    chaos: chaosWindow,
    exact: false,
    alerts: chaosFrom === null || alertMs === null ? [] : [chaosFrom + alertMs / 1000],
    actions: [],
    recovered:
      recovery === undefined || recoveryTime === null
        ? []
        : [at(recovery.start_time) + recoveryTime],
  };
}

/** The chart markers of the marks: alerts and recoveries labelled, actions thin and unlabelled. */
export function timelineMarkers(marks: TimelineMarks): ChartMarker[] {
  return [
    ...marks.alerts.map((at) => ({ at, label: 'alert', color: COLORS.alert, minor: false })),
    ...marks.actions.map(({ at, name }) => ({
      at,
      label: name,
      color: COLORS.action,
      minor: true,
    })),
    ...marks.recovered.map((at) => ({
      at,
      label: 'recovered',
      color: COLORS.recovery,
      minor: false,
    })),
  ].sort((a, b) => a.at - b.at);
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
  const markers = timelineMarkers(marks);
  const ends = [timeline.length, marks.chaos?.to ?? 0, ...markers.map((marker) => marker.at)];
  const common = {
    x,
    xRange: [0, Math.ceil(Math.max(...ends))] as [number, number],
    xLabel: 's since start',
    bands: marks.chaos === null ? [] : [{ ...marks.chaos, color: COLORS.chaos }],
    markers,
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

/** Times listed in the key before the rest are only counted. */
const KEY_TIMES = 6;

/** `4.2, 9.1 s`, the first KEY_TIMES of them, then how many more. */
function timesText(times: readonly number[]): string {
  const shown = times.slice(0, KEY_TIMES).map((time) => num(time));
  const more = times.length - shown.length;
  return `${shown.join(', ')} s${more > 0 ? ` and ${more} more` : ''}`;
}

/** The chart key for what is drawn on the canvas rather than listed in uPlot's legend. */
function chartKey(marks: TimelineMarks): string {
  const items: string[] = [];
  const rule = (color: string, text: string, minor = false) =>
    `<span><span class="rule${minor ? ' minor' : ''}" style="color:${color}"></span>${escapeHtml(text)}</span>`;
  if (marks.chaos !== null) {
    const { from, to } = marks.chaos;
    items.push(
      `<span><span class="swatch" style="background:${COLORS.chaos};outline:1px solid ${COLORS.failed}"></span>chaos window ${num(from)}–${num(to)} s</span>`,
    );
  }
  if (marks.alerts.length > 0) {
    const text = marks.exact
      ? `${marks.alerts.length === 1 ? 'alert' : `${marks.alerts.length} alerts`} at ${timesText(marks.alerts)}`
      : `first alert at ${timesText(marks.alerts)} (timed from fault onset)`;
    items.push(rule(COLORS.alert, text));
  }
  // Actions are unlabelled on the canvas: the key names them, by name in order of first start.
  const byName = new Map<string, number[]>();
  for (const { at, name } of marks.actions) byName.set(name, [...(byName.get(name) ?? []), at]);
  for (const [name, times] of byName)
    items.push(rule(COLORS.action, `action ${name} at ${timesText(times)}`, true));
  if (marks.recovered.length > 0) {
    const text = marks.exact
      ? `recovered (watchdog) at ${timesText(marks.recovered)}`
      : `recovered at ${timesText(marks.recovered)}`;
    items.push(rule(COLORS.recovery, text));
  }
  if (items.length === 0) return '';
  return `<div class="key">${items.join('')}</div>`;
}
