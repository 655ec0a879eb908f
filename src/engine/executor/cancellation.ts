import { withLinkedSignal } from '../../common/index.js';
import { OPEN_STATUSES, type OrderRecord } from '../../journal/index.js';
import type { VenueFailure, VenueOrder } from '../connector/index.js';
import { failureOf } from './failures.js';
import type { OrderStore } from './order-store.js';
import type { PlacementContext } from './placement.js';
import { differsFromVenue, withVenueState } from './records.js';

export type CancelOutcome =
  | { kind: 'canceled'; order: OrderRecord }
  /** The order was already final at the venue (filled, say); the journal now says so. */
  | { kind: 'already_final'; order: OrderRecord }
  /** Not an open order of this engine. */
  | { kind: 'not_open' }
  /** Already being canceled. */
  | { kind: 'in_progress' }
  /** The venue's answer was lost or refused; the reconciler settles the order later. */
  | { kind: 'failed'; failure: VenueFailure };

/**
 * Cancels an open order; `busy` holds the ids being canceled, so one cancel runs per order. Canceling is idempotent at the venue, so the only
 * care needed is learning the final state when the venue says the order is no
 * longer open (it filled first).
 */
export async function cancelOrder(
  context: PlacementContext,
  store: OrderStore,
  busy: Set<string>,
  clientOrderId: string,
): Promise<CancelOutcome> {
  const order = store.get(clientOrderId);
  if (!order || !OPEN_STATUSES.has(order.status)) return { kind: 'not_open' };
  if (busy.has(clientOrderId)) return { kind: 'in_progress' };
  busy.add(clientOrderId);
  try {
    const venueOrder = await cancelOrQuery(context, order);
    const latest = store.get(clientOrderId) ?? order;
    const settled = differsFromVenue(latest, venueOrder)
      ? withVenueState(latest, venueOrder, context.now())
      : latest;
    // Claimed in memory before the journal write: a reconcile pass racing on this
    // order then sees the newer version and leaves it alone.
    if (settled !== latest && store.put(settled)) {
      await context.journal.append({ kind: 'STATUS', order: settled, detail: { cancel: true } });
      context.onChange(settled, 'STATUS');
    }
    return { kind: settled.status === 'CANCELED' ? 'canceled' : 'already_final', order: settled };
  } catch (error) {
    return { kind: 'failed', failure: failureOf(error) };
  } finally {
    busy.delete(clientOrderId);
  }
}

/** Cancels; when the venue no longer has it open, asks what became of it. */
async function cancelOrQuery(context: PlacementContext, order: OrderRecord): Promise<VenueOrder> {
  // Bounded like a placement, so a stop never waits out a long ban.
  return withLinkedSignal([context.signal], context.orderDeadlineMs, (signal) =>
    cancelOrQueryWithin(context, order, signal),
  );
}

async function cancelOrQueryWithin(
  context: PlacementContext,
  order: OrderRecord,
  signal: AbortSignal,
): Promise<VenueOrder> {
  const { venue, breaker } = context;
  try {
    return await breaker.execute(
      () => venue.cancelOrder(order.symbol, order.clientOrderId, signal),
      signal,
    );
  } catch (error) {
    if (failureOf(error).kind !== 'not_found') throw error;
    return breaker.execute(
      () => venue.queryOrder(order.symbol, order.clientOrderId, signal),
      signal,
    );
  }
}
