import type { LoadReport } from './load-schema.js';
import type { ChaosSummary, ScenarioReport } from './report-types.js';
import { slaFigure } from './figures.js';
import { findingLines, intentProblems } from './findings.js';

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
  if (report.status === 'skipped') return '⏭️ SKIPPED';
  return report.passed ? '✅ PASS' : '❌ FAIL';
}

/** A code span no backtick in the text can close early; line breaks become spaces. */
function code(text: string): string {
  const flat = text.replace(LINE_BREAK, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Each system the reports name, once: usually one for the whole run. */
function systemLine(reports: readonly ScenarioReport[]): string[] {
  const names = new Set<string>();
  for (const { system_under_test: system } of reports) {
    if (system === null) continue;
    if (system.kind === 'builtin') names.add('built-in engine');
    else if (system.command === null) names.add('external bot, run outside this tool');
    else names.add(`external bot ${code(system.command)}`);
  }
  return names.size === 0 ? [] : [`system under test: ${[...names].join('; ')}`, ''];
}

function scenarioName(report: ScenarioReport): string {
  const { name } = report.scenario;
  return report.iteration > 1 ? `${name} #${report.iteration}` : name;
}

function invariantsCell(report: ScenarioReport): string {
  const inv = report.invariants;
  if (inv === null) return report.intents === null ? 'not checked' : intentsCell(report.intents);
  if (inv.ok) return `✅ ${inv.journal_orders} orders`;
  const broken = (['lost', 'duplicated', 'unresolved', 'mismatched'] as const)
    .filter((kind) => inv[kind] > 0)
    .map((kind) => `${inv[kind]} ${kind}`);
  return `❌ ${broken.join(', ') || 'violated'}`;
}

/** An external bot's own account: its reported intents against the venue's orders. */
function intentsCell(intents: NonNullable<ScenarioReport['intents']>): string {
  const found = intentProblems(intents);
  return found.length === 0 ? `✅ ${intents.intents} intents` : `❌ ${found.join(', ')}`;
}

function scenarioRow(report: ScenarioReport): string[] {
  // Nothing was judged: figures would read as verdicts.
  if (report.status === 'skipped')
    return [scenarioName(report), verdict(report), '—', '—', '—', '—', '—'];
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

/**
 * Why a scenario did not pass: its error, then each failed check with what
 * was measured and, under duplicates and Retry-After, the first findings.
 */
function failureDetails(report: ScenarioReport): string[] {
  const lines = [`### ${verdict(report)} ${inline(scenarioName(report))}`, ''];
  if (report.error !== null) lines.push(`- error: ${inline(report.error)}`);
  for (const check of report.checks.filter((c) => !c.passed && !c.skipped)) {
    lines.push(`- **${inline(check.name)}**: ${inline(check.detail)}`);
    for (const finding of findingLines(report, check.name)) lines.push(`  - ${inline(finding)}`);
  }
  return [...lines, ''];
}

/** Skipped scenarios and checks, each reason once: what this run could not judge, and why. */
function skippedDetails(reports: readonly ScenarioReport[]): string[] {
  const scenarios = reports
    .filter((report) => report.status === 'skipped')
    .map((report) => `${scenarioName(report)} (${report.error ?? 'not applicable'})`);
  const byReason = new Map<string, Set<string>>();
  for (const check of reports.flatMap((report) => report.checks)) {
    if (!check.skipped) continue;
    const reason = check.detail.replace(/^skipped: /, '');
    byReason.set(reason, (byReason.get(reason) ?? new Set()).add(check.name));
  }
  const lines = [
    ...(scenarios.length === 0 ? [] : [`**Skipped scenarios:** ${inline(scenarios.join(', '))}`]),
    ...[...byReason].map(
      ([reason, names]) =>
        `**Skipped checks:** ${inline([...names].join(', '))}: ${inline(reason)}`,
    ),
  ];
  return lines.length === 0 ? [] : lines.flatMap((line) => [line, '']);
}

/** A chaos run's summary: overall verdict, run facts, one row per scenario, then the failures. */
export function chaosMarkdown(summary: ChaosSummary, reports: readonly ScenarioReport[]): string {
  const { test_run, results } = summary;
  const passed = reports.filter((report) => report.passed).length;
  const skipped = reports.filter((report) => report.status === 'skipped').length;
  const applied = reports.length - skipped;
  // An aborted run or a missing report cannot pass, whatever the rows say; nor one where nothing applied.
  const ok = passed === applied && applied > 0 && !summary.aborted;
  const allSkipped = applied === 0 && reports.length > 0 && !summary.aborted;
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
  const heading = ok ? '✅ PASS' : allSkipped ? '⏭️ SKIPPED' : '❌ FAIL';
  return [
    `## ${heading}: chaos run, ${passed}/${applied} scenarios passed${skipped > 0 ? `, ${skipped} skipped` : ''}`,
    '',
    `${facts.join(' · ')} · average recovery ${average === null ? '—' : `${average} s`}`,
    '',
    ...systemLine(reports),
    ...table(header, reports.map(scenarioRow)),
    '',
    ...reports
      .filter((report) => !report.passed && report.status !== 'skipped')
      .flatMap(failureDetails),
    ...skippedDetails(reports),
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
