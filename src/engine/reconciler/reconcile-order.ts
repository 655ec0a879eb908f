import { UNRESOLVED_STATUSES, type OrderRecord } from '../../journal/index.js';
import type { VenueClient, VenueOrder } from '../connector/index.js';
import {
  differsFromVenue,
  failureOf,
  withStatus,
  type DependencyBreaker,
} from '../executor/index.js';

/** What one order's check found. */
export type OrderCheck =
  /** Journal and venue agree. */
  | { kind: 'agrees' }
  /** The venue says something else than the journal: this. */
  | { kind: 'updated'; venueOrder: VenueOrder }
  /** The venue never had it and never will: recorded ABANDONED. */
  | { kind: 'abandoned'; order: OrderRecord }
  /** Not decidable yet: the venue could still accept a request sent for it, or did not answer. */
  | { kind: 'unresolved'; reason: string }
  /** The journal says the order rests at the venue, and the venue has no such order. */
  | { kind: 'missing_at_venue' };

export interface OrderCheckContext {
  venue: VenueClient;
  breaker: DependencyBreaker;
  now: () => number;
  signal: AbortSignal;
  /** Longest wait for one venue query, rate-limit gate included, ms; a pass never hangs on a ban. */
  queryTimeoutMs: number;
  /** No placement request is sent later than this after the intent, ms (the executor's rule). */
  orderDeadlineMs: number;
  clockMarginMs: number;
}

/**
 * Compares one journaled order with the venue. An unresolved order the venue
 * does not have is given up only once no request for it can still land: the
 * executor sends nothing after the order's deadline, and the venue refuses
 * anything signed more than recvWindow ago.
 */
export async function checkOrder(
  context: OrderCheckContext,
  order: OrderRecord,
): Promise<OrderCheck> {
  const { venue, breaker, now } = context;
  // The venue's answer describes the moment it was asked, not the moment it arrived.
  const askedAt = now();
  try {
    const venueOrder = await breaker.executeWithin(
      context.signal,
      context.queryTimeoutMs,
      (signal) => venue.queryOrder(order.symbol, order.clientOrderId, signal),
    );
    if (!differsFromVenue(order, venueOrder)) return { kind: 'agrees' };
    return { kind: 'updated', venueOrder };
  } catch (error) {
    const failure = failureOf(error);
    if (failure.kind !== 'not_found') return { kind: 'unresolved', reason: failure.kind };
    if (!UNRESOLVED_STATUSES.has(order.status)) return { kind: 'missing_at_venue' };
    if (askedAt < absenceConclusiveAt(context, order)) {
      return { kind: 'unresolved', reason: 'could_still_land' };
    }
    return { kind: 'abandoned', order: withStatus(order, 'ABANDONED', 'absent_at_venue', now()) };
  }
}

/** From when the venue's "no such order" is final for an order not being handled by the executor. */
export function absenceConclusiveAt(context: OrderCheckContext, order: OrderRecord): number {
  const lastPossibleSend = order.createdAt + context.orderDeadlineMs;
  return lastPossibleSend + context.venue.recvWindowMs + context.clockMarginMs;
}
