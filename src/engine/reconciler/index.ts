export { absenceConclusiveAt, checkOrder, type OrderCheck } from './reconcile-order.js';
export {
  Reconciler,
  type Difference,
  type ReconcileReport,
  type ReconcilerEvents,
  type ReconcilerOptions,
} from './reconciler.js';
