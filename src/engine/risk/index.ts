export { DEFAULT_RISK_LIMITS, RiskGate } from './risk-gate.js';
export type {
  Exposure,
  RiskDecision,
  RiskGateEvents,
  RiskGateOptions,
  RiskLimits,
  RiskRefusalReason,
} from './risk-gate.js';
export type { ThrottleState } from './throttle.js';
