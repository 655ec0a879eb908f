import type { ScenarioReport } from '../report-types.js';
import { scenarioCharts } from './chaos-charts.js';
import type { ChartSpec } from './chart-spec.js';
import { checksSection } from './chaos-checks.js';
import { systemSection, worldEvidence } from './chaos-evidence.js';
import { escapeHtml } from './escape.js';
import { badge, facts, mark, num, table, verdictOf, withUnit, type Cell } from './markup.js';

/** The anchor of a report's section; the summary table links to it. */
export function sectionId(report: ScenarioReport, index: number): string {
  const slug = report.scenario.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  return `scenario-${index + 1}-${slug}`;
}

/**
 * One scenario's section: charts, outcome, checks, the system under test and
 * the evidence against it, per-phase counts, invariants. A skipped scenario
 * judged nothing: it says why, and shows only what was seen of the system.
 */
export function scenarioSection(
  report: ScenarioReport,
  index: number,
): { html: string; specs: ChartSpec[] } {
  const id = sectionId(report, index);
  const charts = scenarioCharts(report, `chart-${index + 1}`);
  const iteration =
    report.iteration > 1 ? ` <span class="muted">run ${report.iteration}</span>` : '';
  const skipped = report.status === 'skipped';
  const judged = skipped
    ? ''
    : `<h3>Outcome</h3>
${outcome(report)}
${checksSection(report)}`;
  const counts = skipped
    ? ''
    : `<h3>Orders by phase</h3>\n${phaseTable(report)}\n${invariants(report)}`;
  const html = `<section class="card" id="${escapeHtml(id)}">
<h2>${escapeHtml(report.scenario.name)}${iteration} ${badge(verdictOf(report.status, report.passed)).html}</h2>
<p class="muted">${escapeHtml(report.scenario.description)}</p>
${notice(report)}
${charts.html}
${judged}
${systemSection(report)}
${worldEvidence(report)}
${counts}
</section>`;
  return { html, specs: charts.specs };
}

/** Why the run did not complete, in red; why it did not apply, in grey: that is no failure. */
function notice(report: ScenarioReport): string {
  if (report.status === 'skipped') {
    const reason = report.error ?? 'it does not apply to the system under test';
    return `<div class="note">Skipped: ${escapeHtml(reason)}. The scenario neither passed nor failed.</div>`;
  }
  if (report.error === null) return '';
  return `<div class="banner">Run ${escapeHtml(report.status)}: ${escapeHtml(report.error)}</div>`;
}

function outcome(report: ScenarioReport): string {
  const { diagnosis, validation, scenario, watchdog } = report;
  const band = report.expected_failure_band;
  const rate = report.metrics.chaos_failure_rate;
  return facts([
    ['Target', report.target],
    ['Injected failure', diagnosis.injected_failure_type],
    ['Watchdog diagnosis', diagnosisCell(diagnosis)],
    [
      'First alert',
      diagnosis.first_alert_ms === null
        ? 'none'
        : `${num(diagnosis.first_alert_ms, 0)} ms after fault onset`,
    ],
    ['Recovery actions', diagnosis.actions.length === 0 ? 'none' : diagnosis.actions.join(', ')],
    [
      'Recovery time',
      mark(
        validation.sla_met,
        `${recoveryText(report)} (SLA ${num(scenario.sla_recovery_time_seconds)} s)`,
      ),
    ],
    [
      'Fault failure rate',
      mark(
        validation.failure_rate_acceptable,
        `${withUnit(rate, '%')} of ${report.target} requests during chaos (band ${num(band.min)}–${num(band.max)} %)`,
      ),
    ],
    ['Alerts / recovery events', `${watchdog.alerts_count} / ${watchdog.recovery_events_count}`],
    ['Seed', String(report.seed)],
  ]);
}

export function recoveryText(report: ScenarioReport): string {
  const seconds = report.execution.recovery_time_seconds;
  if (seconds !== null) return `${num(seconds)} s`;
  return report.execution.failure_injected ? 'not detected' : 'no fault injected';
}

function diagnosisCell(diagnosis: ScenarioReport['diagnosis']): Cell {
  if (diagnosis.diagnosed_failure_type === null) return 'no diagnosis';
  if (diagnosis.correct === null) return diagnosis.diagnosed_failure_type;
  const verdict = diagnosis.correct
    ? 'matches the injected failure'
    : 'differs from the injected failure';
  return mark(diagnosis.correct, `${diagnosis.diagnosed_failure_type} (${verdict})`);
}

function phaseTable(report: ScenarioReport): string {
  const { metrics, orders_refused: refused, latency_ms: latency } = report;
  const row = (
    phase: string,
    placed: number,
    failed: number,
    held: number,
    l: ScenarioReport['latency_ms']['chaos'],
  ): Cell[] => [
    phase,
    num(placed, 0),
    num(failed, 0),
    num(held, 0),
    l.count === 0 ? null : num(l.p50),
    l.count === 0 ? null : num(l.p95),
    l.count === 0 ? null : num(l.p99),
  ];
  return table(
    ['Phase', 'Placed', 'Failed', 'Refused', 'p50 ms', 'p95 ms', 'p99 ms'],
    [
      row(
        'before chaos',
        metrics.orders_before_chaos,
        metrics.failures_before_chaos,
        refused.before_chaos,
        latency.baseline,
      ),
      row(
        'during chaos',
        metrics.orders_during_chaos,
        metrics.failures_during_chaos,
        refused.during_chaos,
        latency.chaos,
      ),
      row(
        'after chaos',
        metrics.orders_after_chaos,
        metrics.failures_after_chaos,
        refused.after_chaos,
        latency.recovery,
      ),
    ],
    { numeric: [1, 2, 3, 4, 5, 6] },
  );
}

/** "ok", "not checked", or the broken counts. */
export function invariantsText(report: ScenarioReport): string {
  const inv = report.invariants;
  if (inv === null) return 'not checked';
  if (inv.ok) return 'ok';
  const broken = (['lost', 'duplicated', 'unresolved', 'mismatched'] as const)
    .filter((kind) => inv[kind] > 0)
    .map((kind) => `${inv[kind]} ${kind}`);
  return broken.length === 0 ? 'broken' : broken.join(', ');
}

/** The built-in engine's journal against the ledger; an external bot keeps none (its intents stand in). */
function invariants(report: ScenarioReport): string {
  const inv = report.invariants;
  if (inv === null && report.system_under_test?.kind === 'external') return '';
  const heading = '<h3>Invariants</h3>\n';
  if (inv === null)
    return `${heading}<p class="muted">Not checked: the run did not reach its verify phase.</p>`;
  const line = `${heading}<p>${mark(inv.ok, invariantsText(report)).html} <span class="muted">— ${num(inv.exchange_orders, 0)} exchange orders, ${num(inv.journal_orders, 0)} journal orders</span></p>`;
  if (inv.examples.length === 0) return line;
  return (
    line +
    table(
      ['Kind', 'Client order id', 'Detail'],
      inv.examples.map((example) => [example.kind, example.client_order_id, example.detail]),
    )
  );
}
