import { formatAmount } from '../common/index.js';
import {
  findDuplicateOrders,
  findRetryAfterViolations,
  orderLimitRefusals,
  type DuplicateJudgment,
  type RetryAfterJudgment,
} from '../judge/index.js';
import type { World } from '../stack/index.js';
import type { SystemUnderTest } from '../sut/index.js';

/** Whose evidence is judged: its API key, and whether its client order ids name its intents. */
export type EvidenceSubject = Pick<SystemUnderTest, 'apiKey' | 'clientIdsNameIntents'>;

/** An order left resting at the venue after the system stopped. */
export interface OrphanOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: string;
  price: string;
  remainingQty: string;
  /** When the venue accepted it, ms since the epoch. */
  at: number;
}

/** What the world's evidence says of a system, whatever the system is. */
export interface WorldVerdicts {
  duplicates: DuplicateJudgment;
  retryAfter: RetryAfterJudgment;
  orphans: { orders: OrphanOrder[]; total: number };
}

/** Orphans listed in a report; the total counts them all. */
const MAX_ORPHANS_LISTED = 100;

/**
 * Judges a stopped system from the venue's and the wire's records since
 * `since`: orders placed twice, back-offs broken, orders left resting.
 * Nothing here asks the system anything.
 */
export async function judgeWorldEvidence(
  world: World,
  trader: EvidenceSubject,
  since: number,
): Promise<WorldVerdicts> {
  const { apiKey } = trader;
  const evidence = await world.evidence.snapshot(since);
  const orderLimitIds = await orderLimitRefusals(evidence.venue);
  const [duplicates, retryAfter] = await Promise.all([
    findDuplicateOrders(evidence.venue, evidence.wire, {
      apiKey,
      blindResends: !trader.clientIdsNameIntents,
    }),
    findRetryAfterViolations(evidence.wire, { proxy: 'exchange', orderLimitIds }),
  ]);
  const resting = world.exchange.venue.openOrders(apiKey).filter((order) => order.time >= since);
  const orders = resting.slice(0, MAX_ORPHANS_LISTED).map((order) => ({
    symbol: order.symbol,
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    side: order.side,
    price: formatAmount(order.price),
    remainingQty: formatAmount(order.origQty - order.executedQty),
    at: order.time,
  }));
  return { duplicates, retryAfter, orphans: { orders, total: resting.length } };
}
