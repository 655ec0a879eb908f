export { absenceConclusiveAt, checkOrder, type OrderCheck } from './reconcile-order.js';
export { Reconciler, type ReconcilerEvents, type ReconcilerOptions } from './reconciler.js';
export {
  JournalBehindError,
  reconcilePass,
  type Difference,
  type PassContext,
  type ReconcileReport,
} from './pass.js';
export {
  checkBalances,
  type AssetBalance,
  type BalanceCheckContext,
  type BalanceReport,
  type FillMismatch,
} from './balances.js';
