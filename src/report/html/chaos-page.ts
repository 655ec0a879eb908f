import type { ChaosSummary, ScenarioReport } from '../report-types.js';
import type { ChartSpec } from './chart-spec.js';
import { intentsVerdict, systemName } from './chaos-evidence.js';
import { invariantsText, recoveryText, scenarioSection, sectionId } from './chaos-scenario.js';
import { escapeHtml } from './escape.js';
import {
  badge,
  facts,
  mark,
  num,
  raw,
  table,
  verdictOf,
  withUnit,
  type Cell,
  type Verdict,
} from './markup.js';
import { htmlPage } from './page.js';

type SummaryRow = ChaosSummary['scenarios'][number];

const SUMMARY_HEAD = [
  'Scenario',
  'Verdict',
  'Recovery (SLA)',
  'Failure rate (band)',
  'Invariants',
  'Alerts',
  'Diagnosis',
];

/**
 * A chaos run as one self-contained HTML page: the run's summary, a table
 * of its scenarios, then a section per scenario report with its timeline
 * charts (chaos window shaded; the watchdog's alerts, recovery actions
 * and recoveries marked at their logged times), the watchdog's diagnosis beside the injected failure, and the failed checks.
 * `reports` as readChaosRun() returns them; a summary row without its
 * report still gets a table row, from the summary's own figures.
 */
export function chaosRunHtml(summary: ChaosSummary, reports: readonly ScenarioReport[]): string {
  const sections = reports.map((report, index) => scenarioSection(report, index));
  const charts: ChartSpec[] = sections.flatMap((section) => section.specs);
  const anchors = new Map(
    reports.map((report, index) => [
      keyOf(report.scenario.name, report.iteration),
      { report, id: sectionId(report, index) },
    ]),
  );
  const body = [
    header(summary, reports),
    `<section class="card"><h2>Scenarios</h2>${summaryTable(summary, anchors)}</section>`,
    ...sections.map((section) => section.html),
  ].join('\n');
  return htmlPage({ title: `Chaos run ${summary.test_run.timestamp}`, body, charts });
}

function keyOf(name: string, iteration: number): string {
  return `${name}\u0000${iteration}`;
}

function runVerdict(summary: ChaosSummary): Verdict {
  const { results, test_run: run } = summary;
  if (summary.aborted) return 'ABORTED';
  if (results.failed_scenarios > 0) return 'FAIL';
  // Nothing applied to the system: nothing passed either.
  if (run.total_scenarios > 0 && summary.skipped_scenarios === run.total_scenarios)
    return 'SKIPPED';
  return 'PASS';
}

/** Each system the reports name, once: usually one for the whole run. */
function systemLine(reports: readonly ScenarioReport[]): string {
  const names = new Set<string>();
  for (const report of reports) {
    if (report.system_under_test !== null) names.add(systemName(report.system_under_test).html);
  }
  if (names.size === 0) return '';
  return `<p class="sut-line">System under test: ${[...names].join('; ')}</p>`;
}

function header(summary: ChaosSummary, reports: readonly ScenarioReport[]): string {
  const { test_run: run, results } = summary;
  const skipped = summary.skipped_scenarios > 0 ? `, ${summary.skipped_scenarios} skipped` : '';
  return `<header class="card">
<h1>Chaos run ${badge(runVerdict(summary)).html}</h1>
${systemLine(reports)}
<p class="muted">${escapeHtml(run.timestamp)}</p>
${summary.aborted ? '<div class="banner">The run was interrupted; its reports cover what ran before that.</div>' : ''}
${facts([
  [
    'Scenarios',
    `${results.passed_scenarios} passed, ${results.failed_scenarios} failed${skipped} of ${run.total_scenarios} (${num(results.pass_rate_percent)} %)`,
  ],
  ['Average recovery', withUnit(results.average_recovery_time_seconds, 's')],
  ['Duration', withUnit(run.duration_seconds, 's')],
  [
    'Mode',
    `${run.mode}${run.parallel ? ', parallel' : ''}${summary.soak_duration_seconds === null ? '' : `, soak ${num(summary.soak_duration_seconds)} s`}`,
  ],
  ['Seed', String(summary.seed)],
])}
</header>`;
}

function summaryTable(
  summary: ChaosSummary,
  anchors: Map<string, { report: ScenarioReport; id: string }>,
): string {
  const repeated = summary.scenarios.some((row) => row.iteration > 1);
  const rows = summary.scenarios.map((row) => {
    const found = anchors.get(keyOf(row.name, row.iteration));
    const label = repeated ? `${row.name} #${row.iteration}` : row.name;
    const name: Cell =
      found === undefined
        ? label
        : raw(`<a href="#${escapeHtml(found.id)}">${escapeHtml(label)}</a>`);
    return [name, badge(verdictOf(row.status, row.passed)), ...details(row, found?.report)];
  });
  return table(SUMMARY_HEAD, rows, { id: 'summary-table' });
}

/** The row's figures; without its report, only what the summary itself says. */
function details(row: SummaryRow, report: ScenarioReport | undefined): Cell[] {
  if (report === undefined) {
    return [
      withUnit(row.recovery_time_seconds, 's'),
      withUnit(row.chaos_failure_rate, '%'),
      null,
      null,
      null,
    ];
  }
  // Nothing was judged: a red mark in any column would read as a failure.
  if (report.status === 'skipped')
    return [
      raw(`<span class="muted">${escapeHtml(report.error ?? 'not applicable')}</span>`),
      null,
      null,
      null,
      null,
    ];
  const { validation, expected_failure_band: band, diagnosis } = report;
  const sla = num(report.scenario.sla_recovery_time_seconds);
  const alert =
    diagnosis.first_alert_ms === null ? '' : `, first after ${num(diagnosis.first_alert_ms, 0)} ms`;
  return [
    mark(validation.sla_met, `${recoveryText(report)} (≤ ${sla} s)`),
    mark(
      validation.failure_rate_acceptable,
      `${withUnit(row.chaos_failure_rate, '%')} (${num(band.min)}–${num(band.max)} %)`,
    ),
    invariantsCell(report),
    `${report.watchdog.alerts_count}${alert}`,
    diagnosis.diagnosed_failure_type === null
      ? 'none'
      : diagnosis.correct === null
        ? diagnosis.diagnosed_failure_type
        : mark(diagnosis.correct, diagnosis.diagnosed_failure_type),
  ];
}

/** The journal's invariants; for an external bot, its reported intents against the venue. */
function invariantsCell(report: ScenarioReport): Cell {
  if (report.invariants !== null) return mark(report.invariants.ok, invariantsText(report));
  if (report.intents === null) return 'not checked';
  const { ok, text } = intentsVerdict(report.intents);
  return mark(ok, `intents: ${text}`);
}
