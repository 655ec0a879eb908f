import type { LoadReport } from './load-schema.js';
import type { ChaosSummary, ScenarioReport } from './report-types.js';
import { slaFigure } from './figures.js';
import { findingLines, intentProblems } from './findings.js';

/**
 * JUnit XML for CI: one testcase per chaos scenario report, or per load SLA
 * line. A scenario that ran and missed a check is a `<failure>`; one that
 * broke or was interrupted is an `<error>`, so CI tells "the engine is too
 * slow" from "the suite never finished"; one that did not apply to the
 * system under test is `<skipped>`.
 */

// XML 1.0 allows only these characters; anything else (NUL, ESC, lone surrogates…) is dropped.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // In attributes a parser turns raw tabs and line breaks into spaces; references keep them.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Text or attribute value, escaped; in text, tabs and line breaks stay as they are. */
export function escapeXml(value: string, attribute = false): string {
  const special = attribute ? /[&<>"'\t\n\r]/g : /[&<>"']/g;
  return value.replace(NOT_XML_CHAR, '').replace(special, (char) => ENTITIES[char] ?? '');
}

type Attributes = Record<string, string | number>;

function element(name: string, attributes: Attributes, children: string[] = []): string {
  const attrs = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value), true)}"`)
    .join('');
  if (children.length === 0) return `<${name}${attrs}/>`;
  return `<${name}${attrs}>${children.join('')}</${name}>`;
}

function textElement(name: string, attributes: Attributes, text: string): string {
  return element(name, attributes, [escapeXml(text)]);
}

/** Seconds with millisecond precision, as JUnit readers expect a plain decimal. */
function secondsText(seconds: number): string {
  return String(Math.max(0, Math.round(seconds * 1000) / 1000));
}

/** UTC, without a zone suffix: the Ant JUnit schema's timestamp pattern has none. */
function junitTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function document(suite: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${suite}\n`;
}

type SuiteAttributes = {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: string;
  timestamp: string;
};

/** The Ant JUnit schema's order: properties, then the testcases, then system-out. */
function suiteElement(attributes: SuiteAttributes, children: string[]): string {
  const testsuite = element(
    'testsuite',
    attributes,
    children.map((child) => `\n  ${child}`),
  );
  const { tests, failures, errors, time } = attributes;
  return element('testsuites', { tests, failures, errors, time }, [`\n${testsuite}\n`]);
}

// ---- chaos ----

function scenarioName(report: ScenarioReport): string {
  const { name } = report.scenario;
  return report.iteration > 1 ? `${name} #${report.iteration}` : name;
}

/** Did not apply to the system: neither a pass nor a failure. */
function isSkipped(report: ScenarioReport): boolean {
  return report.status === 'skipped';
}

function isError(report: ScenarioReport): boolean {
  return report.status !== 'completed' && !isSkipped(report);
}

function isFailure(report: ScenarioReport): boolean {
  return report.status === 'completed' && !report.passed;
}

function invariantsLine({ invariants, intents }: ScenarioReport): string {
  // An external bot keeps no journal: its reported intents are its own account.
  if (invariants === null && intents !== null) {
    const problems = intentProblems(intents);
    const counts = `${problems.length === 0 ? 'all match' : problems.join(', ')}; ${intents.unplaced} never placed`;
    return `intents: ${intents.intents} reported, ${intents.orders_accepted} venue orders (${counts})`;
  }
  if (invariants === null) return 'invariants: not checked';
  const { ok, lost, duplicated, unresolved, mismatched } = invariants;
  const counts = `lost ${lost}, duplicated ${duplicated}, unresolved ${unresolved}, mismatched ${mismatched}`;
  const orders = `${invariants.exchange_orders} exchange / ${invariants.journal_orders} journal orders`;
  return `invariants: ${ok ? 'ok' : 'VIOLATED'} (${counts}; ${orders})`;
}

/** "system under test: …", or nothing for a report written before systems were told apart. */
function systemLines(report: ScenarioReport): string[] {
  const system = report.system_under_test;
  if (system === null) return [];
  const name =
    system.kind === 'builtin'
      ? 'built-in engine'
      : `external bot: ${system.command ?? 'run outside this tool'}`;
  return [`system under test: ${name} (${system.detail})`];
}

/** The figures a reader checks first, one per line. */
function keyFigures(report: ScenarioReport): string {
  if (isSkipped(report)) {
    return [`status: skipped (${report.error ?? 'not applicable'})`, ...systemLines(report)].join(
      '\n',
    );
  }
  const { scenario, execution, metrics, watchdog, diagnosis } = report;
  const band = report.expected_failure_band;
  const recovery = execution.recovery_time_seconds;
  const rate = metrics.chaos_failure_rate;
  const diagnosed = diagnosis.diagnosed_failure_type ?? 'nothing';
  const skipped = report.checks.filter((check) => check.skipped);
  return [
    `status: ${report.status}`,
    ...systemLines(report),
    `recovery: ${recovery === null ? 'not detected' : `${recovery} s`} (SLA ${scenario.sla_recovery_time_seconds} s)`,
    `chaos failure rate: ${rate === null ? 'n/a' : `${rate}%`} (band ${band.min}–${band.max}%)`,
    invariantsLine(report),
    `watchdog: ${watchdog.alerts_count} alert(s), ${watchdog.recovery_events_count} recovery event(s); ` +
      `injected ${diagnosis.injected_failure_type}, diagnosed ${diagnosed}`,
    ...skipped.map((check) => `${check.name}: ${check.detail}`),
  ].join('\n');
}

