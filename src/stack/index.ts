export { createStack, type Stack, type StackEndpoints, type StackOptions } from './stack.js';
export { startEngine, type EngineHandle, type EngineProcess } from './engine-handle.js';
export { checkInvariants, type InvariantReport, type InvariantViolation } from './invariants.js';
