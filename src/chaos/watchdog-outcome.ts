import { readFile } from 'node:fs/promises';
import { parseChaosLog, type ChaosEvent } from '../watchdog/index.js';
import type { Scenario, WatchdogEvent, WatchdogEventKind, WatchdogOutcome } from './model.js';

/** The most watchdog events one outcome keeps: a flapping watchdog must not bloat the report. */
export const WATCHDOG_EVENT_LIMIT = 50;

/**
 * What the watchdog did about one scenario, read back from its CHAOS_EVENT
 * log, the record an operator would grep: alerts raised, recovery events,
 * the actions it ran, when it did each, and whether its own diagnosis named
 * the injected failure. Only events tagged with the scenario and at or after `since`
 * count, so one engine's log can hold several experiments.
 */
export async function readWatchdogOutcome(
  logPath: string | undefined,
  scenario: Scenario,
  onsetAt: number | undefined,
  since: number,
): Promise<WatchdogOutcome> {
  const text = logPath === undefined ? '' : await readFile(logPath, 'utf8').catch(() => '');
  const events = readableEvents(text).filter(
    (event) =>
      event.metadata?.chaos_scenario === scenario.name && Date.parse(event.timestamp) >= since,
  );
  return watchdogOutcome(events, scenario, onsetAt);
}

/** The outcome of a scenario's events (already filtered to it). */
export function watchdogOutcome(
  events: readonly ChaosEvent[],
  scenario: Scenario,
  onsetAt: number | undefined,
): WatchdogOutcome {
  const ofType = (type: string) => events.filter((event) => event.event_type === type);
  // Alerts and recoveries of the faulted component: noticing something else is not noticing the fault.
  const ofTarget = (type: string) =>
    ofType(type).filter((event) => event.component_id === scenario.target);
  const alerts = ofTarget('alert_raised');
  const detections = ofType('failure_detected');
  // The fault's own component first: a side effect elsewhere is not the diagnosis of the fault.
  const first = detections.find((event) => event.component_id === scenario.target) ?? detections[0];
  // Stronger evidence may have re-diagnosed that failure: its last word counts.
  const last = ofType('failure_rediagnosed')
    .filter((event) => event.metadata['failure_id'] === first?.metadata['failure_id'])
    .at(-1);
  const diagnosed = (last ?? first)?.metadata['diagnosed_failure_type'];
  const diagnosedFailureType = typeof diagnosed === 'string' ? diagnosed : null;
  const firstAlertAt = alerts[0] === undefined ? undefined : Date.parse(alerts[0].timestamp);
  return {
    alerts: alerts.length,
    recoveryEvents: ofTarget('component_recovered').length,
    actions: [...new Set(ofType('recovery_action_started').map(actionName))],
    diagnosedFailureType,
    diagnosisCorrect:
      diagnosedFailureType === null ? null : diagnosedFailureType === scenario.failureType,
    firstAlertMs:
      firstAlertAt === undefined || onsetAt === undefined
        ? null
        : Math.max(0, firstAlertAt - onsetAt),
    events: events
      .flatMap((event) => watchdogEvent(event, scenario) ?? [])
      // Stable: events stamped in the same millisecond keep the log's order.
      .sort((a, b) => a.at - b.at)
      .slice(0, WATCHDOG_EVENT_LIMIT),
  };
}

function actionName(event: ChaosEvent): string {
  return String(event.metadata['action']);
}

/** The faulted component's alert or recovery, or any recovery action started, with its time. */
function watchdogEvent(event: ChaosEvent, scenario: Scenario): WatchdogEvent | undefined {
  const at = Date.parse(event.timestamp);
  if (!Number.isFinite(at)) return undefined;
  const timed = (kind: WatchdogEventKind, name: string): WatchdogEvent => ({ at, kind, name });
  const onTarget = event.component_id === scenario.target;
  switch (event.event_type) {
    case 'alert_raised':
      return onTarget ? timed('alert', event.failure_type) : undefined;
    case 'recovery_action_started':
      return timed('action', actionName(event));
    case 'component_recovered':
      return onTarget ? timed('recovered', event.failure_type) : undefined;
    default:
      return undefined;
  }
}

/** The log's events, line by line: a line being written as it is read is skipped, not fatal. */
function readableEvents(text: string): ChaosEvent[] {
  return text.split('\n').flatMap((line) => {
    try {
      return parseChaosLog(line);
    } catch {
      return [];
    }
  });
}
