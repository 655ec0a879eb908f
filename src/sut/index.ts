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
export { exportLines, targetEnvironment, type TargetFiles } from './target-env.js';
