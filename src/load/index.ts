export {
  LOAD_DEFAULTS,
  loadConfig,
  LoadConfigError,
  modelOf,
  plannedOrders,
  QUICK_LOAD,
  type LoadConfig,
  type LoadModel,
} from './config.js';
export { runLoad, type LoadProgress, type LoadRunOptions } from './run-load.js';
export type { LoadResult, LoadTotals, MachineInfo } from './result.js';
export type { SecondRow, StrategyStats } from './recorder.js';
export type { SlaMetric, SlaVerdict } from './sla.js';
