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
  TimelinePoint,
  WatchdogEvent,
  WatchdogEventKind,
  WatchdogOutcome,
} from './model.js';
export { BUILT_IN_SCENARIOS, builtInScenario, quickScenario } from './builtins.js';
export { loadScenarioFile, parseScenarioDocument, ScenarioFileError } from './scenario-file.js';
export { runScenario, type ScenarioRunOptions } from './run-scenario.js';
export {
  roundOrder,
  runChaosSuite,
  type SuiteMode,
  type SuiteOptions,
  type SuiteResult,
} from './suite.js';
export type { Progress } from './timeline.js';
