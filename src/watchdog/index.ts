export { FAILURE_TYPES } from './model.js';
export type { Alert, AlertSeverity, ChaosEvent, ComponentStatus, FailureType } from './model.js';

export {
  CHAOS_EVENT_FIELDS,
  chaosEvent,
  orderChaosEvent,
  validateChaosEvent,
  type ChaosEventInput,
} from './chaos-event.js';

export {
  CHAOS_EVENT_KEY,
  CHAOS_EVENT_MARKER,
  openChaosLog,
  parseChaosLog,
  type ChaosLog,
  type ChaosLogOptions,
} from './chaos-log.js';

export {
  HEARTBEAT_DEFAULTS,
  HeartbeatMonitor,
  type ComponentView,
  type HeartbeatDetection,
  type HeartbeatMonitorOptions,
} from './heartbeats.js';

export {
  ANOMALY_DEFAULTS,
  AnomalyDetector,
  thresholdOf,
  type Anomaly,
  type AnomalyDetectorOptions,
  type AnomalyRule,
} from './anomaly.js';

export {
  CHAOS_TYPE_NAMES,
  SCENARIO_FAILURE_TYPES,
  chaosTypeName,
  chaosTypeOf,
  isChaosType,
  type ChaosFailureType,
} from './chaos-types.js';

export {
  METRIC_FAILURE_TYPES,
  combineConfidence,
  diagnose,
  transportCodeOf,
  type Diagnosis,
  type FailureFacts,
  type Signal,
} from './classifier.js';

export * from './notifiers/index.js';

export {
  Watchdog,
  type WatchdogEvents,
  type WatchdogOptions,
  type WatchdogStatus,
} from './watchdog.js';
export { FailureCase, type FailureView } from './failure-case.js';
export {
  recoveryPlan,
  type ActionSpec,
  type ActionStatus,
  type RecoveryAction,
  type RecoveryControls,
} from './recovery.js';
