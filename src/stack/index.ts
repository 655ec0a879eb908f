export {
  createStack,
  engineOptionsFor,
  readInvariants,
  type EngineSettings,
  type Stack,
  type StackOptions,
} from './stack.js';
export { createWorld, type StackEndpoints, type World, type WorldOptions } from './world.js';
export { WorldEvidence, type EvidenceSnapshot, type WireOrderOutcome } from './world-evidence.js';
export { startEngine, type EngineHandle, type EngineProcess } from './engine-handle.js';
export {
  checkInvariants,
  judgeInvariants,
  type InvariantReport,
  type InvariantViolation,
} from './invariants.js';
export type { OrderReceipt } from './receipt.js';
export type { StrategyIdentity } from './engine-messages.js';