/** A failed check, then the first findings behind it, indented. */
function failedCheckText(report: ScenarioReport, check: ScenarioReport['checks'][number]): string {
  const findings = findingLines(report, check.name).map((line) => `  - ${line}`);
  return [`${check.name}: ${check.detail}`, ...findings].join('\n');
}

function scenarioCase(report: ScenarioReport): string {
  const { start_time, end_time } = report.execution;
  const seconds = (Date.parse(end_time) - Date.parse(start_time)) / 1000;
  const children: string[] = [];
  if (isSkipped(report)) {
    const message = report.error ?? 'does not apply to the system under test';
    children.push(element('skipped', { message }));
  } else if (isError(report)) {
    const message = report.error ?? `scenario ${report.status}`;
    children.push(textElement('error', { message, type: report.status }, message));
  } else if (isFailure(report)) {
    // A skipped check has passed false but fails nothing.
    const failed = report.checks.filter((check) => !check.passed && !check.skipped);
    // An empty list would hide why it failed; fall back to the summary's names.
    const names = failed.length > 0 ? failed.map((check) => check.name) : report.failed_checks;
    const text = failed.map((check) => failedCheckText(report, check)).join('\n');
    const message = `failed checks: ${names.join(', ') || 'unknown'}`;
    children.push(textElement('failure', { message, type: 'sla' }, text));
  }
  children.push(textElement('system-out', {}, keyFigures(report)));
  const attributes = { classname: 'chaos', name: scenarioName(report), time: secondsText(seconds) };
  return element('testcase', attributes, children);
}

/** A chaos run as JUnit XML: one testcase per scenario report, in the reports' order. */
export function chaosJunitXml(summary: ChaosSummary, reports: readonly ScenarioReport[]): string {
  const { test_run } = summary;
  // The summary's timestamp is when the run ended; JUnit wants when it started.
  const startedAt = Date.parse(test_run.timestamp) - test_run.duration_seconds * 1000;
  const properties = element(
    'properties',
    {},
    Object.entries({
      seed: summary.seed,
      mode: test_run.mode,
      parallel: String(test_run.parallel),
      soak_duration_seconds: summary.soak_duration_seconds ?? 'none',
      aborted: String(summary.aborted),
    }).map(([name, value]) => element('property', { name, value })),
  );
  const attributes = {
    name: 'n1v1-chaos',
    tests: reports.length,
    failures: reports.filter(isFailure).length,
    errors: reports.filter(isError).length,
    skipped: reports.filter(isSkipped).length,
    time: secondsText(test_run.duration_seconds),
    timestamp: junitTimestamp(startedAt),
  };
  return document(suiteElement(attributes, [properties, ...reports.map(scenarioCase)]));
}

// ---- load ----

type SlaLine = LoadReport['sla'][number];

/** A figure with its unit; the failure rate is a 0–1 share in the report, a percentage here. */
function slaCase(line: SlaLine): string {
  // A verdict on the whole run, not a timed step: time 0 keeps the cases from summing past the suite.
  const attributes = { classname: 'load', name: line.metric, time: 0 };
  const measured = `${slaFigure(line.metric, line.value)}, required ${line.comparison} ${slaFigure(line.metric, line.threshold)}`;
  if (line.passed)
    return element('testcase', attributes, [textElement('system-out', {}, measured)]);
  // The detail matters: a verdict can fail with an in-range value (nothing placed, invariants unchecked).
  const failure = textElement('failure', { message: measured, type: 'sla' }, line.detail);
  return element('testcase', attributes, [failure]);
}

/** A load report as JUnit XML: one testcase per SLA line, plus a `run` error when it did not complete. */
export function loadJunitXml(report: LoadReport): string {
  const { test_run, totals } = report;
  const seconds = test_run.duration_seconds;
  const cases = report.sla.map(slaCase);
  // An aborted or broken run fails overall even when every SLA line holds; say so as an error.
  const broken = test_run.status !== 'completed' || test_run.error !== null;
  if (broken) {
    const message = test_run.error ?? `load run ${test_run.status}`;
    const error = textElement('error', { message, type: test_run.status }, message);
    cases.push(element('testcase', { classname: 'load', name: 'run', time: 0 }, [error]));
  }
  const out =
    `${test_run.model} model, ${totals.intents} intents, ${totals.placed} placed, ${totals.failed} failed, ` +
    `${totals.throughput_per_second}/s; p95 ${report.latency_ms.p95} ms`;
  const attributes = {
    name: 'n1v1-load',
    tests: cases.length,
    failures: report.sla.filter((line) => !line.passed).length,
    errors: broken ? 1 : 0,
    skipped: 0,
    time: secondsText(seconds),
    timestamp: junitTimestamp(Date.parse(test_run.start_time)),
  };
  return document(suiteElement(attributes, [...cases, textElement('system-out', {}, out)]));
}
