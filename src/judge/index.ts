/**
 * The judge: pure verdicts on an external trading bot from evidence it cannot
 * fake (the venue's and the wire's records) and from what it said it meant
 * (its intents file). Sources are re-openable streams, so reports cost memory
 * in findings, not in traffic.
 */
export {
  findDuplicateOrders,
  type DuplicateFinding,
  type DuplicateJudgment,
  type DuplicateOptions,
} from './duplicates.js';
export {
  findRetryAfterViolations,
  orderLimitRefusals,
  type RetryAfterJudgment,
  type RetryAfterOptions,
  type RetryAfterViolation,
} from './retry-after.js';
export type { RetryWindow } from './retry-windows.js';
export {
  judgeIntents,
  type IntentJudgment,
  type IntentOptions,
  type IntentMismatch,
  type IntentPlacedTwice,
  type MalformedIntentLine,
  type OrderTerms,
  type UnknownOrder,
  type UnplacedIntent,
} from './intents.js';
export type { LostAnswer } from './answers.js';
export type { OrderRef } from './orders.js';
export { DEFAULT_MAX_LISTED, type ListingOptions, type RecordSource } from './source.js';
