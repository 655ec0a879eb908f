export type {
  OrderIntent,
  Strategy,
  StrategyAction,
  StrategyContext,
  StrategySettings,
} from './strategy.js';
export { decimalPlaces, isZeroDecimal, quantityForNotional, roundToStep } from './decimal.js';
export type { Rounding } from './decimal.js';
export { RandomTaker } from './random-taker.js';
export type { RandomTakerSettings } from './random-taker.js';
export { MarketMaker } from './market-maker.js';
export type { MarketMakerSettings } from './market-maker.js';
export { Momentum } from './momentum.js';
export type { MomentumSettings } from './momentum.js';
export { BUILD_DEFAULTS, buildStrategies, STRATEGY_KINDS } from './factory.js';
export type { BuildStrategiesOptions, StrategyKind } from './factory.js';
export { RUNNER_DEFAULTS, StrategyRunner } from './runner.js';
export type {
  StrategyCounters,
  StrategyErrorEvent,
  StrategyRunnerEvents,
  StrategyRunnerOptions,
  StrategyTickEvent,
} from './runner.js';
