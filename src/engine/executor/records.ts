import type { OrderRecord, OrderStatus } from '../../journal/index.js';
import type { VenueOrder } from '../connector/index.js';
import type { OrderIntent } from '../strategies/index.js';

/**
 * Pure transitions of an order record. Every change makes a new record with
 * the version raised by one, so each journal entry carries its own sequence.
 */

export function newOrderRecord(
  intent: OrderIntent,
  clientOrderId: string,
  now: number,
): OrderRecord {
  return {
    clientOrderId,
    strategyId: intent.strategyId,
    symbol: intent.symbol,
    side: intent.side,
    type: intent.type,
    timeInForce: intent.timeInForce,
    quantity: intent.quantity,
    price: intent.price,
    status: 'PENDING',
    exchangeOrderId: null,
    executedQty: '0',
    cumulativeQuote: '0',
    attempts: 0,
    lastSentAt: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
    reason: null,
  };
}

export function changed(
  record: OrderRecord,
  now: number,
  change: Partial<OrderRecord>,
): OrderRecord {
  return { ...record, ...change, updatedAt: now, version: record.version + 1 };
}

/** The record as the venue describes the order. */
export function withVenueState(record: OrderRecord, venue: VenueOrder, now: number): OrderRecord {
  return changed(record, now, {
    status: venue.status,
    exchangeOrderId: venue.exchangeOrderId,
    executedQty: venue.executedQty,
    cumulativeQuote: venue.cumulativeQuote,
    reason: null,
  });
}

/** Whether the venue's view differs from the journal's in anything the journal records. */
export function differsFromVenue(record: OrderRecord, venue: VenueOrder): boolean {
  return (
    record.status !== venue.status ||
    record.exchangeOrderId !== venue.exchangeOrderId ||
    Number(record.executedQty) !== Number(venue.executedQty) ||
    Number(record.cumulativeQuote) !== Number(venue.cumulativeQuote)
  );
}

export function withStatus(
  record: OrderRecord,
  status: OrderStatus,
  reason: string | null,
  now: number,
): OrderRecord {
  return changed(record, now, { status, reason });
}

/** The signed base-asset quantity an order has executed: positive for buys. */
export function signedExecuted(record: OrderRecord): number {
  const executed = Number(record.executedQty);
  return record.side === 'BUY' ? executed : -executed;
}
