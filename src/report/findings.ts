import type { ScenarioReport } from './report-types.js';

/**
 * What the world's evidence found behind a failed check, as plain lines:
 * the JUnit failure text and summary.md list the first few.
 */

/** Findings listed under a failed check; the report holds more, the reader needs the pattern. */
export const FINDINGS_SHOWN = 3;

/** How a request ended at the proxy, in words (the evidence's names are camelCase). */
export const END_TEXT: Record<string, string> = {
  refused: 'connection refused',
  reset: 'connection reset',
  timedOut: 'timed out',
  injectedStatus: 'injected error status',
  upstreamError: 'upstream error',
};

/** Time of day (UTC) with milliseconds, to line a finding up with the bot's own log. */
export function clock(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(11, 23);
}

type Duplicate = NonNullable<ScenarioReport['duplicates']>['listed'][number];

function orderText(ref: Duplicate['original']): string {
  return `order ${ref.order_id} (client id ${ref.client_order_id ?? 'none'}) at ${clock(ref.time)}`;
}

function duplicateText(finding: Duplicate): string {
  const what =
    finding.kind === 'blind_resend'
      ? `blind resend ${finding.symbol} ${finding.terms ?? ''}`.trimEnd()
      : `client order id reused ${finding.symbol}`;
  const lost = finding.lost_answer;
  const answer =
    lost === null
      ? ''
      : `; first answer lost: ${END_TEXT[lost.end] ?? lost.end}, ${lost.status === null ? 'no answer' : `status ${lost.status}`}`;
  return `${what}: ${orderText(finding.original)}, again as ${orderText(finding.duplicate)}${answer}`;
}

type Violation = NonNullable<ScenarioReport['retry_after']>['violations'][number];

function violationText(violation: Violation): string {
  const { window } = violation;
  return (
    `${violation.method} ${violation.path} at ${clock(violation.time)}, ` +
    `${violation.inside_ms} ms into a ${window.retry_after_seconds} s Retry-After ` +
    `(${window.status} answered at ${clock(window.opened_time)}, request ${window.request_id})`
  );
}

/** The first findings behind a duplicates or Retry-After check, one line each, then how many more. */
export function findingLines(report: ScenarioReport, check: string): string[] {
  const found =
    check === 'no_duplicate_orders' && report.duplicates !== null
      ? { lines: report.duplicates.listed.map(duplicateText), total: report.duplicates.total }
      : check === 'respects_retry_after' && report.retry_after !== null
        ? {
            lines: report.retry_after.violations.map(violationText),
            total: report.retry_after.violations_total,
          }
        : { lines: [], total: 0 };
  const shown = found.lines.slice(0, FINDINGS_SHOWN);
  const more = found.total - shown.length;
  return more > 0 ? [...shown, `… and ${more} more`] : shown;
}

type Intents = NonNullable<ScenarioReport['intents']>;

/** What is wrong with a bot's reported intents against the venue's orders, one phrase each; empty when nothing. */
export function intentProblems(intents: Intents): string[] {
  const broken = [
    [intents.unknown_orders, 'without an intent'],
    [intents.placed_twice, 'placed twice'],
    [intents.mismatched, 'placed with other terms'],
    [intents.malformed_lines, 'malformed'],
  ] as const;
  return broken.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
}
