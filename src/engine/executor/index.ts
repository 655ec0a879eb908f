export type { CancelOutcome } from './cancellation.js';
export { ClientOrderIds } from './client-ids.js';
export { DependencyBreaker, type DependencyBreakerOptions } from './dependency-breaker.js';
export {
  EXECUTOR_DEFAULTS,
  OrderExecutor,
  type ExecutorEvents,
  type ExecutorOptions,
  type PlaceOutcome,
} from './executor.js';
export { failureOf, isExchangeFault, isVenueAnswer, reasonOf } from './failures.js';
export { OrderStore } from './order-store.js';
export { resolve as resolveOrder, type PlacementContext } from './placement.js';
export {
  changed,
  differsFromVenue,
  newOrderRecord,
  signedExecuted,
  withStatus,
  withVenueState,
} from './records.js';
