export type {
  Check,
  FaultSpec,
  PhaseCounts,
  PhaseName,
  PhaseWindow,
  RunStatus,
  Scenario,
  ScenarioResult,
  ScenarioTarget,
  TargetConfig,
  TimelinePoint,
  WatchdogEvent,
  WatchdogEventKind,
  WatchdogOutcome,
} from './model.js';
export { BUILT_IN_SCENARIOS, builtInScenario, quickScenario } from './builtins.js';
export {
  loadScenarioConfig,
  loadScenarioFile,
  parseScenarioConfig,
  parseScenarioDocument,
  ScenarioFileError,
  type ScenarioConfig,
} from './scenario-file.js';
export { runScenario, type ScenarioRunOptions, type TestBed } from './run-scenario.js';
export {
  roundOrder,
  runChaosSuite,
  type SuiteMode,
  type SuiteOptions,
  type SuiteResult,
} from './suite.js';
export type { Progress } from './timeline.js';
export {
  judgeWorldEvidence,
  type EvidenceSubject,
  type OrphanOrder,
  type WorldVerdicts,
} from './evidence-checks.js';
export { evidenceVerdictChecks, scenarioChecks } from './checks.js';
