export { createStack, type Stack, type StackEndpoints, type StackOptions } from './stack.js';
export { startEngine, type EngineHandle, type EngineProcess } from './engine-handle.js';
export {
  checkInvariants,
  judgeInvariants,
  type InvariantReport,
  type InvariantViolation,
} from './invariants.js';
export type { OrderReceipt } from './receipt.js';
export type { StrategyIdentity } from './engine-messages.js';
