import type { LoadReport } from './load-schema.js';
import type { ChaosSummary, ScenarioReport } from './report-types.js';
import { slaFigure } from './figures.js';

/**
 * Markdown summaries for `$GITHUB_STEP_SUMMARY`: the verdict first, then a
 * table a reviewer can scan, then why each failure failed.
 */

/** GitHub renders inline HTML; escaped, free text stays text. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const LINE_BREAK = /\r\n|\r|\n/g;

/** Free text on one line: a line break would end the list item or paragraph it sits in. */
function inline(text: string): string {
  return escapeHtml(text).replace(LINE_BREAK, ' ');
}

/** A table cell: a bare `|` would start the next cell, a line break the next row. */
function cell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(LINE_BREAK, '<br>');
}

function table(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map((row) => line(row.map(cell)))];
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

// ---- chaos ----

function verdict(report: ScenarioReport): string {
  if (report.status === 'error') return '⚠️ ERROR';
  if (report.status === 'aborted') return '⚠️ ABORTED';
  return report.passed ? '✅ PASS' : '❌ FAIL';
}

function scenarioName(report: ScenarioReport): string {
  const { name } = report.scenario;
  return report.iteration > 1 ? `${name} #${report.iteration}` : name;
}

function invariantsCell(report: ScenarioReport): string {
  const inv = report.invariants;
  if (inv === null) return 'not checked';
  if (inv.ok) return `✅ ${inv.journal_orders} orders`;
  const broken = (['lost', 'duplicated', 'unresolved', 'mismatched'] as const)
    .filter((kind) => inv[kind] > 0)
    .map((kind) => `${inv[kind]} ${kind}`);
  return `❌ ${broken.join(', ') || 'violated'}`;
}

function scenarioRow(report: ScenarioReport): string[] {
  const { execution, metrics, scenario, diagnosis, watchdog } = report;
  const band = report.expected_failure_band;
  const recovery = execution.recovery_time_seconds;
  const rate = metrics.chaos_failure_rate;
  const diagnosed = diagnosis.diagnosed_failure_type ?? 'nothing';
  const mark = diagnosis.correct === null ? '' : diagnosis.correct ? ' ✅' : ' ❌';
  return [
    scenarioName(report),
    verdict(report),
    `${recovery ?? '—'} / ${scenario.sla_recovery_time_seconds}`,
    `${rate === null ? '—' : `${rate}%`} (${band.min}–${band.max}%)`,
    invariantsCell(report),
    `${watchdog.alerts_count}`,
    `${diagnosis.injected_failure_type} → ${diagnosed}${mark}`,
  ];
}

/** Why a scenario did not pass: its error, then each failed check with what was measured. */
function failureDetails(report: ScenarioReport): string[] {
  const lines = [`### ${verdict(report)} ${inline(scenarioName(report))}`, ''];
  if (report.error !== null) lines.push(`- error: ${inline(report.error)}`);
  for (const check of report.checks.filter((c) => !c.passed)) {
    lines.push(`- **${inline(check.name)}**: ${inline(check.detail)}`);
  }
  return [...lines, ''];
}

/** A chaos run's summary: overall verdict, run facts, one row per scenario, then the failures. */
export function chaosMarkdown(summary: ChaosSummary, reports: readonly ScenarioReport[]): string {
  const { test_run, results } = summary;
  const passed = reports.filter((report) => report.passed).length;
  // An aborted run or a missing report cannot pass, whatever the rows say.
  const ok = passed === reports.length && reports.length > 0 && !summary.aborted;
  const facts = [
    `mode ${test_run.mode}`,
    `parallel ${yesNo(test_run.parallel)}`,
    `seed ${summary.seed}`,
    `duration ${test_run.duration_seconds} s`,
    ...(summary.soak_duration_seconds === null ? [] : [`soak ${summary.soak_duration_seconds} s`]),
    `aborted ${yesNo(summary.aborted)}`,
  ];
  const average = results.average_recovery_time_seconds;
  const header = [
    'scenario',
    'verdict',
    'recovery (s) vs SLA',
    'failure rate vs band',
    'invariants',
    'alerts',
    'diagnosis (injected → diagnosed)',
  ];
  return [
    `## ${ok ? '✅ PASS' : '❌ FAIL'}: chaos run, ${passed}/${reports.length} scenarios passed`,
    '',
    `${facts.join(' · ')} · average recovery ${average === null ? '—' : `${average} s`}`,
    '',
    ...table(header, reports.map(scenarioRow)),
    '',
    ...reports.filter((report) => !report.passed).flatMap(failureDetails),
  ].join('\n');
}

// ---- load ----

type SlaLine = LoadReport['sla'][number];

/** A figure with its unit; the failure rate is a 0–1 share in the report, a percentage here. */
function slaRow(line: SlaLine): string[] {
  return [
    line.metric,
    slaFigure(line.metric, line.value),
    `${line.comparison === '<=' ? '≤' : '≥'} ${slaFigure(line.metric, line.threshold)}`,
    // The detail explains a failure whose value looks in range (nothing placed, invariants unchecked).
    line.passed ? '✅ pass' : `❌ fail: ${line.detail}`,
  ];
}

/** A load run's summary: verdict, SLA table, totals, latency and failures by type. */
export function loadMarkdown(report: LoadReport): string {
  const { test_run, totals } = report;
  const latency = report.latency_ms;
  const percentiles = (['p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const)
    .map((key) => `${key} ${latency[key]}`)
    .join(' · ');
  const failures = Object.entries(report.failures).sort(([, a], [, b]) => b - a);
  const status = test_run.status === 'completed' ? '' : ` (${test_run.status})`;
  return [
    `## ${report.passed ? '✅ PASS' : '❌ FAIL'}: load test${status}`,
    '',
    ...(test_run.error === null ? [] : [`**Error:** ${inline(test_run.error)}`, '']),
    ...table(['metric', 'value', 'threshold', 'result'], report.sla.map(slaRow)),
    '',
    `**Totals:** ${totals.intents} intents, ${totals.placed} placed, ${totals.failed} failed, ` +
      `${totals.late} late, ${totals.dropped} dropped; ${totals.throughput_per_second}/s ` +
      `(peak ${totals.peak_per_second}/s) over ${test_run.duration_seconds} s, ${test_run.model} model`,
    '',
    `**Latency (ms, from ${latency.measured_from.replace('_', ' ')}):** ${percentiles}`,
    '',
    failures.length === 0
      ? '**Failures:** none'
      : `**Failures:** ${failures.map(([type, n]) => `${inline(type)} ×${n}`).join(', ')}`,
    '',
  ].join('\n');
}
