import { chaosEvent } from './chaos-event.js';
import type { FailureCase } from './failure-case.js';
import type { ChaosEvent, FailureType } from './model.js';

/** The experiment the chaos runner announced, if any. */
export interface Experiment {
  name: string;
  failureType: FailureType | undefined;
}

/**
 * One CHAOS_EVENT about a failure case: during an experiment it carries the
 * injected failure type, with the watchdog's own diagnosis beside it in
 * metadata, so a report can show whether the diagnosis was right.
 */
export function failureEvent(
  eventType: string,
  failure: FailureCase,
  experiment: Experiment | undefined,
  now: () => number,
  extra: Record<string, unknown> = {},
): ChaosEvent {
  const { diagnosis } = failure;
  return chaosEvent(
    {
      eventType,
      componentId: diagnosis.componentId,
      failureType: experiment?.failureType ?? diagnosis.failureType,
      errorMessage: diagnosis.reason,
      confidence: diagnosis.confidence,
      chaosScenario: experiment?.name,
      metadata: { ...extra, failure_id: failure.id, diagnosed_failure_type: diagnosis.failureType },
    },
    now,
  );
}

/** One CHAOS_EVENT saying a notifier stopped (or resumed) delivering alerts. */
export function notifierEvent(
  notifier: string,
  state: 'down' | 'recovered',
  error: string | undefined,
  experiment: Experiment | undefined,
  now: () => number,
): ChaosEvent {
  return chaosEvent(
    {
      eventType: state === 'down' ? 'notifier_down' : 'notifier_recovered',
      componentId: 'watchdog',
      failureType: 'dependency',
      errorMessage: error ?? '',
      confidence: 1,
      chaosScenario: experiment?.name,
      metadata: { notifier },
    },
    now,
  );
}
