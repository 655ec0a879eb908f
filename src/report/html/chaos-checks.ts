import type { ScenarioReport } from '../report-types.js';
import { escapeHtml } from './escape.js';
import { mark, skipMark, table, type Cell } from './markup.js';

type Check = ScenarioReport['checks'][number];

const SKIPPED_PREFIX = 'skipped: ';

/** A skipped check's reason: its detail without the prefix the mark already says. */
function reasonOf(check: Check): string {
  return check.detail.startsWith(SKIPPED_PREFIX)
    ? check.detail.slice(SKIPPED_PREFIX.length)
    : check.detail;
}

function resultCell(check: Check): Cell {
  if (check.skipped) return skipMark('skipped');
  return mark(check.passed, check.passed ? 'passed' : 'failed');
}

function listItem(check: Check, detail: string, label = ''): string {
  return `<li>${label}<strong>${escapeHtml(check.name)}</strong>: ${escapeHtml(detail)}</li>`;
}

/**
 * The failed checks in the open, then the skipped ones with their reasons (a
 * skipped check neither passed nor failed: it never reads as passed), then
 * every check in a fold.
 */
export function checksSection(report: ScenarioReport): string {
  const failed = report.checks.filter((check) => !check.passed && !check.skipped);
  const skipped = report.checks.filter((check) => check.skipped);
  const judged = report.checks.length - skipped.length;
  const all = table(
    ['Check', 'Result', 'Detail'],
    report.checks.map((check) => [check.name, resultCell(check), check.detail]),
  );
  const passedText =
    skipped.length === 0
      ? `All ${judged} checks passed.`
      : `All ${judged} checks that were judged passed.`;
  const listed =
    failed.length === 0
      ? `<p class="ok">${escapeHtml(passedText)}</p>`
      : `<ul class="checks failed-checks">${failed.map((check) => listItem(check, check.detail)).join('')}</ul>`;
  const skippedList =
    skipped.length === 0
      ? ''
      : `<h3>Skipped checks</h3>\n<ul class="checks skipped-checks">${skipped
          .map((check) => listItem(check, reasonOf(check), `${skipMark('').html}`))
          .join('')}</ul>\n`;
  return `<h3>Failed checks</h3>\n${listed}\n${skippedList}<details><summary>All checks</summary>${all}</details>`;
}
