export { createEngine, type Engine } from './engine.js';
export {
  ENGINE_DEFAULTS,
  type ComponentHeartbeat,
  type EngineEvents,
  type EngineOptions,
} from './engine-options.js';
export type { ComponentName } from './components.js';
export type { EngineSummary, OutcomeKind } from './summary.js';
export type { PlaceOutcome } from './executor/index.js';
export type { OrderIntent, Strategy } from './strategies/index.js';
export type { ReconcileReport, Difference } from './reconciler/index.js';
export {
  ccxtBinanceConfig,
  createCcxtExchange,
  type CcxtExchangeOptions,
} from './connector/index.js';
