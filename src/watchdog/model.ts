/**
 * The watchdog's vocabulary: component health, failure types, the alerts it
 * raises and the CHAOS_EVENT records it logs (SPEC §5, field for field).
 */

/** Health of one component, from best to worst; unknown when no heartbeat says otherwise. */
export type ComponentStatus = 'healthy' | 'degraded' | 'failing' | 'critical' | 'unknown';

/**
 * What kind of failure the watchdog diagnosed. The four `chaos_*` types name
 * the failure patterns of the built-in scenarios (SPEC §1), so a report can
 * set the watchdog's diagnosis beside the fault that was injected.
 */
export type FailureType =
  | 'connectivity'
  | 'performance'
  | 'resource'
  | 'dependency'
  | 'data_quality'
  | 'configuration'
  | 'chaos_network_partition'
  | 'chaos_rate_limit'
  | 'chaos_exchange_downtime'
  | 'chaos_database_outage';

export const FAILURE_TYPES: readonly FailureType[] = [
  'connectivity',
  'performance',
  'resource',
  'dependency',
  'data_quality',
  'configuration',
  'chaos_network_partition',
  'chaos_rate_limit',
  'chaos_exchange_downtime',
  'chaos_database_outage',
];

/** How loud an alert is. */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** One alert, as notifiers receive it. */
export interface Alert {
  /** Same key, same alert: notifiers de-duplicate on it. */
  key: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  componentId: string;
  failureType: FailureType;
  /** 0..1. */
  confidence: number;
  /** When the alert was raised, ms since the epoch. */
  at: number;
  /** Set while a chaos scenario is announced. */
  chaosScenario?: string;
  /** Extra facts shown with the alert (e.g. breaker state, Retry-After). */
  fields?: Record<string, string>;
  /**
   * A finished run's verdict rather than a detected failure: notifiers show
   * only its own fields, not a component, failure type or confidence.
   */
  runSummary?: boolean;
}

/** One CHAOS_EVENT record: exactly SPEC §5's fields. */
export interface ChaosEvent {
  /** ISO-8601 UTC. */
  timestamp: string;
  /** e.g. failure_detected, alert_raised, recovery_action_started, recovery_action_completed, component_recovered. */
  event_type: string;
  chaos_engineering: boolean;
  component_id: string;
  /** Lower-case FailureType, e.g. chaos_network_partition. */
  failure_type: string;
  error_message: string;
  /** 0..1. */
  confidence: number;
  metadata: { chaos_scenario?: string; [key: string]: unknown };
}
