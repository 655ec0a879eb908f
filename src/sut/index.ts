export type {
  Dependency,
  IntentsSummary,
  OrderAccount,
  ScenarioCue,
  SelfVerdict,
  SystemContext,
  SystemEvents,
  SystemOutcome,
  SystemReport,
  SystemStarter,
  SystemUnderTest,
} from './system.js';
export { BuiltinSystem, builtinEngine, classifyOutcome, refusedConnections } from './builtin.js';
export { EXTERNAL_DEFAULTS, externalProcess, type ExternalTargetOptions } from './external.js';
export {
  exportLines,
  targetEnvironment,
  targetFiles,
  writePhase,
  type TargetFiles,
} from './target-env.js';
export { attachedTarget, type AttachedTargetOptions } from './attached.js';
export { processAlive } from './process-group.js';
