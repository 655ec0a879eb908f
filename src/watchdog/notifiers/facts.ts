import type { Alert } from '../model.js';

/** One labelled fact shown with an alert (a Discord field, a Slack field). */
export interface Fact {
  name: string;
  value: string;
}

const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `maxChars` UTF-16 units, ending in an ellipsis when
 * cut, without splitting a surrogate pair (a half emoji is invalid JSON text
 * to some endpoints).
 */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 0) return '';
  let end = maxChars - ELLIPSIS.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, Math.max(0, end)) + ELLIPSIS;
}

/** An epoch-ms time as ISO-8601 UTC; a broken time becomes now rather than an exception. */
export function isoTime(atMs: number): string {
  const date = new Date(Number.isFinite(atMs) ? atMs : Date.now());
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}

/** Confidence 0..1 as a whole percentage, e.g. "87%". */
export function percent(confidence: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(confidence) ? confidence : 0));
  return `${Math.round(clamped * 100)}%`;
}

/**
 * Everything an alert says besides its title and message, in display order:
 * component, failure type, confidence (not for a run summary), the chaos
 * scenario when one is announced, then the alert's own fields.
 */
export function alertFacts(alert: Alert): Fact[] {
  const facts: Fact[] = alert.runSummary
    ? []
    : [
        { name: 'Component', value: alert.componentId },
        { name: 'Failure type', value: alert.failureType },
        { name: 'Confidence', value: percent(alert.confidence) },
      ];
  if (alert.chaosScenario) facts.push({ name: 'Chaos scenario', value: alert.chaosScenario });
  for (const [name, value] of Object.entries(alert.fields ?? {})) facts.push({ name, value });
  return facts;
}

/**
 * At most `maxFacts` facts; when some must go, the last slot says how many
 * were left out, so a reader knows the list is incomplete.
 */
export function capFacts(facts: readonly Fact[], maxFacts: number): Fact[] {
  if (facts.length <= maxFacts) return [...facts];
  const kept = facts.slice(0, maxFacts - 1);
  const omitted = facts.length - kept.length;
  kept.push({ name: 'More', value: `${omitted} more field${omitted === 1 ? '' : 's'} not shown` });
  return kept;
}
