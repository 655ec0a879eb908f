export { absenceConclusiveAt, checkOrder, type OrderCheck } from './reconcile-order.js';
export {
  Reconciler,
  type Difference,
  type ReconcileReport,
  type ReconcilerEvents,
  type ReconcilerOptions,
} from './reconciler.js';
export {
  checkBalances,
  type AssetBalance,
  type BalanceCheckContext,
  type BalanceReport,
  type FillMismatch,
} from './balances.js';
